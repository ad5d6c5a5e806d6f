"""Receipt documents (小票): what a receipt says, never how it is laid out on paper.

Four documents end on the till's printer: a fuel sale receipt, a mini-program order slip, a write-off slip
(coupon or pickup) and a shift report (X: mid-shift, Z: shift close). Each is built from the same small
blocks (header, item lines, discounts, tenders, member, QR, footer). The renderer in ``pos.hardware``
decides columns, sizes and bytes; this module only holds validated data: money in integer fen, volumes in
integer millilitres, timezone-aware datetimes, and never a full phone number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from pos.domain.checks import optional_aware, optional_text, require_aware, require_int, require_text
from pos.domain.codes import WriteOffKind
from pos.domain.errors import InvalidValue

__all__ = [
    "DiscountLine",
    "FuelLine",
    "FuelSaleReceipt",
    "GradeTotal",
    "ItemLine",
    "MemberLine",
    "NozzleReading",
    "OrderSlip",
    "QrPayload",
    "ReceiptDocument",
    "ReceiptHeader",
    "ShiftReport",
    "ShiftReportKind",
    "TenderKind",
    "TenderLine",
    "WriteOffKind",
    "WriteOffSlip",
    "mask_phone",
]

# Seven or more digits in a row look like a phone or card number: receipts only carry masked ones.
_LONG_DIGIT_RUN = re.compile(r"[0-9]{7,}")
MAX_QR_BYTES = 600  # comfortably inside a version-15 QR at level M, readable on 58 mm paper


class TenderKind(StrEnum):
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    UNIONPAY = "unionpay"
    WALLET = "wallet"  # the member's prepaid balance
    FUEL_CARD = "fuel_card"


class ShiftReportKind(StrEnum):
    X = "x"  # a snapshot during the shift; nothing is closed
    Z = "z"  # the shift close (班结): totals frozen at the cut time


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``: what may appear on paper and in logs."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def _tuple_of(name: str, values: Sequence[object], kind: type, minimum: int = 0) -> tuple[object, ...]:
    items = tuple(values)
    if any(not isinstance(item, kind) for item in items):
        raise InvalidValue(f"{name} must hold {kind.__name__} values", {"field": name})
    if len(items) < minimum:
        raise InvalidValue(f"{name} needs at least {minimum} entries", {"field": name})
    return items


def _footer(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(require_text("footer line", line, 120) for line in values)


@dataclass(frozen=True, slots=True)
class ReceiptHeader:
    """Who printed it, where and when. Times are shown in ``station_tz`` (as given when it is None)."""

    station_name: str
    till_name: str
    staff_name: str
    printed_at: datetime
    station_tz: tzinfo | None = None

    def __post_init__(self) -> None:
        require_text("station_name", self.station_name, 60)
        require_text("till_name", self.till_name, 40)
        require_text("staff_name", self.staff_name, 40)
        require_aware("printed_at", self.printed_at)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.station_tz) if self.station_tz else moment


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One priced line: shop goods, a pickup item, a grade's total on a report."""

    label: str
    amount_fen: int
    detail: str | None = None  # a second, smaller line: quantity × unit price, a note

    def __post_init__(self) -> None:
        require_text("item label", self.label, 120)
        require_int("item amount_fen", self.amount_fen)
        optional_text("item detail", self.detail, 120)


@dataclass(frozen=True, slots=True)
class FuelLine:
    """Fuel drawn from one nozzle. The amount is the pump's own figure, not recomputed here."""

    grade: str  # 92#, 95#, 0#
    nozzle_no: int
    volume_ml: int
    unit_price_fen: int  # per litre
    amount_fen: int

    def __post_init__(self) -> None:
        require_text("grade", self.grade, 20)
        require_int("nozzle_no", self.nozzle_no, 1)
        require_int("volume_ml", self.volume_ml, 1)
        require_int("unit_price_fen", self.unit_price_fen, 1)
        require_int("fuel amount_fen", self.amount_fen)


@dataclass(frozen=True, slots=True)
class DiscountLine:
    """A reduction, held as a positive amount in fen and printed with a minus sign."""

    label: str  # 满200减15, 会员日 9.5折
    amount_fen: int

    def __post_init__(self) -> None:
        require_text("discount label", self.label, 80)
        require_int("discount amount_fen", self.amount_fen, 1)


@dataclass(frozen=True, slots=True)
class TenderLine:
    kind: TenderKind
    amount_fen: int
    reference: str | None = None  # last digits of a payment reference, never a full card number

    def __post_init__(self) -> None:
        if not isinstance(self.kind, TenderKind):
            raise InvalidValue(f"tender kind must be a TenderKind, got {self.kind!r}", {"field": "kind"})
        require_int("tender amount_fen", self.amount_fen, 1)
        optional_text("tender reference", self.reference, 40)
        if self.reference and _LONG_DIGIT_RUN.search(self.reference):
            raise InvalidValue("a tender reference on paper carries at most six digits in a row")


