"""HTTP and local-store adapters of the counter ports (pos.services.counter_ports).

``CounterRoutes`` makes the direct calls (lock, unlock, void, complete an order, ask a refund for an order or
rebind it to the right nozzle, pickups, sign-in) on one ``BackendClient``: the client that signed the staff
member in carries their ``X-Staff-Session``, so the composition root gives sign-in and the counter the same
client and runs both on one task lane.
``CounterJournal`` queues refunds in the outbox and reads back this till's own sales.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text

from pos.domain.errors import InvalidValue
from pos.domain.order import Order
from pos.domain.transaction import PumpTransaction
from pos.services.counter_ports import LocalSale, Pickup, PickupItem, VoidResult
from pos.services.ports import StaffSession
from pos.services.ports_outbox import OutboxEntry
from pos.services.settlement import REFUND_PATH
from pos.sync import wire
from pos.sync.client import BackendClient
from pos.sync.outbox import SqlStore, StoreOutbox

log = logging.getLogger(__name__)


class CounterRoutes:
    """The counter's direct calls; not thread-safe (one lane uses it)."""

    def __init__(self, client: BackendClient) -> None:
        self.client = client

    def sign_in(self, staff_no: str, pin: str) -> StaffSession:
        return self.client.sign_in(staff_no, pin)

    def sign_out(self) -> None:
        self.client.sign_out()

    def lock_transaction(self, transaction_id: str) -> PumpTransaction:
        return self.client.lock_transaction(transaction_id)

    def unlock_transaction(self, transaction_id: str) -> PumpTransaction:
        return self.client.unlock_transaction(transaction_id)

    def void_transaction(self, transaction_id: str, reason: str) -> VoidResult:
        body = self.client._write("POST", f"/transactions/{transaction_id}/void", {"reason": reason})
        transaction = wire.from_wire(PumpTransaction.from_wire, body.get("transaction"), "void")
        cashier = body.get("cashier_no")
        return VoidResult(
            transaction, str(body.get("reason", reason)), cashier if isinstance(cashier, str) else None
        )

    def complete_order(self, order_id: str) -> Order:
        body = self.client._write("POST", f"/orders/{order_id}/complete", {})
        return wire.from_wire(Order.from_wire, body, "order")

    def request_order_refund(self, order_id: str, amount_fen: int, reason: str) -> Order:
        body = self.client._write(
            "POST", f"/orders/{order_id}/refund-request", {"amount_fen": amount_fen, "reason": reason}
        )
        return wire.from_wire(Order.from_wire, body, "order")

    def rebind_order(self, order_id: str, nozzle_number: int) -> Order:
        body = self.client._write("POST", f"/orders/{order_id}/rebind", {"nozzle_number": nozzle_number})
        return wire.from_wire(Order.from_wire, body, "order")

    def pickups_awaiting(self) -> Sequence[Pickup]:
        body = self.client.get_json("/pickups", params={"state": "awaiting"})
        raw = body.get("pickups") if isinstance(body, Mapping) else None
        if not isinstance(raw, list):
            raise wire.bad_response("pickups must be a list")
        try:
            return [parse_pickup(item) for item in raw]
        except (KeyError, TypeError, ValueError) as exc:
            raise wire.bad_response(f"malformed pickup: {type(exc).__name__}") from exc


def parse_pickup(raw: Mapping[str, Any]) -> Pickup:
    items = tuple(
        PickupItem(str(i["name"]), int(i["quantity"]), int(i["unit_price_fen"]))
        for i in raw.get("items") or []
    )
    return Pickup(
        str(raw["id"]),
        str(raw["order_no"]),
        int(raw["total_fen"]),
        datetime.fromisoformat(str(raw["created_at"])),
        items,
    )


class CounterJournal:
    """Refunds through the outbox, and this till's sales from ``sales_local``."""

    def __init__(self, store_outbox: StoreOutbox) -> None:
        self._outbox = store_outbox
        self._store: SqlStore = store_outbox.store

    def record_refund(self, sale_id: str, staff_no: str, body: Mapping[str, Any]) -> OutboxEntry:
        path = REFUND_PATH.format(sale_id=sale_id)
        with self._store.write() as conn:
            known = conn.execute(
                text("SELECT 1 FROM sales_local WHERE sale_id = :id"), {"id": sale_id}
            ).first()
            if known is None:
                raise InvalidValue(f"sale {sale_id} was not recorded at this till")
            entry = self._outbox.outbox.enqueue(conn, "POST", path, body, staff_no)
        self._outbox._notify_enqueued()
        return entry

    def recent_sales(self, limit: int = 50) -> list[LocalSale]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT sale_id, created_at, staff_no, body FROM sales_local "
                    "ORDER BY created_at DESC LIMIT :limit"
                ),
                {"limit": limit},
            ).all()
            refunds = conn.execute(
                text(
                    "SELECT path, body FROM outbox WHERE method = 'POST' "
                    "AND path LIKE '/api/v1/sales/%/refund' AND state != 'rejected'"
                )
            ).all()
        refunded = _refunded_by_sale(refunds)
        return [
            LocalSale(
                sale_id,
                datetime.fromisoformat(created_at),
                staff_no,
                json.loads(body),
                refunded.get(sale_id, {}),
            )
            for sale_id, created_at, staff_no, body in rows
        ]


def _refunded_by_sale(rows: Sequence[Any]) -> dict[str, dict[str, int]]:
    refunded: dict[str, dict[str, int]] = {}
    for path, body_text in rows:
        sale_id = str(path).split("/")[-2]
        by_method = refunded.setdefault(sale_id, {})
        for part in json.loads(body_text).get("tenders") or []:
            by_method[part["method"]] = by_method.get(part["method"], 0) + int(part["amount_fen"])
    return refunded
