"""Members (会员): tier, wallet, points and vehicles, with the launch rules from DOMAIN.md.

Tiers by cumulative top-up: ¥1,000 silver, ¥3,000 gold, ¥5,000 diamond. A tier lasts 12 months and a
renewal reminder goes out 15 days before it ends; an expired tier counts as regular until granted again.
Mall prices by tier are integer per-mille rates (880 = 8.8折), applied with ``money.apply_rate``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from pos.domain.checks import optional_aware, require_aware, require_int, require_member, require_text
from pos.domain.errors import InvalidValue, PosError
from pos.domain.money import Money, apply_rate
from pos.domain.wire import WireObject, format_rfc3339

TIER_VALIDITY_MONTHS = 12
RENEWAL_REMINDER_BEFORE = timedelta(days=15)

PLATE_SEPARATOR = "·"
_CN_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
# Province character, issuing-office letter, then 5 (ordinary) or 6 (new-energy) letters and digits
# (never I or O), or 4 and a trailing 挂/学/警 for trailers, learner cars and police.
_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z](?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警])")


class Tier(StrEnum):
    REGULAR = "regular"
    SILVER = "silver"
    GOLD = "gold"
    DIAMOND = "diamond"

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]

    @property
    def rank(self) -> int:
        return _TIER_ORDER.index(self)

    @property
    def top_up_threshold_fen(self) -> int:
        """Cumulative top-up that earns this tier."""
        return _THRESHOLDS_FEN[self]

    @property
    def mall_rate_per_mille(self) -> int:
        """Share of the mall price this tier pays: 880 for diamond (8.8折), 1000 for regular."""
        return _MALL_RATES[self]


_TIER_ORDER = (Tier.REGULAR, Tier.SILVER, Tier.GOLD, Tier.DIAMOND)
_TIER_LABELS = {Tier.REGULAR: "普通", Tier.SILVER: "白银", Tier.GOLD: "黄金", Tier.DIAMOND: "钻石"}
_THRESHOLDS_FEN = {Tier.REGULAR: 0, Tier.SILVER: 100_000, Tier.GOLD: 300_000, Tier.DIAMOND: 500_000}
_MALL_RATES = {Tier.REGULAR: 1000, Tier.SILVER: 950, Tier.GOLD: 920, Tier.DIAMOND: 880}
_TIERS_BY_VALUE = {tier.value: tier for tier in Tier}


class InsufficientBalance(PosError):
    def __init__(self, balance_fen: int, wanted_fen: int) -> None:
        super().__init__(
            "wallet_insufficient",
            "余额不足 / Balance too low",
            f"钱包余额 {Money(balance_fen)} 不足 {Money(wanted_fen)} / wallet holds less than needed.",
            {"balance_fen": balance_fen, "wanted_fen": wanted_fen},
        )


def tier_for_top_up(cumulative_fen: int) -> Tier:
    """The highest tier whose threshold ``cumulative_fen`` reaches."""
    require_int("cumulative top-up", cumulative_fen)
    return max((t for t in Tier if cumulative_fen >= t.top_up_threshold_fen), key=lambda t: t.rank)


def add_months(moment: datetime, months: int) -> datetime:
    """Same day and time ``months`` later; a day the target month lacks becomes its last (Feb 29 -> 28)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def is_cn_mobile(phone: object) -> bool:
    """Eleven ASCII digits starting 13..19 (a mainland mobile number)."""
    return isinstance(phone, str) and _CN_MOBILE.fullmatch(phone) is not None


def plate_from_wire(text: object) -> str:
    """``粤B·12345`` (the separator the backend and the mini program show) -> ``粤B12345``."""
    if not isinstance(text, str):
        raise InvalidValue(f"not a licence plate: {text!r}")
    return text.replace(PLATE_SEPARATOR, "").replace(" ", "")


