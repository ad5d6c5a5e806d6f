"""The forecourt as the till knows it: a plain, single-threaded model fed by a snapshot and ordered events.

The board is owned by one thread (the GUI thread in the app); the event follower hands it data through the
bridge. It never does I/O. Listeners learn what changed (nozzle numbers, order ids) so views repaint only
that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from pos.domain.grade import Grade
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.transaction import PumpTransaction
from pos.services.ports import (
    ConnectionState,
    ConnectionStatus,
    StationChange,
    StationEvent,
    StationInfo,
    StationListener,
    StationSnapshot,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# Transactions in these states hold a place on their pump (at most two per pump).
OPEN_TRANSACTION_STATES = frozenset({"payable", "locked"})
# Orders in these states are finished and leave the incoming list.
CLOSED_ORDER_STATES = frozenset({"completed", "cancelled"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StationBoard:
    """Nozzles by number, open transactions and orders, grades, last applied seq and freshness."""

    def __init__(self, stale_after_seconds: float = 10.0, clock: Clock = _utc_now) -> None:
        self._stale_after = timedelta(seconds=stale_after_seconds)
        self._clock = clock
        self._listeners: list[StationListener] = []
        self.station: StationInfo | None = None
        self.grades: dict[str, Grade] = {}
        self.nozzles: dict[int, Nozzle] = {}
        self.transactions: dict[str, PumpTransaction] = {}
        self.orders: dict[str, Order] = {}
        self.last_seq: int | None = None  # None until the first snapshot
        self.last_contact: datetime | None = None
        self.connection = ConnectionStatus(ConnectionState.OFFLINE, clock())
        self._stale = True  # nothing received yet counts as stale

    # -- listeners -------------------------------------------------------------------------------------

    def subscribe(self, listener: StationListener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: StationListener) -> None:
        self._listeners.remove(listener)

    def _notify(self, change: StationChange) -> None:
        if change.is_empty():
            return
        for listener in list(self._listeners):
            listener.station_changed(change)

    # -- feeding ---------------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: StationSnapshot) -> None:
        """Replace everything with ``snapshot``; events up to ``snapshot.seq`` are already in it."""
        self.station = snapshot.station
        self.grades = {grade.code: grade for grade in snapshot.grades}
        self.nozzles = {nozzle.number: nozzle for nozzle in snapshot.nozzles}
        self.transactions = {
            t.id: t for t in snapshot.transactions if str(t.state) in OPEN_TRANSACTION_STATES
        }
        self.orders = {o.id: o for o in snapshot.orders if str(o.state) not in CLOSED_ORDER_STATES}
        self.last_seq = snapshot.seq
        self._touch()
        self._notify(StationChange(everything=True, stale=True))

    def apply_events(self, events: Iterable[StationEvent]) -> StationChange:
        """Apply events in seq order, skipping any at or below the last applied seq (repeats, old pages).

        An empty batch still counts as contact with the backend: the data is fresh.
        """
        nozzles: set[int] = set()
        orders: set[str] = set()
        pumps: set[int] = set()
        for event in sorted(events, key=lambda e: e.seq):
            if self.last_seq is not None and event.seq <= self.last_seq:
                log.debug("skipping event %d: already applied up to %s", event.seq, self.last_seq)
                continue
            self._apply_one(event, nozzles, orders, pumps)
            self.last_seq = event.seq
        was_stale = self._stale
        self._touch()
        if was_stale:  # fresh again: every tile loses its stale marker
            nozzles.update(self.nozzles)
        change = StationChange(
            nozzles=frozenset(nozzles), orders=frozenset(orders), pumps=frozenset(pumps), stale=was_stale
        )
        self._notify(change)
        return change

    def _apply_one(self, event: StationEvent, nozzles: set[int], orders: set[str], pumps: set[int]) -> None:
        payload = event.payload
        if isinstance(payload, Nozzle):
            self.nozzles[payload.number] = payload
            nozzles.add(payload.number)
        elif isinstance(payload, PumpTransaction):
            self._put_transaction(payload)
            pumps.add(payload.pump_number)
            nozzles.update(self.nozzle_numbers_on_pump(payload.pump_number))
        elif isinstance(payload, Order):
            self._put_order(payload)
            orders.add(payload.id)
            if payload.nozzle_number is not None:
                nozzles.add(payload.nozzle_number)
        elif payload is not None:  # None: a type the till does not act on; anything else is a bug
            raise TypeError(f"unexpected event payload {type(payload).__name__} in event {event.seq}")

    def _put_transaction(self, transaction: PumpTransaction) -> None:
        if str(transaction.state) in OPEN_TRANSACTION_STATES:
            self.transactions[transaction.id] = transaction
        else:
            self.transactions.pop(transaction.id, None)

    def _put_order(self, order: Order) -> None:
        if str(order.state) in CLOSED_ORDER_STATES:
            self.orders.pop(order.id, None)
        else:
            self.orders[order.id] = order

    def set_connection(self, status: ConnectionStatus) -> None:
        if status.state == self.connection.state and status.reason == self.connection.reason:
            return
        self.connection = status
        self._notify(StationChange(connection=True))

    # -- freshness -------------------------------------------------------------------------------------

    def _touch(self) -> None:
        self.last_contact = self._clock()
        self._stale = False

    @property
    def is_stale(self) -> bool:
        return self._stale

    def check_staleness(self) -> bool:
        """Mark the data stale once nothing came from the backend for ``stale_after`` seconds.

        Called periodically by the owner (a timer); listeners hear about the flip once, not every tick.
        """
        stale = self.last_contact is None or self._clock() - self.last_contact > self._stale_after
        if stale != self._stale:
            self._stale = stale
            self._notify(StationChange(stale=True, nozzles=frozenset(self.nozzles)))
        return stale

    # -- derived views ---------------------------------------------------------------------------------

    def nozzle_numbers_on_pump(self, pump_number: int) -> list[int]:
        return sorted(n.number for n in self.nozzles.values() if n.pump_number == pump_number)

    def stacked_count(self, pump_number: int) -> int:
        """Payable or locked transactions waiting on this pump (the pump refuses a third fill at two)."""
        return sum(1 for t in self.transactions.values() if t.pump_number == pump_number)

    def stacked_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for transaction in self.transactions.values():
            counts[transaction.pump_number] = counts.get(transaction.pump_number, 0) + 1
        return counts

    def order_for_nozzle(self, nozzle_number: int) -> Order | None:
        """The open order bound to this nozzle, preferring the one the nozzle itself names."""
        nozzle = self.nozzles.get(nozzle_number)
        if nozzle is not None and nozzle.order_id and nozzle.order_id in self.orders:
            return self.orders[nozzle.order_id]
        for order in self.orders.values():
            if order.nozzle_number == nozzle_number and str(order.state) in {"bound", "fuelling"}:
                return order
        return None

    def grade_name(self, code: str) -> str:
        grade = self.grades.get(code)
        return grade.name if grade is not None else f"{code}#"

    def orders_newest_first(self) -> list[Order]:
        return sorted(self.orders.values(), key=lambda o: o.created_at, reverse=True)