@dataclass(frozen=True, slots=True)
class MemberLine:
    """The member as printed: a masked phone or card, tier, points; optionally the wallet balance."""

    masked_id: str  # 138****5678
    tier: str  # 普通 白银 黄金 钻石
    points_earned: int = 0
    points_balance: int = 0
    wallet_balance_fen: int | None = None

    def __post_init__(self) -> None:
        require_text("member masked_id", self.masked_id, 40)
        if _LONG_DIGIT_RUN.search(self.masked_id):
            raise InvalidValue(
                "member id on a receipt must be masked (use mask_phone)", {"field": "masked_id"}
            )
        require_text("member tier", self.tier, 20)
        require_int("points_earned", self.points_earned)
        require_int("points_balance", self.points_balance)
        if self.wallet_balance_fen is not None:
            require_int("wallet_balance_fen", self.wallet_balance_fen)


@dataclass(frozen=True, slots=True)
class QrPayload:
    """What the QR code carries (an order link, an e-invoice link) and the caption printed under it."""

    data: str
    caption: str

    def __post_init__(self) -> None:
        require_text("qr data", self.data, MAX_QR_BYTES)
        if len(self.data.encode("utf-8")) > MAX_QR_BYTES:
            raise InvalidValue(f"qr data is longer than {MAX_QR_BYTES} bytes", {"field": "qr data"})
        require_text("qr caption", self.caption, 60)


@dataclass(frozen=True, slots=True)
class FuelSaleReceipt:
    """A settled sale: fuel (and shop goods), discounts, how it was paid, change, member, e-invoice QR."""

    header: ReceiptHeader
    sale_no: str
    fuel: Sequence[FuelLine]
    tenders: Sequence[TenderLine]
    goods: Sequence[ItemLine] = ()
    discounts: Sequence[DiscountLine] = ()
    member: MemberLine | None = None
    qr: QrPayload | None = None
    footer: Sequence[str] = ()

    def __post_init__(self) -> None:
        require_text("sale_no", self.sale_no, 40)
        object.__setattr__(self, "fuel", _tuple_of("fuel", self.fuel, FuelLine))
        object.__setattr__(self, "goods", _tuple_of("goods", self.goods, ItemLine))
        object.__setattr__(self, "discounts", _tuple_of("discounts", self.discounts, DiscountLine))
        object.__setattr__(self, "tenders", _tuple_of("tenders", self.tenders, TenderLine, minimum=1))
        object.__setattr__(self, "footer", _footer(self.footer))
        if not self.fuel and not self.goods:
            raise InvalidValue("a sale receipt needs at least one fuel or goods line")
        if self.discount_fen > self.subtotal_fen:
            raise InvalidValue("discounts exceed the subtotal", {"field": "discounts"})
        if self.paid_fen < self.due_fen:
            raise InvalidValue(f"tendered {self.paid_fen} fen is less than {self.due_fen} fen due")
        if self.change_fen > self.cash_fen:
            raise InvalidValue("change can only be given from cash: non-cash tenders exceed the amount due")

    @property
    def subtotal_fen(self) -> int:
        return sum(line.amount_fen for line in self.fuel) + sum(line.amount_fen for line in self.goods)

    @property
    def discount_fen(self) -> int:
        return sum(line.amount_fen for line in self.discounts)

    @property
    def due_fen(self) -> int:
        return self.subtotal_fen - self.discount_fen

    @property
    def paid_fen(self) -> int:
        return sum(line.amount_fen for line in self.tenders)

    @property
    def cash_fen(self) -> int:
        return sum(line.amount_fen for line in self.tenders if line.kind is TenderKind.CASH)

    @property
    def change_fen(self) -> int:
        return self.paid_fen - self.due_fen

    @property
    def opens_drawer(self) -> bool:
        """Cash changed hands, so the drawer must open."""
        return self.cash_fen > 0


@dataclass(frozen=True, slots=True)
class OrderSlip:
    """A mini-program order (小程序订单) as fuelled at this station: prepaid, fuelled, refund due."""

    header: ReceiptHeader
    order_no: str
    status: str  # the mini program's own word: 已预约 加油中 已完成 已取消
    grade: str
    prepaid_fen: int
    paid_at: datetime
    nozzle_no: int | None = None
    fuelled_fen: int | None = None  # None until the fill has ended
    volume_ml: int | None = None
    member: MemberLine | None = None
    qr: QrPayload | None = None
    footer: Sequence[str] = ()

    def __post_init__(self) -> None:
        require_text("order_no", self.order_no, 40)
        require_text("order status", self.status, 20)
        require_text("grade", self.grade, 20)
        require_int("prepaid_fen", self.prepaid_fen, 1)
        require_aware("paid_at", self.paid_at)
        if self.nozzle_no is not None:
            require_int("nozzle_no", self.nozzle_no, 1)
        if self.volume_ml is not None:
            require_int("volume_ml", self.volume_ml)
        if self.fuelled_fen is not None:
            require_int("fuelled_fen", self.fuelled_fen)
            if self.fuelled_fen > self.prepaid_fen:
                raise InvalidValue("an order cannot fuel more than was prepaid", {"field": "fuelled_fen"})
        object.__setattr__(self, "footer", _footer(self.footer))

    @property
    def refund_fen(self) -> int:
        """What goes back to the customer after an under-run (0 while the fill is not finished)."""
        return 0 if self.fuelled_fen is None else self.prepaid_fen - self.fuelled_fen


