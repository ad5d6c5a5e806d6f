"""Mini-program orders at the till: acknowledge completion, refund request on under-run, rebind, pickups."""

from __future__ import annotations

from pos.domain.money import amount_for_volume
from pos_backend.clock import utc_now
from pos_backend.forecourt import end_fill, report_progress, start_fill
from pos_backend.models import Nozzle, Order
from pos_backend.orders import bind_order, finish_order, place_order, set_order_state
from pos_backend.seed import STATION_ID
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.counter_util import error_code, till_for


def _fuelled_order(backend: RunningBackend, nozzle_number: int, prepaid_fen: int, volume_ml: int) -> str:
    """A prepaid order fuelled on its nozzle: completed if the prepaid amount was reached, else under-run."""
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None
        now = utc_now()
        order = place_order(session, nozzle, prepaid_fen, now)
        bind_order(session, order, nozzle, now)
        start_fill(session, nozzle, now)
        report_progress(session, nozzle, volume_ml, now)
        full = amount_for_volume(nozzle.unit_price_fen, volume_ml) >= prepaid_fen
        txn = end_fill(session, nozzle, now)
        finish_order(session, order, txn.id, full, now)
        return order.id


def _paid_order(backend: RunningBackend, nozzle_number: int, exception: str | None = None) -> str:
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None
        order = place_order(session, nozzle, 20_000, utc_now())
        if exception is not None:
            set_order_state(session, order, "refund_requested", utc_now(), exception=exception)
        return order.id


def _order_events(till: TillClient, order_id: str) -> list[dict[str, object]]:
    events = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    return [e["data"] for e in events if e["type"] == "order.updated" and e["data"]["id"] == order_id]


def test_a_completed_order_is_acknowledged_once(backend: RunningBackend, till: TillClient) -> None:
    order_id = _fuelled_order(backend, 4, prepaid_fen=20_000, volume_ml=26_000)  # 95# at 7.89: ¥205
    done = till.post(f"/api/v1/orders/{order_id}/complete", key="ack-1")
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "completed" and done.json()["acknowledged"]["staff_no"] == "1001"
    assert till.post(f"/api/v1/orders/{order_id}/complete", key="ack-1").json() == done.json()
    other = till_for(backend, "manager")
    twice = other.post(f"/api/v1/orders/{order_id}/complete")
    assert twice.status_code == 409 and error_code(twice) == "order_already_acknowledged"
    assert twice.json()["error"]["detail"]["till_id"] == till.till_id
    assert _order_events(till, order_id)[-1]["acknowledged"] is not None
    attendant = till_for(backend, "attendant")
    refused = attendant.post(f"/api/v1/orders/{order_id}/complete")
    assert refused.status_code == 403 and error_code(refused) == "role_forbidden"
    paid = _paid_order(backend, 5)
    early = till.post(f"/api/v1/orders/{paid}/complete")
    assert early.status_code == 409 and error_code(early) == "order_state"


def test_under_run_refund_request_is_limited_to_what_was_not_fuelled(
    backend: RunningBackend, till: TillClient
) -> None:
    order_id = _fuelled_order(backend, 1, prepaid_fen=20_000, volume_ml=20_000)  # 92# at 7.42: ¥148.40
    refundable = 20_000 - amount_for_volume(742, 20_000)
    too_much = till.post(
        f"/api/v1/orders/{order_id}/refund-request", {"amount_fen": refundable + 1, "reason": "少加"}
    )
    assert too_much.status_code == 409 and error_code(too_much) == "refund_exceeds_paid"
    asked = till.post(
        f"/api/v1/orders/{order_id}/refund-request", {"amount_fen": refundable, "reason": "少加"}
    )
    assert asked.status_code == 200, asked.text
    order = asked.json()
    assert order["state"] == "refund_requested" and order["exception"] == "under_run"
    assert order["refund_request"]["amount_fen"] == refundable
    again = till.post(f"/api/v1/orders/{order_id}/refund-request", {"amount_fen": 1, "reason": "again"})
    assert again.status_code == 409 and error_code(again) == "refund_already_requested"
    assert _order_events(till, order_id)[-1]["refund_request"] is not None


def test_wrong_nozzle_order_is_rebound_to_an_idle_nozzle(backend: RunningBackend, till: TillClient) -> None:
    order_id = _paid_order(backend, 1, exception="wrong_nozzle")
    rebound = till.post(f"/api/v1/orders/{order_id}/rebind", {"nozzle_number": 2})
    assert rebound.status_code == 200, rebound.text
    order = rebound.json()
    assert order["state"] == "bound" and order["nozzle_number"] == 2 and order["exception"] is None
    assert order["grade"] == "95"
    with backend.db.read() as session:
        nozzle = session.get(Nozzle, (STATION_ID, 2))
        assert nozzle is not None and nozzle.state == "authorized" and nozzle.order_id == order_id
        stored = session.get(Order, order_id)
        assert stored is not None and stored.state == "bound"
    second = _paid_order(backend, 3)
    busy = till.post(f"/api/v1/orders/{second}/rebind", {"nozzle_number": 2})  # authorised for the first
    assert busy.status_code == 409 and error_code(busy) == "nozzle_busy"
    unknown = till.post(f"/api/v1/orders/{second}/rebind", {"nozzle_number": 99})
    assert unknown.status_code == 404


def test_pickups_awaiting_collection_are_listed_newest_first(
    backend: RunningBackend, till: TillClient
) -> None:
    response = till.get("/api/v1/pickups", state="awaiting")
    assert response.status_code == 200
    pickups = response.json()["pickups"]
    assert pickups and all(p["state"] == "awaiting_pickup" for p in pickups)
    created = [p["created_at"] for p in pickups]
    assert created == sorted(created, reverse=True)
    assert all(
        p["total_fen"] == sum(i["quantity"] * i["unit_price_fen"] for i in p["items"]) for p in pickups
    )
    assert till.get("/api/v1/pickups", state="collected").status_code == 422
