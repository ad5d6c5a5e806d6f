"""Mini-program orders (小程序订单): prepaid online for a nozzle and an amount.

State model: ``paid -> bound (nozzle authorised for it) -> fuelling -> completed``. Before fuelling starts
the order may be cancelled; a bound order may be unbound back to paid (the car went to another nozzle).
A refund may be requested at any point short of cancelled, including after completion when the fill
ran under the prepaid amount. ``cancelled`` and ``refund_requested`` are final at the station.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from pos.domain.checks import (
    optional_text,
    require_aware,
    require_int,
    require_member,
    require_order,
    require_text,
)
from pos.domain.errors import IllegalTransition
from pos.domain.grade import GradeCode
from pos.domain.wire import WireObject, format_rfc3339


class OrderState(StrEnum):
    PAID = "paid"
    BOUND = "bound"
    FUELLING = "fuelling"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUND_REQUESTED = "refund_requested"

    @property
    def label(self) -> str:
        """The word the mini program and the staff use (已支付, 已预约...)."""
        return _STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        return not _ALLOWED[self]


_STATE_LABELS = {
    OrderState.PAID: "已支付",
    OrderState.BOUND: "已预约",
    OrderState.FUELLING: "加油中",
    OrderState.COMPLETED: "已完成",
    OrderState.CANCELLED: "已取消",
    OrderState.REFUND_REQUESTED: "退款申请",
}


class OrderException(StrEnum):
    """What went wrong with an order, as the station meets it; it does not change the state by itself."""

    WRONG_NOZZLE = "wrong_nozzle"  # vehicle or nozzle does not match the order
    UNDER_RUN = "under_run"  # the fill stopped short of the prepaid amount
    TIMEOUT = "timeout"  # nobody fuelled within the allowed time

    @property
    def label(self) -> str:
        return _EXCEPTION_LABELS[self]


_EXCEPTION_LABELS = {
    OrderException.WRONG_NOZZLE: "油枪或车辆不符",
    OrderException.UNDER_RUN: "加油不足",
    OrderException.TIMEOUT: "超时",
}

_O = OrderState
_ALLOWED: dict[OrderState, frozenset[OrderState]] = {
    _O.PAID: frozenset({_O.BOUND, _O.CANCELLED, _O.REFUND_REQUESTED}),
    _O.BOUND: frozenset({_O.FUELLING, _O.PAID, _O.CANCELLED, _O.REFUND_REQUESTED}),
    _O.FUELLING: frozenset({_O.COMPLETED, _O.REFUND_REQUESTED}),
    _O.COMPLETED: frozenset({_O.REFUND_REQUESTED}),
    _O.CANCELLED: frozenset(),
    _O.REFUND_REQUESTED: frozenset(),
}
OPEN_STATES = frozenset({_O.PAID, _O.BOUND, _O.FUELLING})


def can_transition(current: OrderState, target: OrderState) -> bool:
    return target in _ALLOWED[current]


def check_transition(current: OrderState, target: OrderState) -> OrderState:
    if not can_transition(current, target):
        raise IllegalTransition("order", current.value, target.value)
    return target


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    order_no: str
    nozzle_number: int
    grade: GradeCode
    prepaid_fen: int
    state: OrderState
    exception: OrderException | None
    member_id: str | None
    plate: str | None
    created_at: datetime
    updated_at: datetime
    transaction_id: str | None = None

    def __post_init__(self) -> None:
        require_text("order id", self.id, max_length=100)
        require_text("order order_no", self.order_no, max_length=100)
        require_int("order nozzle_number", self.nozzle_number, minimum=1)
        require_member("order grade", self.grade, GradeCode)
        require_int("order prepaid_fen", self.prepaid_fen, minimum=1)
        require_member("order state", self.state, OrderState)
        if self.exception is not None:
            require_member("order exception", self.exception, OrderException)
        optional_text("order member_id", self.member_id, max_length=100)
        optional_text("order plate", self.plate, max_length=20)
        require_aware("order created_at", self.created_at)
        require_aware("order updated_at", self.updated_at)
        require_order("created_at", self.created_at, "updated_at", self.updated_at)
        optional_text("order transaction_id", self.transaction_id, max_length=100)

    @property
    def is_open(self) -> bool:
        """Still to be served at the station (shown in the orders list)."""
        return self.state in OPEN_STATES

    def with_state(self, target: OrderState, now: datetime) -> Order:
        """The order in ``target``; IllegalTransition (order unchanged) if the model forbids it."""
        check_transition(self.state, target)
        return replace(self, state=target, updated_at=require_aware("now", now))

    def bind(self, nozzle_number: int, now: datetime) -> Order:
        """The nozzle is authorised for this order (it may differ from the one chosen online)."""
        check_transition(self.state, _O.BOUND)
        return replace(self, state=_O.BOUND, nozzle_number=nozzle_number, updated_at=now)

    def unbind(self, now: datetime) -> Order:
        return self.with_state(_O.PAID, now)

    def start_fuelling(self, transaction_id: str | None, now: datetime) -> Order:
        check_transition(self.state, _O.FUELLING)
        return replace(self, state=_O.FUELLING, transaction_id=transaction_id, updated_at=now)

    def complete(self, now: datetime) -> Order:
        return self.with_state(_O.COMPLETED, now)

    def cancel(self, now: datetime) -> Order:
        return self.with_state(_O.CANCELLED, now)

    def request_refund(self, now: datetime, exception: OrderException | None = None) -> Order:
        """Ask for a refund, optionally recording why (under-run, wrong nozzle, timeout)."""
        refunded = self.with_state(_O.REFUND_REQUESTED, now)
        return refunded if exception is None else replace(refunded, exception=exception)

    def flag(self, exception: OrderException, now: datetime) -> Order:
        """Record an exception on an order still being served; a closed order is not flagged."""
        if self.state.is_final:
            raise IllegalTransition("order exception", self.state.value, exception.value)
        return replace(self, exception=exception, updated_at=now)

    @classmethod
    def from_wire(cls, raw: object) -> Order:
        """Build from the contract's Order object; InvalidValue for any bad field."""
        obj = WireObject(raw, "order")
        return cls(
            id=obj.text("id"),
            order_no=obj.text("order_no"),
            nozzle_number=obj.integer("nozzle_number"),
            grade=obj.choice("grade", GradeCode),
            prepaid_fen=obj.integer("prepaid_fen"),
            state=obj.choice("state", OrderState),
            exception=obj.opt_choice("exception", OrderException),
            member_id=obj.opt_text("member_id"),
            plate=obj.opt_text("plate"),
            created_at=obj.time("created_at"),
            updated_at=obj.time("updated_at"),
            transaction_id=obj.opt_text("transaction_id"),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "order_no": self.order_no,
            "nozzle_number": self.nozzle_number,
            "grade": self.grade.value,
            "prepaid_fen": self.prepaid_fen,
            "state": self.state.value,
            "exception": None if self.exception is None else self.exception.value,
            "member_id": self.member_id,
            "plate": self.plate,
            "created_at": format_rfc3339(self.created_at),
            "updated_at": format_rfc3339(self.updated_at),
            "transaction_id": self.transaction_id,
        }
