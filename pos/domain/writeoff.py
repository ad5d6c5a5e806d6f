"""Write-off codes (核销码): six ASCII digits redeeming a coupon, a mall pickup or a service.

State model: ``issued -> reserved(till, ttl) -> redeemed(by, at, where)``, or ``expired`` / ``void``.
A reservation is the till holding the code while staff confirm; it lapses after its ttl, after which
another till may reserve. A second redemption is refused with who redeemed it, when and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from pos.domain.checks import (
    optional_aware,
    optional_text,
    require_aware,
    require_member,
    require_positive_duration,
    require_text,
)
from pos.domain.codes import WriteOffKind as WriteOffKind  # re-exported: defined once, by the scan parser
from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.wire import format_rfc3339

DEFAULT_RESERVATION_TTL = timedelta(seconds=120)
_SIX_ASCII_DIGITS = re.compile(r"[0-9]{6}", re.ASCII)  # not str.isdigit: it accepts full-width digits


def is_write_off_code(text: object) -> bool:
    """Exactly six ASCII digits (``"012345"`` yes; seven digits, letters or ``１２３４５６`` no)."""
    return isinstance(text, str) and _SIX_ASCII_DIGITS.fullmatch(text) is not None


class WriteOffState(StrEnum):
    ISSUED = "issued"
    RESERVED = "reserved"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    VOID = "void"


@dataclass(frozen=True, slots=True)
class Redemption:
    """Who redeemed a code, when, and where (station and till, as staff would say it)."""

    staff_no: str
    staff_name: str
    at: datetime
    where: str

    def __post_init__(self) -> None:
        require_text("redemption staff_no", self.staff_no, max_length=50)
        require_text("redemption staff_name", self.staff_name, max_length=50)
        require_aware("redemption at", self.at)
        require_text("redemption where", self.where, max_length=100)


class CodeAlreadyRedeemed(IllegalTransition):
    """A second redemption; ``detail`` holds who redeemed the code, when and where."""

    def __init__(self, code: str, first: Redemption) -> None:
        when = f"{first.at:%Y-%m-%d %H:%M} (UTC{first.at:%z})"
        who = f"{first.staff_name}({first.staff_no})"
        super().__init__(
            "write-off code",
            WriteOffState.REDEEMED.value,
            WriteOffState.REDEEMED.value,
            code="code_already_redeemed",
            message=(
                f"核销码 {code} 已于 {when} 由 {who} 在 {first.where} 核销 / "
                f"Code {code} was already redeemed by {who} at {first.where} on {when}."
            ),
            detail={
                "write_off_code": code,
                "redeemed_by": {"staff_no": first.staff_no, "staff_name": first.staff_name},
                "redeemed_at": format_rfc3339(first.at),
                "redeemed_where": first.where,
            },
        )


class CodeUnavailable(IllegalTransition):
    """Expired, void or held by another till; ``code`` says which (code_expired, code_void, code_reserved)."""

    def __init__(self, code: str, reason: str, current: str, target: str, message: str) -> None:
        super().__init__(
            "write-off code", current, target, code=reason, message=message, detail={"write_off_code": code}
        )


@dataclass(frozen=True, slots=True)
class WriteOffCode:
    code: str
    kind: WriteOffKind
    subject_id: str  # the coupon, mall order or service the code stands for
    issued_at: datetime
    expires_at: datetime
    state: WriteOffState = WriteOffState.ISSUED
    reserved_by: str | None = None  # till id
    reserved_until: datetime | None = None
    redemption: Redemption | None = None

    def __post_init__(self) -> None:
        if not is_write_off_code(self.code):
            raise InvalidValue(f"a write-off code is exactly six ASCII digits, got {self.code!r}")
        require_member("write-off kind", self.kind, WriteOffKind)
        require_text("write-off subject_id", self.subject_id, max_length=100)
        require_aware("write-off issued_at", self.issued_at)
        require_aware("write-off expires_at", self.expires_at)
        if self.expires_at <= self.issued_at:
            raise InvalidValue(f"write-off code {self.code} expires before it is issued")
        require_member("write-off state", self.state, WriteOffState)
        optional_text("write-off reserved_by", self.reserved_by, max_length=100)
        optional_aware("write-off reserved_until", self.reserved_until)
        reserved = self.state is WriteOffState.RESERVED
        if reserved != (self.reserved_by is not None) or reserved != (self.reserved_until is not None):
            raise InvalidValue(f"write-off code {self.code}: a till and a ttl exactly when reserved")
        if (self.state is WriteOffState.REDEEMED) != (self.redemption is not None):
            raise InvalidValue(f"write-off code {self.code}: a redemption record exactly when redeemed")

    def holder_at(self, now: datetime) -> str | None:
        """The till holding the reservation at ``now``, None if not reserved or the reservation lapsed."""
        require_aware("now", now)
        if self.reserved_until is not None and now < self.reserved_until:
            return self.reserved_by
        return None

    def reserve(self, till_id: str, now: datetime, ttl: timedelta = DEFAULT_RESERVATION_TTL) -> WriteOffCode:
        """Hold the code for ``till_id`` while staff confirm; the same till reserving again extends."""
        require_text("till_id", till_id, max_length=100)
        require_positive_duration("ttl", ttl)
        self._check_redeemable(now, WriteOffState.RESERVED)
        holder = self.holder_at(now)
        if holder is not None and holder != till_id:
            raise CodeUnavailable(
                self.code,
                "code_reserved",
                self.state.value,
                WriteOffState.RESERVED.value,
                f"核销码 {self.code} 正在另一台收银机核销 / Code {self.code} is held by another till.",
            )
        return replace(self, state=WriteOffState.RESERVED, reserved_by=till_id, reserved_until=now + ttl)

    def release(self, till_id: str) -> WriteOffCode:
        """Give the reservation back (staff cancelled); only the reserving till may."""
        if self.state is not WriteOffState.RESERVED or self.reserved_by != till_id:
            raise IllegalTransition("write-off code", self.state.value, WriteOffState.ISSUED.value)
        return replace(self, state=WriteOffState.ISSUED, reserved_by=None, reserved_until=None)

    def redeem(self, till_id: str, redemption: Redemption) -> WriteOffCode:
        """Redeem at ``redemption.at``; the till must hold an unlapsed reservation and the code be valid."""
        self._check_redeemable(redemption.at, WriteOffState.REDEEMED)
        if self.holder_at(redemption.at) != till_id:
            raise IllegalTransition("write-off code", self.state.value, WriteOffState.REDEEMED.value)
        return replace(
            self, state=WriteOffState.REDEEMED, reserved_by=None, reserved_until=None, redemption=redemption
        )

    def expire(self, now: datetime) -> WriteOffCode:
        """Mark an unredeemed code expired once its validity has passed."""
        require_aware("now", now)
        if self.state not in (WriteOffState.ISSUED, WriteOffState.RESERVED) or now < self.expires_at:
            raise IllegalTransition("write-off code", self.state.value, WriteOffState.EXPIRED.value)
        return replace(self, state=WriteOffState.EXPIRED, reserved_by=None, reserved_until=None)

    def void(self) -> WriteOffCode:
        """Cancel an unredeemed code (refunded order, withdrawn coupon)."""
        if self.state not in (WriteOffState.ISSUED, WriteOffState.RESERVED):
            raise IllegalTransition("write-off code", self.state.value, WriteOffState.VOID.value)
        return replace(self, state=WriteOffState.VOID, reserved_by=None, reserved_until=None)

    def _check_redeemable(self, now: datetime, target: WriteOffState) -> None:
        require_aware("now", now)
        if self.redemption is not None:
            raise CodeAlreadyRedeemed(self.code, self.redemption)
        if self.state is WriteOffState.VOID:
            raise CodeUnavailable(
                self.code,
                "code_void",
                self.state.value,
                target.value,
                f"核销码 {self.code} 已作废 / Code {self.code} is void.",
            )
        if self.state is WriteOffState.EXPIRED or now >= self.expires_at:
            raise CodeUnavailable(
                self.code,
                "code_expired",
                self.state.value,
                target.value,
                f"核销码 {self.code} 已过期 / Code {self.code} has expired.",
            )
