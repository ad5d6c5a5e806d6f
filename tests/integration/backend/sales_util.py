"""Building sale bodies for the outbox routes, and reading back what the backend recorded."""

from __future__ import annotations

import uuid
from typing import Any

from pos_backend.clock import to_wire, utc_now
from tests.integration.backend.conftest import TillClient


def sale_body(
    amount_fen: int = 22_370,
    *,
    staff_no: str = "1001",
    transaction_id: str | None = None,
    member_id: str | None = None,
    discounts: list[dict[str, Any]] | None = None,
    tenders: list[dict[str, Any]] | None = None,
    change_fen: int = 0,
) -> dict[str, Any]:
    """A fuel sale paid by WeChat unless told otherwise; the total follows lines minus discounts."""
    discounts = discounts or []
    total = amount_fen - sum(d["amount_fen"] for d in discounts)
    return {
        "sale_id": uuid.uuid4().hex,
        "staff_no": staff_no,
        "created_at": to_wire(utc_now()),
        "transaction_id": transaction_id,
        "order_id": None,
        "member_id": member_id,
        "lines": [
            {"kind": "fuel", "description": "92#汽油", "quantity_ml": 30_150, "amount_fen": amount_fen}
        ],
        "discounts": discounts,
        "tenders": tenders if tenders is not None else [{"method": "wechat", "amount_fen": total}],
        "total_fen": total,
        "change_fen": change_fen,
    }


def post_sale(till: TillClient, body: dict[str, Any], key: str | None = None, staff: bool = False) -> Any:
    return till.post("/api/v1/sales", body, key=key, staff=staff)


def recorded_sales(till: TillClient, **params: Any) -> list[dict[str, Any]]:
    response = till.get("/api/v1/sales", limit=1000, **params)
    assert response.status_code == 200, response.text
    sales: list[dict[str, Any]] = response.json()["sales"]
    return sales


def batch(till: TillClient, items: list[tuple[str, dict[str, Any]]], path: str = "/api/v1/sales") -> Any:
    requests = [{"idempotency_key": key, "method": "POST", "path": path, "body": body} for key, body in items]
    response = till.post("/api/v1/batch", {"requests": requests}, staff=False)
    assert response.status_code == 200, response.text
    return response.json()["results"]