def plate_to_wire(plate: str) -> str:
    """``粤B12345`` -> ``粤B·12345``: province and office, the separator, then the serial."""
    return f"{plate[:2]}{PLATE_SEPARATOR}{plate[2:]}"


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``: the only form a phone number may take on screen or in a log."""
    return f"{phone[:3]}****{phone[-4:]}"


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    card_no: str
    name: str
    phone: str = field(repr=False)  # personal data: kept out of repr so it never reaches a log line
    tier: Tier
    tier_expires_at: datetime | None
    wallet_fen: int
    points: int
    plates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_text("member id", self.id, max_length=100)
        require_text("member card_no", self.card_no, max_length=32)
        require_text("member name", self.name, max_length=50)
        if not is_cn_mobile(self.phone):
            shown = mask_phone(self.phone) if isinstance(self.phone, str) else repr(self.phone)
            raise InvalidValue(f"member phone must be an 11-digit mainland mobile number, got {shown}")
        require_member("member tier", self.tier, Tier)
        optional_aware("member tier_expires_at", self.tier_expires_at)
        if (self.tier is Tier.REGULAR) != (self.tier_expires_at is None):
            raise InvalidValue(f"member tier {self.tier.value} needs an expiry exactly when above regular")
        require_int("member wallet_fen", self.wallet_fen)
        require_int("member points", self.points)
        if not isinstance(self.plates, tuple):
            raise InvalidValue(f"member plates must be a tuple, got {self.plates!r}")
        for plate in self.plates:
            if not isinstance(plate, str) or not _PLATE.fullmatch(plate):
                raise InvalidValue(f"not a licence plate: {plate!r}")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @classmethod
    def from_wire(cls, raw: object) -> Member:
        """Build from the contract's Member object. Its coupons, version and updated_at are read by the
        caller (the sync layer keeps them beside the member); InvalidValue for any bad field.

        Only tier, expiry and plates are converted here; the other fields go to the constructor as they
        are: ``__post_init__`` checks their types and values, and checking them on the way in too would
        check each twice (an offline lookup reads up to 20 members)."""
        obj = WireObject(raw, "member")
        fields = cast(Mapping[str, Any], raw)  # a mapping: WireObject checked it
        try:
            member_id, card_no, name, phone = fields["id"], fields["card_no"], fields["name"], fields["phone"]
            tier, expires = fields["tier"], fields["tier_expires_at"]
            wallet_fen, points, plates = fields["wallet_fen"], fields["points"], fields["plates"]
        except KeyError as missing:
            raise obj.missing_field(missing.args[0]) from None
        if not isinstance(plates, list):
            raise InvalidValue(f"member.plates must be a list, got {plates!r}", {"field": "plates"})
        known_tier = _TIERS_BY_VALUE.get(tier) if isinstance(tier, str) else None
        return cls(  # by position, in field order: keywords add ~8% to each member an offline lookup reads
            member_id,
            card_no,
            name,
            phone,
            obj.choice("tier", Tier) if known_tier is None else known_tier,  # choice says what is wrong
            None if expires is None else obj.time("tier_expires_at"),
            wallet_fen,
            points,
            tuple(map(plate_from_wire, plates)) if plates else (),
        )

    def to_wire(self) -> dict[str, Any]:
        expires = self.tier_expires_at
        return {
            "id": self.id,
            "card_no": self.card_no,
            "name": self.name,
            "phone": self.phone,
            "tier": self.tier.value,
            "tier_expires_at": None if expires is None else format_rfc3339(expires),
            "wallet_fen": self.wallet_fen,
            "points": self.points,
            "plates": [plate_to_wire(plate) for plate in self.plates],
        }

    def effective_tier(self, now: datetime) -> Tier:
        """The tier that prices count with at ``now``: regular once the tier has expired."""
        require_aware("now", now)
        if self.tier_expires_at is None or now >= self.tier_expires_at:
            return Tier.REGULAR
        return self.tier

    def renewal_reminder_due(self, now: datetime) -> bool:
        """True in the last 15 days of a tier (the reminder window), false before and after it."""
        if self.tier_expires_at is None or self.effective_tier(now) is Tier.REGULAR:
            return False
        return now >= self.tier_expires_at - RENEWAL_REMINDER_BEFORE

    def grant_tier(self, tier: Tier, now: datetime) -> Member:
        """Start ``tier`` at ``now`` for TIER_VALIDITY_MONTHS (regular has no expiry)."""
        require_aware("now", now)
        expires = None if tier is Tier.REGULAR else add_months(now, TIER_VALIDITY_MONTHS)
        return replace(self, tier=tier, tier_expires_at=expires)

    def mall_price(self, price: Money, now: datetime) -> Money:
        """What this member pays for a mall item listed at ``price`` (rounded half up to the fen)."""
        return apply_rate(price, self.effective_tier(now).mall_rate_per_mille)

    def top_up(self, amount: Money) -> Member:
        return replace(self, wallet_fen=self.wallet_fen + amount.fen)

    def pay_from_wallet(self, amount: Money) -> Member:
        if amount.fen > self.wallet_fen:
            raise InsufficientBalance(self.wallet_fen, amount.fen)
        return replace(self, wallet_fen=self.wallet_fen - amount.fen)
