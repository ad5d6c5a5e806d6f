"""The handover's local store (``ShiftLedger``): shift history, fills heard of, printed reports, and the
close committed together with its outbox record. Times are stored with ``outbox.stamp`` (fixed-width
UTC text), so windows are plain string comparisons on indexed columns.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from pos.domain.grade import GradeCode
from pos.domain.meters import MeterReading, MeterSnapshot
from pos.domain.shift import ShiftState
from pos.services.handover_figures import FillDigest, SalesDigest, ShiftExtras
from pos.services.handover_ports import FillRecord, LocalShift, SaleBody, StoredReport
from pos.sync.outbox import Outbox, SqlStore, stamp
from pos.sync.shift_extras import local_extras
from pos.sync.shift_wire import shift_from_wire, shift_to_wire

log = logging.getLogger(__name__)
CLOSE_PATH = "/api/v1/shifts/{shift_id}/close"
# The sales digest: the window's sales (refused ones left out) in a temporary table, then sums over it.
_DROP_WINDOW = "DROP TABLE IF EXISTS temp.shift_window_sales"
_WINDOW_SALES = (  # each body parsed once: its scalars and its tender/discount arrays extracted here
    "CREATE TEMP TABLE shift_window_sales AS SELECT s.sale_id AS sale_id, "
    "CAST(strftime('%H', s.created_at, :shift) AS INTEGER) AS hour, "
    "json_extract(s.body, '$.total_fen') AS total, json_extract(s.body, '$.change_fen') AS change, "
    "json_extract(s.body, '$.member_id') IS NOT NULL AS member, "
    "json_extract(s.body, '$.tenders') AS tenders, json_extract(s.body, '$.discounts') AS discounts "
    "FROM sales_local s LEFT JOIN outbox o ON o.id = s.outbox_id "
    "WHERE s.created_at > :start AND s.created_at <= :end AND COALESCE(o.state, '') != 'rejected'"
)
_SALE_SUMS = (
    "SELECT COUNT(*), SUM(change), SUM(CASE WHEN member THEN total / 100 END) FROM temp.shift_window_sales"
)
_TENDER_SUMS = (
    "SELECT method, COUNT(*), SUM(fen) FROM (SELECT w.sale_id, json_extract(t.value, '$.method') AS method, "
    "SUM(json_extract(t.value, '$.amount_fen')) AS fen FROM temp.shift_window_sales w, "
    "json_each(w.tenders) t GROUP BY w.sale_id, method) GROUP BY method"
)
_DISCOUNT_SUMS = (
    "SELECT json_extract(d.value, '$.kind'), COUNT(*), SUM(json_extract(d.value, '$.amount_fen')) "
    "FROM temp.shift_window_sales w, json_each(w.discounts) d GROUP BY 1"
)
_HOUR_SUMS = "SELECT hour, SUM(total) FROM temp.shift_window_sales GROUP BY hour"
_SHIFT_COLUMNS = "shift_json, opening_json, closing_json, pending_upload, summary_json"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def snapshot_to_json(snapshot: MeterSnapshot | None) -> str | None:
    if snapshot is None:
        return None
    readings = [[r.nozzle_number, r.grade.value, r.volume_ml, r.amount_fen] for r in snapshot.readings]
    return _dumps({"cut_at": snapshot.cut_at.isoformat(), "readings": readings})


def snapshot_from_json(raw: str | None) -> MeterSnapshot | None:
    if not raw:
        return None
    data = json.loads(raw)
    readings = tuple(MeterReading(n, GradeCode(g), ml, fen) for n, g, ml, fen in data["readings"])
    return MeterSnapshot(datetime.fromisoformat(data["cut_at"]), readings)


def _local_shift(row: Any) -> LocalShift:
    m = row._mapping
    return LocalShift(
        shift_from_wire(json.loads(m["shift_json"])),
        snapshot_from_json(m["opening_json"]),
        snapshot_from_json(m["closing_json"]),
        bool(m["pending_upload"]),
        json.loads(m["summary_json"]) if m["summary_json"] else {},
    )


class StoreShiftLedger:
    """Safe from any thread: each call is one read or one ``BEGIN IMMEDIATE`` write of the store."""

    def __init__(self, store: SqlStore, outbox: Outbox | None = None) -> None:
        self._store = store
        self._outbox = outbox or Outbox()
        self._enqueued: list[Callable[[], None]] = []

    def on_enqueued(self, listener: Callable[[], None]) -> None:
        """Called after the close's outbox record committed (wake the drainer)."""
        self._enqueued.append(listener)

    # -- sales and fills -------------------------------------------------------------------------------

    def unsent_sales_between(self, start: datetime, end: datetime) -> list[SaleBody]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT s.body FROM sales_local s JOIN outbox o ON o.id = s.outbox_id "
                    "WHERE s.created_at > :start AND s.created_at <= :end AND o.state IN ('pending', 'sent')"
                ),
                {"start": stamp(start), "end": stamp(end)},
            ).all()
        return [json.loads(row[0]) for row in rows]

    def sales_digest(self, start: datetime, end: datetime, utc_offset_minutes: int) -> SalesDigest:
        """Added up in SQLite (JSON1), so 20,000 bodies are never parsed in Python."""
        window = {"start": stamp(start), "end": stamp(end), "shift": f"{utc_offset_minutes:+d} minutes"}
        digest = SalesDigest()
        with self._store.read() as conn:
            conn.exec_driver_sql(_DROP_WINDOW)
            conn.execute(text(_WINDOW_SALES), window)
            row = conn.execute(text(_SALE_SUMS)).one()
            digest.sales, digest.change_fen, digest.points = int(row[0]), int(row[1] or 0), int(row[2] or 0)
            for method, count, gross in conn.execute(text(_TENDER_SUMS)).all():
                digest.method_sales[method] += int(count)
                digest.method_fen[method] += int(gross)
                if method == "cash":
                    digest.cash_gross_fen = int(gross)
            digest.method_fen["cash"] -= digest.change_fen
            for kind, count, fen in conn.execute(text(_DISCOUNT_SUMS)).all():
                if kind == "coupon":
                    digest.coupons, digest.coupon_fen = int(count), int(fen)
                elif kind == "tier":
                    digest.tier_fen = int(fen)
            for hour, fen in conn.execute(text(_HOUR_SUMS)).all():
                digest.hours[int(hour)] += int(fen)
            conn.exec_driver_sql(_DROP_WINDOW)
        digest.method_fen = +digest.method_fen  # drop methods netted to zero (all cash given back)
        return digest

    def fill_digest(self, start: datetime, end: datetime) -> FillDigest:
        digest = FillDigest()
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT nozzle_number, grade, COUNT(*), SUM(volume_ml), SUM(amount_fen), "
                    "SUM(order_id IS NOT NULL), SUM(CASE WHEN order_id IS NOT NULL THEN amount_fen END) "
                    "FROM fills_local WHERE ended_at > :start AND ended_at <= :end "
                    "GROUP BY nozzle_number, grade"
                ),
                {"start": stamp(start), "end": stamp(end)},
            ).all()
        for number, grade, count, ml, fen, prepaid, prepaid_fen in rows:
            digest.nozzles[int(number)] = (GradeCode(grade), int(count), int(ml), int(fen))
            digest.prepaid_fills += int(prepaid or 0)
            digest.prepaid_fen += int(prepaid_fen or 0)
        return digest

    def fills_between(self, start: datetime, end: datetime) -> list[FillRecord]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, nozzle_number, grade, volume_ml, amount_fen, ended_at, order_id "
                    "FROM fills_local "
                    "WHERE ended_at > :start AND ended_at <= :end ORDER BY ended_at, id"
                ),
                {"start": stamp(start), "end": stamp(end)},
            ).all()
        grades = {g.value: g for g in GradeCode}
        return [
            FillRecord(i, n, grades[g], ml, fen, datetime.fromisoformat(at), order)
            for i, n, g, ml, fen, at, order in rows
        ]

    def extras_between(self, start: datetime, end: datetime, unsent_only: bool = False) -> ShiftExtras:
        with self._store.read() as conn:
            return local_extras(conn, start, end, unsent_only)

    def remember_fills(self, fills: Sequence[FillRecord]) -> None:
        if not fills:
            return
        rows = [
            {
                "id": f.id,
                "n": f.nozzle_number,
                "g": f.grade.value,
                "ml": f.volume_ml,
                "fen": f.amount_fen,
                "at": stamp(f.ended_at),
                "order": f.order_id,
            }
            for f in fills
        ]
        with self._store.write() as conn:
            conn.execute(
                text(
                    "INSERT OR REPLACE INTO fills_local (id, nozzle_number, grade, volume_ml, amount_fen, "
                    "ended_at, order_id) VALUES (:id, :n, :g, :ml, :fen, :at, :order)"
                ),
                rows,
            )

    # -- shifts ----------------------------------------------------------------------------------------

    def remember_shift(self, record: LocalShift) -> None:
        with self._store.write() as conn:
            self._upsert(conn, record)
            if record.shift.state is not ShiftState.CLOSED and not record.shift.id.startswith("local-"):
                # the backend's live shift replaces the provisional one this till opened at its close
                conn.execute(text("DELETE FROM shifts_local WHERE id LIKE 'local-%' AND state != 'closed'"))

    def _upsert(self, conn: Connection, record: LocalShift, outbox_id: int | None = None) -> None:
        """Insert or refresh; a closed shift is never reopened, and known meters and summary are kept."""
        shift = record.shift
        conn.execute(
            text(
                "INSERT INTO shifts_local (id, number, state, opened_at, shift_json, opening_json, "
                "closing_json, summary_json, pending_upload, outbox_id) VALUES (:id, :number, :state, "
                ":opened_at, :shift_json, :opening, :closing, :summary, :pending, :outbox_id) "
                "ON CONFLICT (id) DO UPDATE SET "
                "state = CASE WHEN state = 'closed' THEN state ELSE excluded.state END, "
                "shift_json = CASE WHEN state = 'closed' AND excluded.state != 'closed' THEN shift_json "
                "  ELSE excluded.shift_json END, "
                "opening_json = COALESCE(excluded.opening_json, opening_json), "
                "closing_json = COALESCE(excluded.closing_json, closing_json), "
                "summary_json = COALESCE(excluded.summary_json, summary_json), "
                "pending_upload = MAX(pending_upload, excluded.pending_upload), "
                "outbox_id = COALESCE(excluded.outbox_id, outbox_id)"
            ),
            {
                "id": shift.id,
                "number": shift.number,
                "state": shift.state.value,
                "opened_at": stamp(shift.opened_at),
                "shift_json": _dumps(shift_to_wire(shift)),
                "opening": snapshot_to_json(record.opening),
                "closing": snapshot_to_json(record.closing),
                "summary": _dumps(dict(record.summary)) if record.summary else None,
                "pending": int(record.pending_upload),
                "outbox_id": outbox_id,
            },
        )

    def current_shift(self) -> LocalShift | None:
        with self._store.read() as conn:
            row = conn.execute(
                text(
                    f"SELECT {_SHIFT_COLUMNS} FROM shifts_local WHERE state != 'closed' "
                    "ORDER BY opened_at DESC LIMIT 1"
                )
            ).first()
        return None if row is None else _local_shift(row)

    def shift(self, shift_id: str) -> LocalShift | None:
        with self._store.read() as conn:
            row = conn.execute(
                text(f"SELECT {_SHIFT_COLUMNS} FROM shifts_local WHERE id = :id"), {"id": shift_id}
            ).first()
        return None if row is None else _local_shift(row)

    def history(self, limit: int) -> list[LocalShift]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    f"SELECT {_SHIFT_COLUMNS} FROM shifts_local ORDER BY opened_at DESC, number DESC LIMIT :n"
                ),
                {"n": limit},
            ).all()
            acked = self._acked_closes(conn)
        found = [_local_shift(row) for row in rows]
        return [
            LocalShift(r.shift, r.opening, r.closing, r.pending_upload and r.shift.id not in acked, r.summary)
            for r in found
        ]

    def close_shift(
        self, closed: LocalShift, nxt: LocalShift, close_body: Mapping[str, Any], staff_no: str
    ) -> str:
        path = CLOSE_PATH.format(shift_id=closed.shift.id)
        with self._store.write() as conn:
            entry = self._outbox.enqueue(conn, "POST", path, close_body, staff_no)
            self._upsert(conn, closed, entry.id)
            self._upsert(conn, nxt)
        for listener in list(self._enqueued):
            try:
                listener()
            except Exception:  # a failing listener must not make a committed close look failed
                log.exception("close enqueue listener failed")
        return entry.idempotency_key

    def close_acknowledged(self, shift_id: str) -> bool | None:
        with self._store.read() as conn:
            state = conn.execute(
                text(
                    "SELECT o.state FROM shifts_local s JOIN outbox o ON o.id = s.outbox_id WHERE s.id = :id"
                ),
                {"id": shift_id},
            ).scalar()
        return None if state is None else state == "acked"

    @staticmethod
    def _acked_closes(conn: Connection) -> set[str]:
        rows = conn.execute(
            text(
                "SELECT s.id FROM shifts_local s JOIN outbox o ON o.id = s.outbox_id WHERE o.state = 'acked'"
            )
        ).all()
        return {row[0] for row in rows}

    # -- reports and the outbox ------------------------------------------------------------------------

    def save_report(self, report: StoredReport) -> None:
        with self._store.write() as conn:
            conn.execute(
                text(
                    "INSERT INTO shift_reports_local (shift_id, kind, printed_at, lines_json) "
                    "VALUES (:shift_id, :kind, :at, :lines)"
                ),
                {
                    "shift_id": report.shift_id,
                    "kind": report.kind,
                    "at": stamp(report.printed_at),
                    "lines": _dumps(list(report.lines)),
                },
            )

    def reports(self, shift_id: str) -> list[StoredReport]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT kind, printed_at, lines_json FROM shift_reports_local "
                    "WHERE shift_id = :id ORDER BY id"
                ),
                {"id": shift_id},
            ).all()
        return [
            StoredReport(shift_id, k, datetime.fromisoformat(at), json.loads(lines)) for k, at, lines in rows
        ]

    def outbox_unacked(self) -> tuple[int, int]:
        with self._store.read() as conn:
            counts = self._outbox.counts(conn)
        return counts.unsent, counts.rejected
