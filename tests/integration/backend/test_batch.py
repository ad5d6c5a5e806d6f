"""POST /batch: order, per-item idempotency, refusals that do not stop it, failures that do."""

from __future__ import annotations

from typing import Any

import pytest

from pos_backend.api.batch import BATCH_ROUTES, BatchRoute
from pos_backend.schemas_sales import SaleIn
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.sales_util import batch, post_sale, recorded_sales, sale_body


def _statuses(results: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["idempotency_key"], r["status"]) for r in results]


def test_batch_keeps_order_and_a_refused_item_does_not_stop_it(
    backend: RunningBackend, till: TillClient
) -> None:
    first, refused, third = sale_body(1_000), sale_body(staff_no="3001"), sale_body(3_000)
    items = [("b-1", first), ("b-2", refused), ("b-3", third), ("b-4", {"sale_id": "only-this"})]
    results = batch(till, items)
    assert _statuses(results) == [("b-1", 201), ("b-2", 403), ("b-3", 201), ("b-4", 422)]
    assert results[1]["body"]["error"]["code"] == "role_forbidden"
    assert results[3]["body"]["error"]["code"] == "validation_failed"
    assert not any(r["replayed"] for r in results)
    assert results[0]["body"]["accepted_seq"] < results[2]["body"]["accepted_seq"]
    assert [s["sale_id"] for s in recorded_sales(till)] == [first["sale_id"], third["sale_id"]]
    # the whole batch again (its answer was lost): every item answered from its record, nothing re-applied
    again = batch(till, items)
    assert [(r["status"], r["body"]) for r in again] == [(r["status"], r["body"]) for r in results]
    assert [r["replayed"] for r in again] == [True, True, True, False]  # a malformed item stores nothing
    assert len(recorded_sales(till)) == 2


def test_key_shared_across_batches_and_single_posts_is_applied_once(
    backend: RunningBackend, till: TillClient
) -> None:
    one, two, three = sale_body(100), sale_body(200), sale_body(300)
    alone = post_sale(till, one, key="k-1")
    assert alone.status_code == 201
    first = batch(till, [("k-1", one), ("k-2", two)])
    second = batch(till, [("k-2", two), ("k-3", three)])
    assert [r["replayed"] for r in first + second] == [True, False, True, False]
    assert first[0]["body"] == alone.json() and second[0]["body"] == first[1]["body"]
    assert [s["sale_id"] for s in recorded_sales(till)] == [one["sale_id"], two["sale_id"], three["sale_id"]]
    reused = batch(till, [("k-3", sale_body(400))])  # same key, different sale
    assert reused[0]["status"] == 422 and reused[0]["body"]["error"]["code"] == "idempotency_key_reused"


def test_unknown_route_in_a_batch_is_refused_and_the_batch_goes_on(
    backend: RunningBackend, till: TillClient
) -> None:
    results = batch(till, [("u-1", {}), ("u-2", sale_body())], path="/api/v1/nowhere")
    assert _statuses(results) == [("u-1", 404), ("u-2", 404)]
    assert till.post("/api/v1/batch", {"requests": []}).status_code == 422


def _explode(*_args: Any) -> Any:
    raise RuntimeError("database unreachable")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_failing_item_stops_the_batch(
    backend: RunningBackend,
    till: TillClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(BATCH_ROUTES, ("POST", "/api/v1/explode"), BatchRoute(SaleIn, _explode))
    before, after = sale_body(100), sale_body(200)
    requests = [
        {"idempotency_key": "f-1", "method": "POST", "path": "/api/v1/sales", "body": before},
        {"idempotency_key": "f-2", "method": "POST", "path": "/api/v1/explode", "body": sale_body()},
        {"idempotency_key": "f-3", "method": "POST", "path": "/api/v1/sales", "body": after},
    ]
    response = till.post("/api/v1/batch", {"requests": requests})
    results = response.json()["results"]
    assert _statuses(results) == [("f-1", 201), ("f-2", 500)]
    assert results[1]["body"]["error"]["code"] == "internal_error"
    assert [s["sale_id"] for s in recorded_sales(till)] == [before["sale_id"]]
    assert "later items not attempted" in caplog.text
