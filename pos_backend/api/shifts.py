"""Shift handover routes: current shift, open, cut (meter snapshot), close (outbox), history, report."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_backend import shift_figures, shifts
from pos_backend.api.deps import (
    BackendContext,
    Ctx,
    CurrentTill,
    IdempotencyKey,
    StaffAuth,
    TillAuth,
    dump,
    respond,
)
from pos_backend.api.guards import audited_mutation, run_audited, staff_may
from pos_backend.api.tills import ERRORS
from pos_backend.clock import to_wire, utc_now
from pos_backend.idempotency import Mutation, Outcome, run_mutation, till_scope
from pos_backend.models import Order
from pos_backend.models_counter import ShiftRow
from pos_backend.orders import OPEN_ORDER_STATES
from pos_backend.roles import Permission
from pos_backend.schemas_counter import (
    CurrentShiftOut,
    CutOut,
    ShiftClosedOut,
    ShiftCloseIn,
    ShiftOpenIn,
    ShiftOut,
    ShiftsOut,
)
from pos_backend.staff_auth import named_staff
from pos_backend.wire import order_json, transaction_json

router = APIRouter(prefix="/shifts")
CLOSE_PATH = "/api/v1/shifts/{shift_id}/close"  # the batch table's key; hashed with the id filled in
Manager = Annotated[StaffAuth, staff_may(Permission.HANDOVER)]
Reader = Annotated[StaffAuth, staff_may(Permission.REPORTS)]
Change = tuple[int, dict[str, Any], str | None, str | None]


@router.get("/current", response_model=CurrentShiftOut, responses=ERRORS)
def get_current(ctx: Ctx, till: CurrentTill) -> dict[str, Any]:
    with ctx.db.read() as session:
        shift = shifts.current(session, till.station_id)
        return {"shift": None if shift is None else shifts.shift_json(shift)}


@router.post("/open", status_code=201, response_model=ShiftOut, responses=ERRORS)
def post_open(body: ShiftOpenIn, ctx: Ctx, staff: Manager, key: IdempotencyKey) -> Response:
    """Open a shift when none is live (the first one; later ones open when the previous closes)."""
    till = staff.till

    def change(session: Session) -> Change:
        shift = shifts.open_first(session, till.station_id, staff.staff_no, body.opening_float_fen, utc_now())
        return 201, shifts.shift_json(shift), staff.staff_no, shift.id

    return respond(run_audited(ctx, till, key, "/api/v1/shifts/open", dump(body), "shift.open", change))


def _cut_answer(session: Session, shift: ShiftRow) -> dict[str, Any]:
    assert shift.cut_at is not None
    station, start, end = shift.station_id, shift.opened_at, shift.cut_at
    fills = shift_figures.fills_between(session, station, start, end)
    opening = shifts.meters(session, shift.id, shifts.OPENING)
    closing = shifts.meters(session, shift.id, shifts.CLOSING)
    open_orders = session.scalars(
        select(Order).where(Order.station_id == station, Order.state.in_(OPEN_ORDER_STATES))
    )
    return {
        "shift": shifts.shift_json(shift),
        "cut_at": to_wire(end),
        "meters": shift_figures.reconcile_meters(opening, closing, start, end, fills),
        "transactions": [transaction_json(t, end) for t in fills],
        "sales": [
            {**json.loads(s.body), "accepted_seq": s.accepted_seq, "accepted_at": to_wire(s.accepted_at)}
            for s in shift_figures.sales_between(session, station, start, end)
        ],
        "orders": [order_json(o) for o in open_orders],
    }


@router.post("/current/cut", response_model=CutOut, responses=ERRORS)
def post_cut(ctx: Ctx, staff: Manager, key: IdempotencyKey) -> Response:
    """Read every nozzle's totalizer at one cut time (inside the write lock) while pumps keep running."""
    till = staff.till

    def change(session: Session) -> Change:
        shift = shifts.cut(session, till.station_id, utc_now())  # the time is taken inside the lock
        return 200, _cut_answer(session, shift), staff.staff_no, shift.id

    path = "/api/v1/shifts/current/cut"
    return respond(run_audited(ctx, till, key, path, None, "shift.cut", change))


def close_mutation(till: TillAuth, key: str, body: ShiftCloseIn, shift_id: str) -> Mutation:
    """Closing the shift as this till's request under ``key``; POST .../close and POST /batch."""

    def change(session: Session) -> Change:
        manager = named_staff(session, till.station_id, body.staff_no, Permission.HANDOVER)
        closed, nxt = shifts.close(session, till.station_id, shift_id, body, manager, utc_now())
        answer = {"shift": shifts.shift_json(closed), "next_shift": shifts.shift_json(nxt)}
        return 201, answer, body.staff_no, shift_id

    path = CLOSE_PATH.format(shift_id=shift_id)
    return audited_mutation(till, key, path, dump(body), "shift.close", change)


def submit_close(ctx: BackendContext, till: TillAuth, key: str, body: ShiftCloseIn, shift_id: str) -> Outcome:
    """Close the shift once per (till, key), in a transaction of its own."""
    return run_mutation(ctx.db, till_scope(till.till_id), key, close_mutation(till, key, body, shift_id))


@router.post("/{shift_id}/close", status_code=201, response_model=ShiftClosedOut, responses=ERRORS)
def post_close(
    shift_id: str, body: ShiftCloseIn, ctx: Ctx, till: CurrentTill, key: IdempotencyKey
) -> Response:
    """Outbox route: authorised by the device token and the manager named in ``staff_no``."""
    return respond(submit_close(ctx, till, key, body, shift_id))


@router.get("", response_model=ShiftsOut, responses=ERRORS)
def get_history(ctx: Ctx, staff: Reader, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    with ctx.db.read() as session:
        rows = shifts.history(session, staff.till.station_id, limit)
        return {"shifts": [shifts.shift_json(row) for row in rows]}


@router.get("/{shift_id}/report", responses=ERRORS)
def get_report(shift_id: str, ctx: Ctx, staff: Reader) -> dict[str, Any]:
    """X report of a live shift (up to now, meters read now) or Z report of a closed one."""
    with ctx.db.read() as session:
        shift = shifts.by_id(session, staff.till.station_id, shift_id)
        now = utc_now()
        end = shift_figures.window_end(shift, now)
        opening = shifts.meters(session, shift.id, shifts.OPENING)
        closing = shifts.meters(session, shift.id, shifts.CLOSING)
        if shift.cut_at is None:  # live: read the totalizers now, in this same snapshot
            closing = shifts.as_meters(
                shift.id, shifts.CLOSING, shifts.live_readings(session, shift.station_id), now
            )
        kind = "Z" if shift.state == "closed" else "X"
        figures = shift_figures.figures(session, shift, end, opening, closing)
        return {"kind": kind, "shift": shifts.shift_json(shift), **figures}
