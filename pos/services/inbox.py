"""The settlement inbox (待结算): everything awaiting the cashier in one list, newest first.

Three kinds of work: payable pump transactions (at most two stacked per pump, as the pump holds them),
mini-program orders (paid, bound, fuelling, and completed ones until a till acknowledges them, with their
exceptions), and mall pickup orders awaiting collection. A transaction another till holds shows who; a
lock that ran out counts as free. Single-threaded (the GUI thread owns it), no I/O: the board, the event
stream and a periodic pickups read feed it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pos.domain.order import Order, OrderState
from pos.domain.transaction import MAX_STACKED_PER_PUMP, LockHolder, PumpTransaction
from pos.services.counter_ports import Pickup
from pos.services.station_board import StationBoard

# A completed order nobody acknowledged leaves the inbox after this long (the shift report keeps it).
COMPLETED_ORDER_KEPT = timedelta(hours=2)
NEW_ORDER_EVENT = "order.created"


class InboxKind(StrEnum):
    PUMP = "pump"
    ORDER = "order"
    PICKUP = "pickup"


@dataclass(frozen=True, slots=True)
class InboxItem:
    kind: InboxKind
    key: str  # stable across refreshes: "pump:<id>", "order:<id>", "pickup:<id>"
    at: datetime  # newest first
    amount_fen: int
    transaction: PumpTransaction | None = None
    order: Order | None = None
    pickup: Pickup | None = None
    locked_by_other: LockHolder | None = None
    mine: bool = False  # locked by this till

    @property
    def needs_attention(self) -> bool:
        return self.locked_by_other is not None or (
            self.order is not None and self.order.exception is not None
        )


def _utc_now() -> datetime:
    return datetime.now(UTC)


class InboxBook:
    """What the inbox lists; ``items()`` rebuilds the list (it is short: a few dozen rows at most)."""

    def __init__(self, board: StationBoard, clock: Callable[[], datetime] = _utc_now) -> None:
        self._board = board
        self._clock = clock
        self.my_locks: set[str] = set()
        # fills this till recorded a sale for: hidden until the backend's event clears them
        self.settled_here: set[str] = set()
        self._completed: dict[str, Order] = {}
        self._acknowledged: set[str] = set()
        self.pickups: list[Pickup] = []

    # -- feeding ---------------------------------------------------------------------------------------

    def note_orders(self, events: Iterable[tuple[str, Order]]) -> list[Order]:
        """Orders from the event stream as ``(event type, order)``; returns the brand-new ones to announce.

        The board forgets completed orders; the inbox keeps them until a till acknowledges them.
        """
        new: list[Order] = []
        for event_type, order in events:
            if order.state is OrderState.COMPLETED and order.id not in self._acknowledged:
                self._completed[order.id] = order
            elif order.state is not OrderState.COMPLETED:
                self._completed.pop(order.id, None)
            if event_type == NEW_ORDER_EVENT and not order.state.is_final:
                new.append(order)
        return new

    def acknowledge(self, order_id: str) -> None:
        self._acknowledged.add(order_id)
        self._completed.pop(order_id, None)

    def set_pickups(self, pickups: Sequence[Pickup]) -> None:
        self.pickups = list(pickups)

    # -- reading ---------------------------------------------------------------------------------------

    def items(self) -> list[InboxItem]:
        now = self._clock()
        items = [*self._pump_items(now), *self._order_items(now), *self._pickup_items()]
        return sorted(items, key=lambda item: (item.at, item.key), reverse=True)

    def _pump_items(self, now: datetime) -> list[InboxItem]:
        by_pump: dict[int, list[PumpTransaction]] = {}
        for transaction in self._board.transactions.values():
            if transaction.id in self.settled_here:
                continue
            if transaction.order_id is None:  # a prepaid fill is the order's row, not a sale to take
                by_pump.setdefault(transaction.pump_number, []).append(transaction)
        items: list[InboxItem] = []
        for stacked in by_pump.values():
            newest = sorted(stacked, key=lambda t: t.ended_at, reverse=True)[:MAX_STACKED_PER_PUMP]
            items.extend(self._pump_item(transaction, now) for transaction in newest)
        return items

    def _pump_item(self, transaction: PumpTransaction, now: datetime) -> InboxItem:
        holder = transaction.holder_at(now)
        mine = transaction.id in self.my_locks
        return InboxItem(
            InboxKind.PUMP,
            f"pump:{transaction.id}",
            transaction.ended_at,
            transaction.amount_fen,
            transaction=transaction,
            locked_by_other=None if holder is None or mine else holder,
            mine=mine and holder is not None,
        )

    def _order_items(self, now: datetime) -> list[InboxItem]:
        orders = {order.id: order for order in self._board.orders.values()}
        for order_id, order in list(self._completed.items()):
            if now - order.updated_at > COMPLETED_ORDER_KEPT:
                del self._completed[order_id]
            else:
                orders.setdefault(order_id, order)
        return [
            InboxItem(InboxKind.ORDER, f"order:{order.id}", order.created_at, order.prepaid_fen, order=order)
            for order in orders.values()
            if order.id not in self._acknowledged
        ]

    def _pickup_items(self) -> list[InboxItem]:
        return [
            InboxItem(InboxKind.PICKUP, f"pickup:{p.id}", p.created_at, p.total_fen, pickup=p)
            for p in self.pickups
        ]
