"""The settlement inbox list: newest first, two stacked per pump, locks by other tills, orders kept."""

from __future__ import annotations

from datetime import timedelta

from pos.domain.grade import GradeCode
from pos.domain.order import Order, OrderException, OrderState
from pos.services.counter_ports import Pickup
from pos.services.inbox import InboxBook, InboxKind
from pos.services.station_board import StationBoard

from .fakes import OTHER, T0, fill


def order(order_id: str = "o-1", state: OrderState = OrderState.PAID, minutes: int = 0, **changes) -> Order:
    at = T0 + timedelta(minutes=minutes)
    fields = {
        "id": order_id,
        "order_no": f"XC{order_id}",
        "nozzle_number": 3,
        "grade": GradeCode.G92,
        "prepaid_fen": 20_000,
        "state": state,
        "exception": None,
        "member_id": None,
        "plate": None,
        "created_at": at,
        "updated_at": at,
    }
    return Order(**{**fields, **changes})


def book_with(*transactions, orders=(), now=T0 + timedelta(minutes=10)) -> tuple[InboxBook, StationBoard]:
    board = StationBoard(clock=lambda: now)
    board.transactions = {t.id: t for t in transactions}
    board.orders = {o.id: o for o in orders}
    return InboxBook(board, clock=lambda: now), board


def test_newest_first_across_kinds() -> None:
    book, _ = book_with(
        fill(id="a", ended_at=T0 + timedelta(minutes=3)),
        orders=[order("o-1", minutes=5)],
    )
    book.set_pickups([Pickup("p-1", "SC1", 2_000, T0 + timedelta(minutes=1))])
    assert [item.key for item in book.items()] == ["order:o-1", "pump:a", "pickup:p-1"]


def test_at_most_two_per_pump_and_prepaid_fills_left_out() -> None:
    fills = [fill(id=f"t{n}", ended_at=T0 + timedelta(minutes=3 + n)) for n in range(3)]
    book, _ = book_with(*fills, fill(id="pre", order_id="o-9"))
    assert [item.key for item in book.items()] == ["pump:t2", "pump:t1"]


def test_another_tills_live_lock_names_it_and_an_expired_one_is_free() -> None:
    live = fill(id="live").lock(OTHER, T0 + timedelta(minutes=9))
    expired = fill(id="old", pump_number=5).lock(OTHER, T0)
    book, _ = book_with(live, expired)
    items = {item.key: item for item in book.items()}
    assert items["pump:live"].locked_by_other == OTHER and items["pump:live"].needs_attention
    assert items["pump:old"].locked_by_other is None


def test_completed_orders_stay_until_acknowledged_and_new_ones_are_announced() -> None:
    book, board = book_with(orders=[order("o-1", OrderState.FUELLING)])
    completed = order("o-1", OrderState.COMPLETED)
    board.orders.pop("o-1")  # the board forgets completed orders
    fresh = order("o-2", minutes=8)
    new = book.note_orders([("order.updated", completed), ("order.created", fresh)])
    assert new == [fresh]
    assert [i.key for i in book.items() if i.kind is InboxKind.ORDER] == ["order:o-1"]
    book.acknowledge("o-1")
    assert book.items() == []


def test_an_exception_needs_attention() -> None:
    book, _ = book_with(orders=[order(exception=OrderException.WRONG_NOZZLE)])
    assert book.items()[0].needs_attention


def test_a_fill_settled_here_leaves_the_list_before_the_backend_confirms() -> None:
    book, _ = book_with(fill(id="a"), fill(id="b", pump_number=3))
    book.settled_here.add("a")
    assert [item.key for item in book.items()] == ["pump:b"]
