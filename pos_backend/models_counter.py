"""Tables for counter work (issue 4) and shift handover (issue 7): lockouts, offline verifiers, audit,
voids, refunds, order acknowledgements and refund requests, shifts and their meter snapshots.

Money integer fen, volumes integer ml, times UTC (``UtcDateTime`` through ``Base``'s type map).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pos_backend.models import Base


class StaffLockout(Base):
    """Wrong PINs in a row for one staff member; ``locked_until`` set once they reach the limit."""

    __tablename__ = "staff_lockouts"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    failed_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]


class StaffVerifier(Base):
    """The offline PIN verifier a till may hold: scrypt with its own salt and parameters, never the
    server's own PIN hash (``Staff.pin_hash``), so a stolen till does not yield the server's secret."""

    __tablename__ = "staff_verifiers"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    salt_hex: Mapped[str] = mapped_column(String(64))
    n: Mapped[int]
    r: Mapped[int]
    p: Mapped[int]
    digest_hex: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_station_at", "station_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(String(16))
    till_id: Mapped[str | None] = mapped_column(String(40))
    staff_no: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime]
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON


class TransactionVoid(Base):
    """A manager voided a sale before completion: the fill's lock was released, with the reason."""

    __tablename__ = "transaction_voids"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(String(16), index=True)
    transaction_id: Mapped[str] = mapped_column(String(40))
    amount_fen: Mapped[int]
    locked_till_id: Mapped[str | None] = mapped_column(String(40))
    cashier_no: Mapped[str | None] = mapped_column(String(16))
    manager_no: Mapped[str] = mapped_column(String(16))
    manager_name: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]


class SaleRefund(Base):
    """A refund after completion; ``parts`` is JSON ``[{"method", "amount_fen"}]``."""

    __tablename__ = "sale_refunds"
    __table_args__ = (Index("ix_sale_refunds_station_at", "station_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[str] = mapped_column(String(64), unique=True)
    sale_id: Mapped[str] = mapped_column(String(64), index=True)
    station_id: Mapped[str] = mapped_column(String(16))
    till_id: Mapped[str] = mapped_column(String(40))
    staff_no: Mapped[str] = mapped_column(String(16))
    staff_name: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int]
    parts: Mapped[str] = mapped_column(Text)
    points_taken_back: Mapped[int]
    coupons_restored: Mapped[str] = mapped_column(Text)  # JSON list of coupon ids
    at: Mapped[datetime]


class OrderAck(Base):
    """A cashier acknowledged a completed mini-program order at the till (once per order)."""

    __tablename__ = "order_acks"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    till_id: Mapped[str] = mapped_column(String(40))
    staff_no: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class OrderRefundRequest(Base):
    """The till asks the mini program to refund part of a prepayment (under-run, wrong nozzle, ...)."""

    __tablename__ = "order_refund_requests"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    amount_fen: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    till_id: Mapped[str] = mapped_column(String(40))
    staff_no: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class ShiftRow(Base):
    """A shift: ``open -> closing (cut taken) -> closed``. Its window is ``(opened_at, cut_at]``."""

    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_station_state", "station_id", "state"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(16))
    number: Mapped[int]  # 1, 2, 3 ... per station, for people
    state: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime]
    opened_by: Mapped[str] = mapped_column(String(16))
    opening_float_fen: Mapped[int]
    cut_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(16))
    outgoing_staff_no: Mapped[str | None] = mapped_column(String(16))
    incoming_staff_no: Mapped[str | None] = mapped_column(String(16))
    counted: Mapped[str | None] = mapped_column(Text)  # JSON {"10000": pieces, ...}
    counted_fen: Mapped[int | None]
    expected_fen: Mapped[int | None]
    variance_reason: Mapped[str | None] = mapped_column(String(200))
    next_shift_id: Mapped[str | None] = mapped_column(String(40))


class ShiftMeter(Base):
    """One nozzle's totalizer at a shift's opening or closing cut."""

    __tablename__ = "shift_meters"
    __table_args__ = (UniqueConstraint("shift_id", "kind", "nozzle_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # opening | closing
    nozzle_number: Mapped[int]
    grade_code: Mapped[str] = mapped_column(String(8))
    volume_ml: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    read_at: Mapped[datetime]
