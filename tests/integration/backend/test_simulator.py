"""The station simulator, stepped deterministically (no sleeping), checked through the API and the DB."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from pos.domain.money import amount_for_volume
from pos.domain.pump import NozzleState, can_transition
from pos_backend.db import Database
from pos_backend.forecourt import OPEN_STATES
from pos_backend.models import Event, Nozzle, PumpTransaction
from pos_backend.seed import seed
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator
from tests.integration.backend.conftest import TillClient


def all_events(till: TillClient) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while page := till.get("/api/v1/station/events", after=after, limit=1000).json()["events"]:
        events += page
        after = page[-1]["seq"]
    return events


def open_per_pump(db: Database) -> dict[int, int]:
    with db.read() as session:
        rows = session.execute(
            select(PumpTransaction.pump_number, func.count())
            .where(PumpTransaction.state.in_(OPEN_STATES))
            .group_by(PumpTransaction.pump_number)
        ).all()
    return {pump: count for pump, count in rows}


def test_fill_progress_grows_then_becomes_payable(backend: RunningBackend, till: TillClient) -> None:
    simulator = Simulator(backend.db, seed=7)
    for _ in range(300):
        simulator.step(1.0)
        assert max(open_per_pump(backend.db).values(), default=0) <= 2
    events = all_events(till)
    created = [
        e["data"] for e in events if e["type"] == "transaction.created" and e["data"]["order_id"] is None
    ]
    assert created, "five simulated minutes produce payable fills"
    txn = created[0]
    progress = [
        e["data"]
        for e in events
        if e["type"] == "nozzle.updated"
        and e["data"]["number"] == txn["nozzle_number"]
        and e["data"]["state"] == "fuelling"
        and e["seq"]
        < next(x["seq"] for x in events if x["type"] == "transaction.created" and x["data"] == txn)
    ]
    amounts = [p["current_amount_fen"] for p in progress if p["current_volume_ml"] > 0]
    assert len(amounts) >= 10 and amounts == sorted(amounts) and amounts[-1] > amounts[0]
    assert txn["state"] == "payable" and txn["volume_ml"] >= progress[-1]["current_volume_ml"]
    assert txn["amount_fen"] == amount_for_volume(txn["unit_price_fen"], txn["volume_ml"])


def test_transitions_legal_and_amounts_follow_the_pump_rule(
    backend: RunningBackend, till: TillClient
) -> None:
    simulator = Simulator(backend.db, seed=11, progress_hz=2.0)
    for _ in range(10):
        simulator.step(60.0)
        assert max(open_per_pump(backend.db).values(), default=0) <= 2
    events = all_events(till)
    last_state: dict[int, NozzleState] = defaultdict(lambda: NozzleState.IDLE)
    seen: set[NozzleState] = set()
    for event in events:
        data = event["data"]
        if event["type"] == "nozzle.updated":
            state = NozzleState(data["state"])
            before = last_state[data["number"]]
            assert state == before or can_transition(before, state), (data["number"], before, state)
            last_state[data["number"]] = state
            seen.add(state)
            assert data["current_amount_fen"] == amount_for_volume(
                data["unit_price_fen"], data["current_volume_ml"]
            )
        elif event["type"].startswith("transaction."):
            assert data["amount_fen"] == amount_for_volume(data["unit_price_fen"], data["volume_ml"])
    assert {NozzleState.CALLING, NozzleState.AUTHORIZED, NozzleState.FUELLING, NozzleState.PAYABLE} <= seen
    types = {e["type"] for e in events}
    assert "transaction.updated" in types  # the simulated till settles fills
    cleared_by_sim = [
        e for e in events if e["type"] == "transaction.updated" and e["data"]["state"] == "locked"
    ]
    assert all(e["data"]["locked_by"]["till_name"] == "前台2 (simulated)" for e in cleared_by_sim)


def test_orders_run_their_course(backend: RunningBackend, till: TillClient) -> None:
    simulator = Simulator(backend.db, seed=3)
    simulator.step(900.0)
    events = all_events(till)
    orders: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        if event["type"].startswith("order."):
            orders[event["data"]["id"]].append(event["data"])
    assert len(orders) >= 3
    allowed_next = {
        "paid": {"bound", "cancelled", "refund_requested"},
        "bound": {"fuelling"},
        "fuelling": {"completed", "refund_requested"},
    }
    for history in orders.values():
        states = [o["state"] for o in history]
        assert states[0] == "paid"
        for before, after in itertools.pairwise(states):
            assert after in allowed_next.get(before, set()), states
        final = history[-1]
        if final["state"] == "completed":
            assert final["transaction_id"] and final["exception"] is None
        if final["exception"] == "under_run":
            assert final["state"] == "refund_requested" and final["transaction_id"]
        assert 10_000 <= final["prepaid_fen"] <= 30_000
        assert final["member_id"] is None or isinstance(final["member_id"], str)


def _trace(db_path: Path) -> list[tuple[Any, ...]]:
    db = Database(f"sqlite:///{db_path}")
    seed(db)
    simulator = Simulator(db, seed=5)
    simulator.step(240.0)
    with db.read() as session:
        rows = session.scalars(select(Event).order_by(Event.seq)).all()
        trace = [(row.seq, row.type, _stable(row.data)) for row in rows]
    db.dispose()
    return trace


def _stable(data: str) -> tuple[Any, ...]:
    parsed = json.loads(data)
    return tuple(
        sorted(
            (k, v)
            for k, v in parsed.items()
            if not k.endswith("_at") and k not in {"id", "order_id", "transaction_id"}
        )
    )


def test_same_seed_same_station_day(tmp_path: Path) -> None:
    first, second = _trace(tmp_path / "a.sqlite3"), _trace(tmp_path / "b.sqlite3")
    assert len(first) > 100
    assert first == second


def test_a_restarted_simulator_carries_on_fills_it_did_not_start(tmp_path: Path) -> None:
    """The backend restarted mid-fill: the new simulator knows nothing of those fills, yet every fill must
    end with at least the litres the pump showed before the restart (never wiped to zero)."""
    db = Database(f"sqlite:///{tmp_path / 'restart.sqlite3'}")
    seed(db)
    Simulator(db, seed=9, busy=True).step(90.0)
    with db.read() as session:
        shown = {
            n.number: n.current_volume_ml
            for n in session.scalars(select(Nozzle)).all()
            if n.state == NozzleState.FUELLING and n.current_volume_ml > 0
        }
        last_txn = session.scalar(select(func.max(PumpTransaction.ended_at)))
    assert shown, "the busy station should have fills running when it stops"
    Simulator(db, seed=10, busy=True).step(400.0)
    with db.read() as session:
        later = session.scalars(
            select(PumpTransaction)
            .where(PumpTransaction.ended_at > last_txn)
            .order_by(PumpTransaction.ended_at)
        ).all()
    first_end = {}
    for txn in later:
        first_end.setdefault(txn.nozzle_number, txn.volume_ml)
    for number, volume in shown.items():
        assert first_end[number] >= volume, (
            f"nozzle {number} ended with {first_end[number]} ml after {volume}"
        )
    db.dispose()
