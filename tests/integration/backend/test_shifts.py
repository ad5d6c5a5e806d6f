"""Shift handover over HTTP: open, cut while the simulator keeps fuelling, close exactly once, report."""

from __future__ import annotations

import itertools
import time
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from pos.domain.wire import format_rfc3339, parse_rfc3339
from pos_backend.clock import utc_now
from pos_backend.models import PumpTransaction as T
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator
from tests.integration.backend.conftest import TillClient, make_payable
from tests.integration.backend.counter_util import error_code, till_for
from tests.integration.backend.sales_util import batch, post_sale, sale_body
from tests.support import Fuelling

FLOAT_FEN = 50_000


def _counted(fen: int) -> dict[str, int]:
    """The drawer as pieces, largest first, down to the jiao."""
    pieces = {}
    for value in (10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10):
        pieces[str(value)], fen = divmod(fen, value)
    return pieces


def _close_body(cut_at: str, counted: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "staff_no": "2001",
        "cut_at": cut_at,
        "counted": counted,
        "outgoing_staff_no": "1001",
        "incoming_staff_no": "1002",
        "next_opening_float_fen": 30_000,
        **extra,
    }


def _get(client: TillClient, path: str, **params: Any) -> Any:
    """A GET with the staff session (reports are for managers)."""
    headers = client.headers(staff=True)
    response = client.http.get(client.base + path, params=params, headers=headers, timeout=20)
    assert response.status_code == 200, response.text
    return response.json()


def _open(manager: TillClient) -> dict[str, Any]:
    opened = manager.post("/api/v1/shifts/open", {"opening_float_fen": FLOAT_FEN})
    assert opened.status_code == 201, opened.text
    return dict(opened.json())


def test_handover_closes_exactly_once_and_opens_the_next_shift(
    backend: RunningBackend, till: TillClient
) -> None:
    refused = till.post("/api/v1/shifts/open", {"opening_float_fen": FLOAT_FEN})
    assert refused.status_code == 403 and error_code(refused) == "role_forbidden"
    manager = till_for(backend, "manager")
    shift = _open(manager)
    assert manager.post("/api/v1/shifts/open", {"opening_float_fen": 1}).status_code == 409
    assert till.get("/api/v1/shifts/current").json()["shift"]["id"] == shift["id"]
    cash = [{"method": "cash", "amount_fen": 10_000}]
    assert post_sale(till, sale_body(8_800, tenders=cash, change_fen=1_200)).status_code == 201

    first_cut = manager.post("/api/v1/shifts/current/cut")
    assert first_cut.status_code == 200, first_cut.text
    time.sleep(0.01)
    cut = manager.post("/api/v1/shifts/current/cut")  # cut again after settling a blocker: replaced
    assert cut.status_code == 200, cut.text
    cut_at = cut.json()["cut_at"]
    assert parse_rfc3339(cut_at) > parse_rfc3339(first_cut.json()["cut_at"])
    assert cut.json()["shift"]["state"] == "closing" and len(cut.json()["meters"]) == 8
    assert len(cut.json()["sales"]) == 1
    events = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    assert "shift.closing" in [e["type"] for e in events]

    path = f"/api/v1/shifts/{shift['id']}/close"
    short = manager.post(path, _close_body(cut_at, _counted(FLOAT_FEN)), staff=False)  # ¥88 missing
    assert short.status_code == 422 and error_code(short) == "variance_needs_reason"
    assert short.json()["error"]["detail"]["variance_fen"] == -8_800
    by_cashier = manager.post(path, _close_body(cut_at, _counted(FLOAT_FEN), staff_no="1001"), staff=False)
    assert by_cashier.status_code == 403 and error_code(by_cashier) == "role_forbidden"
    body = _close_body(cut_at, _counted(FLOAT_FEN + 8_720))  # 8 jiao short: within the limit
    first = batch(till, [("close-1", body)], path=path)
    assert first[0]["status"] == 201, first
    closed, nxt = first[0]["body"]["shift"], first[0]["body"]["next_shift"]
    assert closed["state"] == "closed" and closed["variance_fen"] == -80 and closed["cut_at"] == cut_at
    replayed = batch(till, [("close-1", body)], path=path)  # the outbox resends after a lost answer
    assert replayed[0]["replayed"] and replayed[0]["body"] == first[0]["body"]
    second = batch(till, [("close-2", body)], path=path)
    assert second[0]["status"] == 409 and second[0]["body"]["error"]["code"] == "shift_already_closed"

    current = till.get("/api/v1/shifts/current").json()["shift"]
    assert current["id"] == nxt["id"] and current["opening_float_fen"] == 30_000
    assert current["opened_at"] == cut_at and current["opened_by"] == "1002"
    report = _get(manager, f"/api/v1/shifts/{shift['id']}/report")
    assert report["kind"] == "Z" and report["cash"]["expected_fen"] == FLOAT_FEN + 8_800
    assert report["methods"] == [
        {"method": "cash", "sales": 1, "taken_fen": 8_800, "refunded_fen": 0, "net_fen": 8_800}
    ]
    history = _get(manager, "/api/v1/shifts", limit=5)["shifts"]
    assert [s["id"] for s in history] == [nxt["id"], shift["id"]]
    events = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    assert [e["type"] for e in events if e["type"] in ("shift.closed", "shift.opened")][-2:] == [
        "shift.closed",
        "shift.opened",
    ]


