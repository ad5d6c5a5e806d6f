"""Typed ORM tables. Money columns are integer fen, volumes integer ml, times UTC."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from pos_backend.clock import as_utc


class UtcDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands back aware UTC, whatever the dialect does with time zones."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, int: Integer}


class Station(Base):
    __tablename__ = "stations"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))


class Grade(Base):
    __tablename__ = "grades"
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    price_fen: Mapped[int]


class Pump(Base):
    __tablename__ = "pumps"
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class Nozzle(Base):
    __tablename__ = "nozzles"
    __table_args__ = (Index("ix_nozzles_pump", "station_id", "pump_number"),)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    pump_number: Mapped[int]
    grade_code: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))
    unit_price_fen: Mapped[int]
    current_volume_ml: Mapped[int] = mapped_column(default=0)
    current_amount_fen: Mapped[int] = mapped_column(default=0)
    totalizer_volume_ml: Mapped[int] = mapped_column(BigInteger)
    totalizer_amount_fen: Mapped[int] = mapped_column(BigInteger)
    totalizer_read_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    order_id: Mapped[str | None] = mapped_column(String(40))
    fill_started_at: Mapped[datetime | None]


class Till(Base):
    __tablename__ = "tills"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # None: simulated till
    paired_at: Mapped[datetime]


class ActivationCode(Base):
    __tablename__ = "activation_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    code: Mapped[str] = mapped_column(String(6), index=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    till_id: Mapped[str | None] = mapped_column(ForeignKey("tills.id"))


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    staff_no: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))


class StaffSession(Base):
    __tablename__ = "staff_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    staff: Mapped[Staff] = relationship(lazy="joined")


class PumpTransaction(Base):
    __tablename__ = "pump_transactions"
    __table_args__ = (Index("ix_pump_transactions_open", "station_id", "state"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    pump_number: Mapped[int]
    nozzle_number: Mapped[int]
    grade_code: Mapped[str] = mapped_column(String(8))
    unit_price_fen: Mapped[int]
    volume_ml: Mapped[int]
    amount_fen: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    locked_till_id: Mapped[str | None] = mapped_column(ForeignKey("tills.id"))
    locked_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    lock_expires_at: Mapped[datetime | None]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]
    sale_ref: Mapped[str | None] = mapped_column(String(200))
    order_id: Mapped[str | None] = mapped_column(String(40))
    locked_till: Mapped[Till | None] = relationship(lazy="joined")
    locked_staff: Mapped[Staff | None] = relationship(lazy="joined")


class Order(Base):
    """A mini-program order: prepaid online for a station, nozzle and amount."""

    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_open", "station_id", "state"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    nozzle_number: Mapped[int]
    grade_code: Mapped[str] = mapped_column(String(8))
    prepaid_fen: Mapped[int]
    state: Mapped[str] = mapped_column(String(24))
    exception: Mapped[str | None] = mapped_column(String(24))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    plate: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    transaction_id: Mapped[str | None] = mapped_column(String(40))


class Member(Base):
    """A chain member. ``version`` takes the next backend-wide counter value on every change to the member
    or one of its coupons, so tills page through ``version > after`` to keep their cache current."""

    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    card_no: Mapped[str] = mapped_column(String(20), unique=True)
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    # the last four digits on their own indexed column: a cashier asks "尾号5678?" many times a day
    phone_suffix4: Mapped[str] = mapped_column(String(4), index=True)
    name: Mapped[str] = mapped_column(String(32))
    tier: Mapped[str] = mapped_column(String(16))
    tier_expires_at: Mapped[datetime | None]
    cumulative_topup_fen: Mapped[int] = mapped_column(BigInteger)
    wallet_fen: Mapped[int]
    points: Mapped[int]
    plate: Mapped[str | None] = mapped_column(String(16))
    birthday: Mapped[date | None] = mapped_column(Date)
    joined_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(BigInteger, unique=True)
    updated_at: Mapped[datetime]
    coupons: Mapped[list[Coupon]] = relationship(order_by="Coupon.id", viewonly=True)

    @validates("phone")
    def _keep_suffix(self, _key: str, phone: str) -> str:
        self.phone_suffix4 = phone[-4:]
        return phone


class Coupon(Base):
    __tablename__ = "coupons"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))  # new_member | member_day | birthday
    threshold_fen: Mapped[int]
    discount_fen: Mapped[int]
    grade_code: Mapped[str | None] = mapped_column(String(8))  # None: any grade
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16))  # available | used | expired (the wire values)


class PickupOrder(Base):
    __tablename__ = "pickup_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    state: Mapped[str] = mapped_column(String(16))  # awaiting_pickup | picked_up | cancelled
    total_fen: Mapped[int]
    created_at: Mapped[datetime]
    items: Mapped[list[PickupOrderItem]] = relationship(back_populates="order")


class PickupOrderItem(Base):
    __tablename__ = "pickup_order_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    pickup_order_id: Mapped[int] = mapped_column(ForeignKey("pickup_orders.id"), index=True)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    unit_price_fen: Mapped[int]
    order: Mapped[PickupOrder] = relationship(back_populates="items")


class WriteoffCode(Base):
    __tablename__ = "writeoff_codes"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    kind: Mapped[str] = mapped_column(String(16))  # pickup | coupon | service
    pickup_order_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_orders.id"))
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupons.id"), unique=True)  # kind coupon
    state: Mapped[str] = mapped_column(String(16))  # issued | reserved | redeemed | expired | void
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    reserved_till_id: Mapped[str | None] = mapped_column(ForeignKey("tills.id"))
    reserved_until: Mapped[datetime | None]
    redeemed_at: Mapped[datetime | None]
    redeemed_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    redeemed_station_id: Mapped[str | None] = mapped_column(String(16))
    redeemed_till_id: Mapped[str | None] = mapped_column(ForeignKey("tills.id"))


class Event(Base):
    __tablename__ = "events"
    __table_args__ = ({"sqlite_autoincrement": True},)  # a seq is never reused after pruning
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    data: Mapped[str] = mapped_column(Text)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))  # "till:<id>" or "pairing"
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
    holds_secret: Mapped[bool] = mapped_column(default=False)  # purged early: it carries a token


class Counter(Base):
    """Backend-wide sequences handed out under a row lock (``counters.next_value``), so values become
    visible in commit order even with several backend processes on one PostgreSQL database."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Sale(Base):
    """A sale accepted from a till; ``body`` keeps the sale as the till sent it (JSON)."""

    __tablename__ = "sales"
    __table_args__ = (
        Index("ix_sales_station_seq", "station_id", "accepted_seq"),
        Index("ix_sales_till_seq", "till_id", "accepted_seq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[str] = mapped_column(String(64), unique=True)
    accepted_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    accepted_at: Mapped[datetime]
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime]
    transaction_id: Mapped[str | None] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    total_fen: Mapped[int]
    points_earned: Mapped[int]
    body: Mapped[str] = mapped_column(Text)


from pos_backend import models_counter  # noqa: E402, F401  (counter and shift tables, for create_all)
