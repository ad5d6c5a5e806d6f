from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.order import Order, OrderException, OrderState
from tests.unit.domain.factories import T0, order

OS = OrderState
LATER = T0 + timedelta(minutes=3)


def test_labels_are_the_mini_programs_words() -> None:
    assert [s.label for s in OS] == ["已支付", "已预约", "加油中", "已完成", "已取消", "退款申请"]


@pytest.mark.parametrize(
    "changes",
    [
        {"prepaid_fen": 0},
        {"nozzle_number": 0},
        {"state": "paid"},
        {"exception": "timeout"},
        {"updated_at": T0 - timedelta(seconds=1)},
        {"created_at": datetime(2026, 11, 21, 6, 0)},
        {"order_no": ""},
        {"plate": "x" * 21},
    ],
)
def test_order_refuses_bad_values(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        order(**changes)


def test_happy_path_paid_bound_fuelling_completed() -> None:
    bound = order().bind(5, LATER)
    assert (bound.state, bound.nozzle_number, bound.updated_at) == (OS.BOUND, 5, LATER)
    fuelling = bound.start_fuelling("tx-1", LATER)
    assert fuelling.transaction_id == "tx-1"
    done = fuelling.complete(LATER)
    assert done.state is OS.COMPLETED and not done.is_open


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (OS.PAID, OS.FUELLING),
        (OS.PAID, OS.COMPLETED),
        (OS.FUELLING, OS.CANCELLED),
        (OS.COMPLETED, OS.CANCELLED),
        (OS.CANCELLED, OS.PAID),
        (OS.REFUND_REQUESTED, OS.COMPLETED),
    ],
)
def test_illegal_order_transitions(start: OrderState, target: OrderState) -> None:
    with pytest.raises(IllegalTransition):
        order(state=start).with_state(target, LATER)


def test_refund_records_the_exception() -> None:
    under_run = order(state=OS.COMPLETED).request_refund(LATER, OrderException.UNDER_RUN)
    assert (under_run.state, under_run.exception) == (OS.REFUND_REQUESTED, OrderException.UNDER_RUN)


def test_flagging_keeps_the_state_and_refuses_closed_orders() -> None:
    flagged = order(state=OS.BOUND).flag(OrderException.WRONG_NOZZLE, LATER)
    assert (flagged.state, flagged.exception) == (OS.BOUND, OrderException.WRONG_NOZZLE)
    assert OrderException.WRONG_NOZZLE.label == "油枪或车辆不符"
    with pytest.raises(IllegalTransition):
        order(state=OS.CANCELLED).flag(OrderException.TIMEOUT, LATER)


WIRE: dict[str, Any] = {
    "id": "ord-9",
    "order_no": "MP20261121000009",
    "nozzle_number": 3,
    "grade": "92",
    "prepaid_fen": 20_000,
    "state": "bound",
    "exception": None,
    "member_id": "m-1",
    "plate": "粤B12345",
    "created_at": "2026-11-21T14:00:00+08:00",
    "updated_at": "2026-11-21T06:01:00Z",
    "transaction_id": None,
}


def test_order_from_wire_and_back() -> None:
    parsed = Order.from_wire(WIRE)
    assert parsed.state is OS.BOUND and parsed.exception is None
    assert Order.from_wire(parsed.to_wire()) == parsed
    flagged = Order.from_wire({**WIRE, "exception": "under_run"})
    assert flagged.exception is OrderException.UNDER_RUN


@pytest.mark.parametrize(
    "changes",
    [
        {"state": "booked"},
        {"exception": "lost"},
        {"prepaid_fen": "200"},
        {"created_at": "2026-11-21 14:00"},
        {"member_id": 42},  # identifiers are JSON strings, even when stored as integers
        {"member_id": True},
        {"member_id": 4.2},
    ],
)
def test_order_from_wire_refuses_bad_fields(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        Order.from_wire({**WIRE, **changes})
