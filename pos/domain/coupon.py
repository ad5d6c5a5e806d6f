"""Full-reduction fuel coupons (满减券), e.g. 满200减15: ¥15 off when the fuel amount reaches ¥200.

The launch rules from DOMAIN.md are named constructors: a new member gets two 满200减15, each monthly
member day offers 满300减30, the birthday month adds 满500减50. Validity is the half-open interval
``valid_from <= now < valid_until``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, cast

from pos.domain.checks import require_aware, require_int, require_member, require_text
from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.member import add_months
from pos.domain.money import format_fen
from pos.domain.wire import WireObject, format_rfc3339

NEW_MEMBER_VALIDITY = timedelta(days=30)  # assumption: the launch rules do not say; 30 days from issue
NEW_MEMBER_COUPON_COUNT = 2


class CouponState(StrEnum):
    AVAILABLE = "available"
    USED = "used"
    VOID = "void"
    EXPIRED = "expired"  # the backend retired it after valid_until (wire state)


class RefusalCode(StrEnum):
    USED = "used"
    VOID = "void"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    WRONG_GRADE = "wrong_grade"
    BELOW_THRESHOLD = "below_threshold"


@dataclass(frozen=True, slots=True)
class CouponRefusal:
    """Why a coupon does not apply: a stable code and a sentence for staff."""

    code: RefusalCode
    message: str


@dataclass(frozen=True, slots=True)
class Coupon:
    id: str
    title: str
    threshold_fen: int
    reduction_fen: int
    grades: frozenset[GradeCode]  # empty: every fuel grade
    valid_from: datetime
    valid_until: datetime
    state: CouponState = CouponState.AVAILABLE

    def __post_init__(self) -> None:
        require_text("coupon id", self.id, max_length=100)
        require_text("coupon title", self.title, max_length=60)
        require_int("coupon threshold_fen", self.threshold_fen, minimum=1)
        require_int("coupon reduction_fen", self.reduction_fen, minimum=1)
        if self.reduction_fen > self.threshold_fen:
            raise InvalidValue(
                f"coupon {self.id}: reduction {self.reduction_fen} fen exceeds "
                f"threshold {self.threshold_fen} fen"
            )
        if not isinstance(self.grades, frozenset):
            raise InvalidValue(f"coupon grades must be a frozenset, got {self.grades!r}")
        for grade in self.grades:
            require_member("coupon grade", grade, GradeCode)
        require_aware("coupon valid_from", self.valid_from)
        require_aware("coupon valid_until", self.valid_until)
        if self.valid_until <= self.valid_from:
            raise InvalidValue(f"coupon {self.id}: valid_until must be after valid_from")
        require_member("coupon state", self.state, CouponState)

    @classmethod
    def full_reduction(
        cls,
        coupon_id: str,
        threshold_yuan: int,
        reduction_yuan: int,
        valid_from: datetime,
        valid_until: datetime,
    ) -> Coupon:
        """满{threshold}减{reduction} on every fuel grade."""
        return cls(
            coupon_id,
            f"满{threshold_yuan}减{reduction_yuan}",
            threshold_yuan * 100,
            reduction_yuan * 100,
            frozenset(),
            valid_from,
            valid_until,
        )

    def applies_to(self, grade: GradeCode, amount_fen: int, now: datetime) -> CouponRefusal | None:
        """None when the coupon can be used on this fill; otherwise the first reason it cannot."""
        require_aware("now", now)
        return self._state_refusal() or self._time_refusal(now) or self._fill_refusal(grade, amount_fen)

    def _state_refusal(self) -> CouponRefusal | None:
        if self.state is CouponState.USED:
            return CouponRefusal(RefusalCode.USED, "优惠券已使用 / Coupon already used")
        if self.state is CouponState.VOID:
            return CouponRefusal(RefusalCode.VOID, "优惠券已作废 / Coupon void")
        if self.state is CouponState.EXPIRED:
            return CouponRefusal(RefusalCode.EXPIRED, "优惠券已过期 / Coupon expired")
        return None

    def _time_refusal(self, now: datetime) -> CouponRefusal | None:
        if now < self.valid_from:
            when = f"{self.valid_from:%Y-%m-%d %H:%M}"
            return CouponRefusal(RefusalCode.NOT_YET_VALID, f"优惠券 {when} 起可用 / Not valid before {when}")
        if now >= self.valid_until:
            return CouponRefusal(RefusalCode.EXPIRED, "优惠券已过期 / Coupon expired")
        return None

    def _fill_refusal(self, grade: GradeCode, amount_fen: int) -> CouponRefusal | None:
        if self.grades and grade not in self.grades:
            names = "、".join(sorted(g.display_name for g in self.grades))
            return CouponRefusal(RefusalCode.WRONG_GRADE, f"仅限 {names} / Only for {names}")
        if amount_fen < self.threshold_fen:
            need, short = format_fen(self.threshold_fen), format_fen(self.threshold_fen - amount_fen)
            return CouponRefusal(
                RefusalCode.BELOW_THRESHOLD, f"满 {need} 可用，还差 {short} / {short} short of {need}"
            )
        return None

    def discount_fen(self, grade: GradeCode, amount_fen: int, now: datetime) -> int:
        """The reduction this coupon gives on the fill, 0 when it does not apply."""
        return 0 if self.applies_to(grade, amount_fen, now) else self.reduction_fen

    def use(self, grade: GradeCode, amount_fen: int, now: datetime) -> Coupon:
        """Spend the coupon on a fill; IllegalTransition when it does not apply (reason in the message)."""
        refusal = self.applies_to(grade, amount_fen, now)
        if refusal is not None:
            raise IllegalTransition(
                "coupon",
                self.state.value,
                CouponState.USED.value,
                message=refusal.message,
                detail={"reason": refusal.code.value},
            )
        return replace(self, state=CouponState.USED)

    @classmethod
    def from_wire(cls, raw: object) -> Coupon:
        """Build from the contract's Coupon object; InvalidValue for any bad field."""
        obj = WireObject(raw, "coupon")
        return cls(  # by position, in field order: each cached member's coupons are parsed per lookup
            obj.text("id"),
            obj.text("title"),
            obj.integer("threshold_fen"),
            obj.integer("reduction_fen"),
            frozenset(_grade_codes(cast(Mapping[str, Any], raw))),  # a mapping: WireObject checked it
            obj.time("valid_from"),
            obj.time("valid_until"),
            obj.choice("state", CouponState),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "threshold_fen": self.threshold_fen,
            "reduction_fen": self.reduction_fen,
            "grades": sorted(grade.value for grade in self.grades),
            "valid_from": format_rfc3339(self.valid_from),
            "valid_until": format_rfc3339(self.valid_until),
            "state": self.state.value,
        }

    def void(self) -> Coupon:
        if self.state is not CouponState.AVAILABLE:
            raise IllegalTransition("coupon", self.state.value, CouponState.VOID.value)
        return replace(self, state=CouponState.VOID)


