"""Write-off codes (核销): look up, reserve, release, redeem once, today's list, offline conflicts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from pos.domain.wire import parse_rfc3339
from pos_backend import writeoffs
from pos_backend.api.deps import (
    BackendContext,
    Ctx,
    CurrentStaff,
    CurrentTill,
    IdempotencyKey,
    StaffAuth,
    TillAuth,
    dump,
    respond,
)
from pos_backend.api.tills import ERRORS
from pos_backend.clock import utc_now
from pos_backend.idempotency import Mutation, Outcome, request_hash, run_mutation, run_once, till_scope
from pos_backend.roles import Permission, require_permission
from pos_backend.schemas_writeoffs import RedeemIn, WriteoffConflictsOut, WriteoffDayOut, WriteoffOut
from pos_backend.writeoffs_view import list_day

router = APIRouter(prefix="/writeoffs")
REDEEM_PATH = "/api/v1/writeoffs/{code}/redeem"  # the batch table's key; hashed with the code filled in
# app.state.writeoff_reservation_ttl (a timedelta) overrides it, e.g. in tests or a slow station
RESERVATION_TTL_STATE = "writeoff_reservation_ttl"


def _reservation_ttl(request: Request) -> timedelta:
    ttl = getattr(request.app.state, RESERVATION_TTL_STATE, None)
    return ttl if isinstance(ttl, timedelta) else writeoffs.DEFAULT_RESERVATION_TTL


def redemption_mutation(till: TillAuth, key: str, body: RedeemIn, code: str) -> Mutation:
    """Redeeming the code as this till's request under ``key``; POST .../redeem and POST /batch."""
    writeoffs.check_code(code)
    req = writeoffs.RedeemRequest(
        body.staff_no, parse_rfc3339(body.redeemed_at), body.offline, body.reservation
    )
    where = writeoffs.TillRef(till.station_id, till.till_id)

    def action(session: Session) -> tuple[int, dict[str, Any]]:
        return writeoffs.redeem(session, code, where, req, utc_now())

    return Mutation(request_hash("POST", REDEEM_PATH.format(code=code), dump(body)), action)


def submit_redemption(ctx: BackendContext, till: TillAuth, key: str, body: RedeemIn, code: str) -> Outcome:
    """Redeem once per (till, key), in a transaction of its own."""
    return run_mutation(ctx.db, till_scope(till.till_id), key, redemption_mutation(till, key, body, code))


@router.get("", response_model=WriteoffDayOut, responses=ERRORS)
def get_day(
    ctx: Ctx,
    till: CurrentTill,
    day: Annotated[date | None, Query(alias="date")] = None,
    till_id: Annotated[str | None, Query(max_length=40)] = None,
) -> Any:
    """The station's redemptions on one station-local day (default today) with totals per kind."""
    with ctx.db.read() as session:
        return list_day(session, till.station_id, day, till_id, utc_now())


@router.get("/conflicts", response_model=WriteoffConflictsOut, responses=ERRORS)
def get_conflicts(ctx: Ctx, staff: CurrentStaff) -> dict[str, Any]:
    """Offline redemptions the backend refused, for a manager to review."""
    require_permission(staff.role, Permission.REPORTS)
    with ctx.db.read() as session:
        return {"conflicts": writeoffs.conflicts(session, staff.till.station_id)}


@router.get("/{code}", response_model=WriteoffOut, responses=ERRORS)
def get_code(code: str, ctx: Ctx, till: CurrentTill) -> dict[str, Any]:
    writeoffs.check_code(code)
    with ctx.db.read() as session:
        return writeoffs.lookup(session, code, utc_now())


def _staff_change(
    request: Request, ctx: BackendContext, staff: StaffAuth, key: str, code: str, change: Any
) -> Response:
    writeoffs.check_code(code)
    require_permission(staff.role, Permission.WRITE_OFF)

    def action(session: Session) -> tuple[int, dict[str, Any]]:
        return 200, change(session)

    req_hash = request_hash(request.method, request.url.path, None)
    return respond(run_once(ctx.db, f"till:{staff.till.till_id}", key, req_hash, action))


@router.post("/{code}/reserve", response_model=WriteoffOut, responses=ERRORS)
def reserve(code: str, request: Request, ctx: Ctx, staff: CurrentStaff, key: IdempotencyKey) -> Response:
    ttl = _reservation_ttl(request)

    def change(session: Session) -> dict[str, Any]:
        return writeoffs.reserve(session, code, staff.till.till_id, utc_now(), ttl)

    return _staff_change(request, ctx, staff, key, code, change)


@router.delete("/{code}/reservation", response_model=WriteoffOut, responses=ERRORS)
def release(code: str, request: Request, ctx: Ctx, staff: CurrentStaff, key: IdempotencyKey) -> Response:
    def change(session: Session) -> dict[str, Any]:
        return writeoffs.release(session, code, staff.till.till_id, utc_now())

    return _staff_change(request, ctx, staff, key, code, change)


@router.post("/{code}/redeem", response_model=WriteoffOut, responses=ERRORS)
def redeem(code: str, body: RedeemIn, ctx: Ctx, till: CurrentTill, key: IdempotencyKey) -> Response:
    """Outbox route: the device token alone, the staff member named in the body (role checked)."""
    return respond(submit_redemption(ctx, till, key, body, code))
