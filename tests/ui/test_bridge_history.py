"""Screens plugged in after the first frame hear what the bridge delivered before them."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos.services.ports import EventBatch, StationSnapshot
from pos.ui.bridge import QtFollowerBridge
from tests.unit.services.factories import event, nozzle_wire, snapshot, transaction_wire


def deliver(qtbot: QtBot, bridge: QtFollowerBridge, heard: list[object], *items: object) -> None:
    bridge.snapshot_received.connect(heard.append)
    bridge.events_received.connect(heard.append)
    for item in items:
        if isinstance(item, StationSnapshot):
            bridge.on_snapshot(item)
        else:
            assert isinstance(item, EventBatch)
            bridge.on_events(item)
    qtbot.waitUntil(lambda: len(heard) == len(items))


def test_history_replays_in_order_then_stops(qtbot: QtBot) -> None:
    bridge = QtFollowerBridge(keep_history=True)
    old = snapshot(1, [nozzle_wire(1)])
    first = snapshot(5, [nozzle_wire(1)])
    fill = EventBatch([event(6, "transaction.created", transaction_wire("t1", 1))], 6)
    quiet = EventBatch([], 6)
    deliver(qtbot, bridge, [], old, first, fill, quiet)

    snapshots: list[StationSnapshot] = []
    batches: list[EventBatch] = []
    bridge.connect_station(snapshots.append, batches.append)
    assert snapshots == [first] and batches == [fill]  # the newest snapshot and what came after it
    later = EventBatch([event(7, "transaction.updated", transaction_wire("t1", 1, state="cleared"))], 7)
    bridge.on_events(later)
    qtbot.waitUntil(lambda: len(batches) == 2)
    assert batches[1] == later  # and from now on, live

    bridge.forget_history()
    newcomer: list[EventBatch] = []
    bridge.connect_station(None, newcomer.append)
    assert newcomer == []


def test_without_history_a_late_screen_hears_only_what_comes_next(qtbot: QtBot) -> None:
    bridge = QtFollowerBridge()
    deliver(qtbot, bridge, [], snapshot(5, [nozzle_wire(1)]))
    heard: list[StationSnapshot] = []
    bridge.connect_station(heard.append, lambda _batch: None)
    assert heard == []