def _grade_codes(raw: Mapping[str, Any]) -> list[GradeCode]:
    """The coupon's ``grades`` list (an empty list: every fuel grade)."""
    grades = raw.get("grades")
    if not isinstance(grades, list):
        raise InvalidValue(f"coupon.grades must be a list, got {grades!r}", {"field": "grades"})
    try:
        return [GradeCode(code) for code in grades]
    except ValueError:
        raise InvalidValue(f"coupon.grades holds an unknown grade: {grades!r}", {"field": "grades"}) from None


def new_member_coupons(coupon_ids: tuple[str, str], issued_at: datetime) -> tuple[Coupon, Coupon]:
    """The two 满200减15 fuel coupons a new member receives, valid NEW_MEMBER_VALIDITY from issue."""
    until = require_aware("issued_at", issued_at) + NEW_MEMBER_VALIDITY
    first, second = coupon_ids
    return (
        Coupon.full_reduction(first, 200, 15, issued_at, until),
        Coupon.full_reduction(second, 200, 15, issued_at, until),
    )


def member_day_coupon(coupon_id: str, day: date, zone: tzinfo) -> Coupon:
    """满300减30, valid for the whole member day in the station's time zone."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    return Coupon.full_reduction(
        coupon_id, 300, 30, start, datetime.combine(day + timedelta(days=1), time(0), zone)
    )


def birthday_coupon(coupon_id: str, year: int, month: int, zone: tzinfo) -> Coupon:
    """满500减50, valid for the whole birthday month in the station's time zone."""
    if not 1 <= month <= 12:
        raise InvalidValue(f"birthday month must be 1..12, got {month}")
    start = datetime(year, month, 1, tzinfo=zone)
    return Coupon.full_reduction(coupon_id, 500, 50, start, add_months(start, 1))