def test_offline_close_without_a_backend_cut_rebuilds_the_meters(
    backend: RunningBackend, till: TillClient
) -> None:
    manager = till_for(backend, "manager")
    shift = _open(manager)
    make_payable(backend, nozzle_number=1, volume_ml=30_150)
    time.sleep(0.01)
    cut_at = format_rfc3339(utc_now())  # the till cut while the backend was unreachable
    time.sleep(0.01)
    make_payable(backend, nozzle_number=2, volume_ml=20_000)  # after the cut: the next shift's
    path = f"/api/v1/shifts/{shift['id']}/close"
    closed = manager.post(path, _close_body(cut_at, _counted(FLOAT_FEN)), staff=False)
    assert closed.status_code == 201, closed.text
    report = _get(manager, f"/api/v1/shifts/{shift['id']}/report")
    metered = {m["nozzle_number"]: (m["metered_ml"], m["sold_ml"]) for m in report["meters"]}
    assert metered[1] == (30_150, 30_150) and metered[2] == (0, 0)
    assert all(m["difference_ml"] == 0 for m in report["meters"])
    next_report = _get(manager, f"/api/v1/shifts/{closed.json()['next_shift']['id']}/report")
    assert next_report["kind"] == "X"
    assert {m["nozzle_number"]: m["metered_ml"] for m in next_report["meters"]}[2] == 20_000
    too_late = manager.post(path, _close_body(cut_at, _counted(FLOAT_FEN)), staff=False)
    assert too_late.status_code == 409 and error_code(too_late) == "shift_already_closed"
    detail = too_late.json()["error"]["detail"]
    assert detail["closed_by"] == "2001" and detail["shift_id"] == shift["id"]


HANDOVERS = 6


def _handover(manager: TillClient, fuelling: Fuelling, shift_id: str) -> tuple[dict[str, Any], str]:
    """Cut while the pumps run, let the fills running at the cut end, close; (cut answer, next id)."""
    cut = manager.post("/api/v1/shifts/current/cut")
    assert cut.status_code == 200, cut.text
    fuelling.wait_until(fuelling.simulator.sim_time + 60.0)
    body = _close_body(cut.json()["cut_at"], _counted(FLOAT_FEN), next_opening_float_fen=FLOAT_FEN)
    closed = manager.post(f"/api/v1/shifts/{shift_id}/close", body, staff=False)
    assert closed.status_code == 201, closed.text
    return cut.json(), closed.json()["next_shift"]["id"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cut_while_fuelling_loses_no_litre_and_counts_none_twice(backend: RunningBackend) -> None:
    manager = till_for(backend, "manager")
    shift_ids = [_open(manager)["id"]]
    cuts = []
    simulator = Simulator(backend.db, seed=11, busy=True)
    with Fuelling(simulator) as fuelling:
        fuelling.wait_until(200.0)
        for _ in range(HANDOVERS):  # pumps keep running through every cut
            cut, next_id = _handover(manager, fuelling, shift_ids[-1])
            cuts.append(cut)
            shift_ids.append(next_id)
    reports = [_get(manager, f"/api/v1/shifts/{shift_id}/report") for shift_id in shift_ids]
    for report in reports:  # every litre the meters counted was sold in the same shift
        assert all(m["difference_ml"] == 0 for m in report["meters"]), report["meters"]
        assert sum(g["fills"] for g in report["grades"]) > 0
    for before, after in itertools.pairwise(reports):
        closing = {m["nozzle_number"]: m["closing_volume_ml"] for m in before["meters"]}
        assert closing == {m["nozzle_number"]: m["opening_volume_ml"] for m in after["meters"]}
    metered = sum(m["metered_ml"] for r in reports for m in r["meters"])
    sold = sum(g["volume_ml"] for r in reports for g in r["grades"])
    first_open = {m["nozzle_number"]: m["opening_volume_ml"] for m in reports[0]["meters"]}
    last_close = {m["nozzle_number"]: m["closing_volume_ml"] for m in reports[-1]["meters"]}
    assert metered == sold == sum(last_close[n] - first_open[n] for n in first_open) > 0
    # fills that started before a cut and ended after it belong to the next shift, not this one
    for cut in cuts:
        spanning = _fills_spanning(backend, parse_rfc3339(cut["cut_at"]))
        assert spanning, "no fill ran across the cut (the busy simulator keeps every pump going)"
        assert not set(spanning) & {t["id"] for t in cut["transactions"]}


def _fills_spanning(backend: RunningBackend, cut_at: datetime) -> list[str]:
    with backend.db.read() as session:
        query = select(T.id).where(T.started_at <= cut_at, T.ended_at > cut_at)
        return list(session.scalars(query))
