"""StationBoard: snapshot, ordered events, duplicates, staleness, stacked payable counts, notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pos.services.ports import ConnectionState, ConnectionStatus, StationChange
from pos.services.station_board import StationBoard
from tests.unit.services.factories import (
    T0,
    event,
    nozzle_wire,
    order_wire,
    snapshot,
    transaction_wire,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Recorder:
    def __init__(self) -> None:
        self.changes: list[StationChange] = []

    def station_changed(self, change: StationChange) -> None:
        self.changes.append(change)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def board(clock: FakeClock) -> StationBoard:
    board = StationBoard(stale_after_seconds=10, clock=clock)
    board.apply_snapshot(
        snapshot(
            seq=10,
            nozzles=[nozzle_wire(n) for n in range(1, 5)],
            transactions=[transaction_wire("t1", 1), transaction_wire("t-cleared", 3, state="cleared")],
            orders=[order_wire("o1", 2, created=5), order_wire("o-done", 4, state="completed")],
        )
    )
    return board


def test_snapshot_fills_the_board_and_drops_closed_items(board: StationBoard) -> None:
    assert sorted(board.nozzles) == [1, 2, 3, 4]
    assert board.last_seq == 10
    assert set(board.transactions) == {"t1"}
    assert set(board.orders) == {"o1"}
    assert board.station is not None and board.station.name == "中石化演示站"
    assert board.grade_name("95") == "95#汽油"


def test_events_apply_in_seq_order_even_if_delivered_out_of_order(board: StationBoard) -> None:
    board.apply_events(
        [
            event(12, "nozzle.updated", nozzle_wire(2, "fuelling", 5000, 3710)),
            event(11, "nozzle.updated", nozzle_wire(2, "authorized")),
        ]
    )
    assert str(board.nozzles[2].state) == "fuelling"
    assert board.nozzles[2].current_amount_fen == 3710
    assert board.last_seq == 12


def test_duplicate_and_old_events_are_ignored(board: StationBoard) -> None:
    board.apply_events([event(11, "nozzle.updated", nozzle_wire(1, "fuelling", 1000, 742))])
    change = board.apply_events(
        [
            event(11, "nozzle.updated", nozzle_wire(1, "calling")),  # repeat of 11 with other data
            event(9, "nozzle.updated", nozzle_wire(1, "error")),  # older than the snapshot
        ]
    )
    assert str(board.nozzles[1].state) == "fuelling"
    assert board.last_seq == 11
    assert change.nozzles == frozenset()


def test_transactions_stack_per_pump_and_leave_when_cleared(board: StationBoard) -> None:
    # Nozzles 1 and 2 are on pump 1, 3 and 4 on pump 2.
    board.apply_events([event(11, "transaction.created", transaction_wire("t2", 2))])
    assert board.stacked_count(1) == 2
    assert board.stacked_count(2) == 0
    assert board.stacked_counts() == {1: 2}
    board.apply_events([event(12, "transaction.updated", transaction_wire("t1", 1, state="locked"))])
    assert board.stacked_count(1) == 2  # locked still holds its place on the pump
    board.apply_events([event(13, "transaction.updated", transaction_wire("t1", 1, state="cleared"))])
    assert board.stacked_count(1) == 1
    assert set(board.transactions) == {"t2"}


def test_orders_newest_first_and_completed_ones_leave(board: StationBoard) -> None:
    board.apply_events([event(11, "order.created", order_wire("o2", 3, created=50))])
    assert [o.id for o in board.orders_newest_first()] == ["o2", "o1"]
    board.apply_events([event(12, "order.updated", order_wire("o1", 2, state="cancelled"))])
    assert [o.id for o in board.orders_newest_first()] == ["o2"]


def test_listeners_hear_which_nozzles_and_orders_changed(board: StationBoard) -> None:
    recorder = Recorder()
    board.subscribe(recorder)
    board.apply_events(
        [
            event(11, "nozzle.updated", nozzle_wire(4, "calling")),
            event(12, "transaction.created", transaction_wire("t2", 2)),
            event(13, "order.updated", order_wire("o1", 2, state="bound")),
        ]
    )
    (change,) = recorder.changes
    assert change.nozzles == frozenset({1, 2, 4})  # 1 and 2 share pump 1, whose stack grew
    assert change.pumps == frozenset({1})
    assert change.orders == frozenset({"o1"})
    board.unsubscribe(recorder)
    board.apply_events([event(14, "nozzle.updated", nozzle_wire(4, "idle"))])
    assert len(recorder.changes) == 1


def test_data_goes_stale_without_contact_and_fresh_on_any_answer(
    board: StationBoard, clock: FakeClock
) -> None:
    recorder = Recorder()
    board.subscribe(recorder)
    clock.advance(9)
    assert board.check_staleness() is False
    clock.advance(2)
    assert board.check_staleness() is True
    assert board.is_stale
    assert recorder.changes[-1].stale and recorder.changes[-1].nozzles == frozenset({1, 2, 3, 4})
    clock.advance(5)
    board.check_staleness()
    assert len(recorder.changes) == 1  # told once, not on every tick
    board.apply_events([])  # an empty long-poll answer is still contact
    assert not board.is_stale
    assert board.last_contact == clock.now
    assert recorder.changes[-1].stale and recorder.changes[-1].nozzles == frozenset({1, 2, 3, 4})


def test_a_new_board_is_stale_until_the_first_snapshot(clock: FakeClock) -> None:
    board = StationBoard(stale_after_seconds=10, clock=clock)
    assert board.is_stale
    assert board.check_staleness() is True
    assert board.connection.state == ConnectionState.OFFLINE


def test_connection_changes_are_reported_once(board: StationBoard, clock: FakeClock) -> None:
    recorder = Recorder()
    board.subscribe(recorder)
    board.set_connection(ConnectionStatus(ConnectionState.ONLINE, clock.now))
    board.set_connection(ConnectionStatus(ConnectionState.ONLINE, clock.now))
    board.set_connection(ConnectionStatus(ConnectionState.OFFLINE, clock.now, "backend_unreachable"))
    assert [c.connection for c in recorder.changes] == [True, True]
    assert board.connection.reason == "backend_unreachable"


def test_order_for_nozzle_prefers_the_nozzles_own_link(board: StationBoard) -> None:
    board.apply_events(
        [
            event(11, "order.updated", order_wire("o1", 2, state="bound")),
            event(12, "nozzle.updated", nozzle_wire(3, "authorized", order_id="o1")),
        ]
    )
    assert board.order_for_nozzle(3) is not None
    assert board.order_for_nozzle(2) is not None  # bound to 2 by the order itself
    assert board.order_for_nozzle(1) is None


def test_a_snapshot_after_events_replaces_everything(board: StationBoard) -> None:
    board.apply_events([event(11, "order.created", order_wire("o2", 3))])
    board.apply_snapshot(snapshot(seq=5, nozzles=[nozzle_wire(7)]))
    assert sorted(board.nozzles) == [7]
    assert board.orders == {}
    assert board.last_seq == 5  # a rebuilt backend restarts its seq; the snapshot is the truth
