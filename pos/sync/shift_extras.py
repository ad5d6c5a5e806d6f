"""A shift's voids, refunds and write-offs as this till recorded them (for an offline handover), and the
journal that keeps each void the till obtained (a void is a direct call, so nothing else records it here).

Refunds are the outbox records of ``POST /api/v1/sales/{id}/refund`` (the body carries who, why and the
split per method; the record's ``created_at`` is when the refund was given), write-offs the rows of
``writeoffs_local``, voids the rows of ``voids_local``. Records the backend refused are left out.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from pos.domain.codes import WriteOffKind
from pos.domain.refund import MANAGER_ROLE, Approval, RefundPart
from pos.domain.shift_totals import RefundEntry, VoidEntry
from pos.domain.tender import TenderMethod
from pos.services.handover_figures import RedeemedCode, ShiftExtras
from pos.services.handover_ports import LocalVoid
from pos.sync.outbox import SqlStore, stamp

log = logging.getLogger(__name__)

_UNSENT = "('pending', 'sent')"
_KEPT = "('pending', 'sent', 'acked')"
_REFUNDS = (
    "SELECT o.path, o.body, o.created_at, o.staff_no, v.name FROM outbox o "
    "LEFT JOIN staff_verifiers v ON v.staff_no = o.staff_no "
    "WHERE o.method = 'POST' AND o.path LIKE '/api/v1/sales/%/refund' "
    "AND o.created_at > :start AND o.created_at <= :end AND o.state IN {states} ORDER BY o.created_at, o.id"
)
_WRITE_OFFS = (
    "SELECT w.code, w.kind, w.value_fen, w.redeemed_at FROM writeoffs_local w "
    "JOIN outbox o ON o.id = w.outbox_id "
    "WHERE w.redeemed_at > :start AND w.redeemed_at <= :end AND o.state IN {states} ORDER BY w.redeemed_at"
)
_VOIDS = (
    "SELECT transaction_id, amount_fen, cashier_no, staff_no, staff_name, reason, voided_at "
    "FROM voids_local WHERE voided_at > :start AND voided_at <= :end ORDER BY voided_at, id"
)


def _refund(
    path: str, body_text: str, created_at: str, staff_no: str | None, name: str | None
) -> RefundEntry:
    body: dict[str, Any] = json.loads(body_text)
    staff = str(body.get("staff_no") or staff_no or "-")
    approval = Approval(
        staff, name or staff, MANAGER_ROLE, str(body.get("reason") or "-"), datetime.fromisoformat(created_at)
    )
    parts = tuple(
        RefundPart(TenderMethod(part["method"]), int(part["amount_fen"]))
        for part in body.get("tenders") or ()
    )
    sale_id = path.split("/")[-2]
    return RefundEntry(sale_id, str(body["refund_id"]), parts, approval)


def _void(row: Any) -> VoidEntry:
    transaction_id, amount_fen, cashier_no, staff_no, staff_name, reason, at = row
    approval = Approval(staff_no, staff_name, MANAGER_ROLE, reason, datetime.fromisoformat(at))
    return VoidEntry(transaction_id, cashier_no or "", int(amount_fen), approval)


def local_extras(conn: Connection, start: datetime, end: datetime, unsent_only: bool) -> ShiftExtras:
    """Voids (all: the backend has them once we do), refunds and write-offs in ``(start, end]``."""
    window = {"start": stamp(start), "end": stamp(end)}
    states = _UNSENT if unsent_only else _KEPT
    refunds = tuple(_refund(*row) for row in conn.execute(text(_REFUNDS.format(states=states)), window).all())
    redeemed = tuple(
        RedeemedCode(code, WriteOffKind(kind), int(fen), datetime.fromisoformat(at))
        for code, kind, fen, at in conn.execute(text(_WRITE_OFFS.format(states=states)), window).all()
    )
    voids = () if unsent_only else tuple(_void(row) for row in conn.execute(text(_VOIDS), window).all())
    return ShiftExtras(voids, refunds, redeemed)


class StoreVoidJournal:
    """``VoidJournal`` over the local store: one row per void this till obtained."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def record_void(self, void: LocalVoid) -> None:
        with self._store.write() as conn:
            conn.execute(
                text(
                    "INSERT INTO voids_local (transaction_id, amount_fen, cashier_no, staff_no, staff_name, "
                    "reason, voided_at) VALUES (:transaction_id, :amount_fen, :cashier_no, :staff_no, "
                    ":staff_name, :reason, :at)"
                ),
                {
                    "transaction_id": void.transaction_id,
                    "amount_fen": void.amount_fen,
                    "cashier_no": void.cashier_no,
                    "staff_no": void.staff_no,
                    "staff_name": void.staff_name,
                    "reason": void.reason,
                    "at": stamp(void.at),
                },
            )
        log.info("void of transaction %s kept for the shift report", void.transaction_id)