@dataclass(frozen=True, slots=True)
class WriteOffSlip:
    """Proof of a redemption (核销): a coupon used or mall goods picked up, with who and when."""

    header: ReceiptHeader
    kind: WriteOffKind
    code: str  # the six-digit write-off code; it is spent once this slip exists
    title: str  # 满200减15 fuel coupon, the pickup order's name
    redeemed_at: datetime
    items: Sequence[ItemLine] = ()
    value_fen: int | None = None
    order_no: str | None = None
    member: MemberLine | None = None
    footer: Sequence[str] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.kind, WriteOffKind):
            raise InvalidValue(f"write-off kind must be a WriteOffKind, got {self.kind!r}", {"field": "kind"})
        if not (
            isinstance(self.code, str) and len(self.code) == 6 and self.code.isascii() and self.code.isdigit()
        ):
            raise InvalidValue(f"a write-off code is six digits, got {self.code!r}", {"field": "code"})
        require_text("write-off title", self.title, 60)
        require_aware("redeemed_at", self.redeemed_at)
        object.__setattr__(self, "items", _tuple_of("items", self.items, ItemLine))
        if self.value_fen is not None:
            require_int("value_fen", self.value_fen)
        optional_text("order_no", self.order_no, 40)
        object.__setattr__(self, "footer", _footer(self.footer))


@dataclass(frozen=True, slots=True)
class GradeTotal:
    grade: str
    fills: int
    volume_ml: int
    amount_fen: int

    def __post_init__(self) -> None:
        require_text("grade", self.grade, 20)
        require_int("fills", self.fills)
        require_int("volume_ml", self.volume_ml)
        require_int("amount_fen", self.amount_fen)


@dataclass(frozen=True, slots=True)
class NozzleReading:
    """A nozzle's totalizer (泵码) at the shift's open and at the cut; it never goes backwards."""

    nozzle_no: int
    grade: str
    start_volume_ml: int
    end_volume_ml: int

    def __post_init__(self) -> None:
        require_int("nozzle_no", self.nozzle_no, 1)
        require_text("grade", self.grade, 20)
        require_int("start_volume_ml", self.start_volume_ml)
        require_int("end_volume_ml", self.end_volume_ml, self.start_volume_ml)

    @property
    def drawn_ml(self) -> int:
        return self.end_volume_ml - self.start_volume_ml


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """X (snapshot, cut = printed_at) or Z (shift close, cut = closed_at) report of one shift."""

    header: ReceiptHeader
    kind: ShiftReportKind
    shift_no: str
    opened_at: datetime
    grades: Sequence[GradeTotal]
    tenders: Sequence[TenderLine]
    readings: Sequence[NozzleReading] = ()
    closed_at: datetime | None = None
    write_offs: int = 0
    orders: int = 0
    cash_expected_fen: int = 0
    cash_counted_fen: int | None = None  # counted at the close; None on an X report
    footer: Sequence[str] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ShiftReportKind):
            raise InvalidValue(f"report kind must be a ShiftReportKind, got {self.kind!r}", {"field": "kind"})
        require_text("shift_no", self.shift_no, 40)
        require_aware("opened_at", self.opened_at)
        optional_aware("closed_at", self.closed_at)
        if (self.kind is ShiftReportKind.Z) != (self.closed_at is not None):
            raise InvalidValue("a Z report has a close time and an X report has none", {"field": "closed_at"})
        if self.closed_at is not None and self.closed_at < self.opened_at:
            raise InvalidValue("closed_at is before opened_at", {"field": "closed_at"})
        object.__setattr__(self, "grades", _tuple_of("grades", self.grades, GradeTotal))
        object.__setattr__(self, "tenders", _tuple_of("tenders", self.tenders, TenderLine))
        object.__setattr__(self, "readings", _tuple_of("readings", self.readings, NozzleReading))
        require_int("write_offs", self.write_offs)
        require_int("orders", self.orders)
        require_int("cash_expected_fen", self.cash_expected_fen)
        if self.cash_counted_fen is not None:
            require_int("cash_counted_fen", self.cash_counted_fen)
        object.__setattr__(self, "footer", _footer(self.footer))

    @property
    def cut_at(self) -> datetime:
        return self.closed_at or self.header.printed_at

    @property
    def total_fen(self) -> int:
        return sum(grade.amount_fen for grade in self.grades)

    @property
    def total_volume_ml(self) -> int:
        return sum(grade.volume_ml for grade in self.grades)

    @property
    def cash_variance_fen(self) -> int | None:
        """Counted minus expected: negative when cash is missing."""
        return None if self.cash_counted_fen is None else self.cash_counted_fen - self.cash_expected_fen


ReceiptDocument = FuelSaleReceipt | OrderSlip | WriteOffSlip | ShiftReport
