"""Staff verifiers for offline sign-in, the audit log for managers, diagnostics for support."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import func, select

from pos_backend import audit, staff_auth
from pos_backend.api.deps import Ctx, CurrentTill, StaffAuth
from pos_backend.api.guards import staff_may
from pos_backend.api.tills import ERRORS
from pos_backend.clock import to_wire, utc_now
from pos_backend.events import last_seq
from pos_backend.models import Till
from pos_backend.models_counter import ShiftRow
from pos_backend.roles import Permission
from pos_backend.schemas_counter import AuditPage, DiagnosticsOut, VerifiersOut, parse_time_query

router = APIRouter()


@router.get("/staff/verifiers", response_model=VerifiersOut, responses=ERRORS)
def get_verifiers(ctx: Ctx, till: CurrentTill) -> dict[str, Any]:
    """Each staff member of the station with the scrypt verifier a till checks a PIN against offline."""
    with ctx.db.read() as session:
        return {"staff": staff_auth.verifiers(session, till.station_id)}


@router.get("/audit", response_model=AuditPage, responses=ERRORS)
def get_audit(
    ctx: Ctx,
    staff: Annotated[StaffAuth, staff_may(Permission.REPORTS)],
    since: Annotated[str, Query(min_length=1, max_length=40)],
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 500,
) -> dict[str, Any]:
    """The station's audit entries at or after ``since`` (RFC 3339), oldest first."""
    moment = parse_time_query("since", since)
    with ctx.db.read() as session:
        return {"entries": audit.entries_since(session, staff.till.station_id, moment, limit)}


@router.get("/diagnostics", response_model=DiagnosticsOut, responses=ERRORS)
def get_diagnostics(
    ctx: Ctx, staff: Annotated[StaffAuth, staff_may(Permission.DIAGNOSTICS)]
) -> dict[str, Any]:
    """What support asks first: which database, how far the event log is, tills paired, shift state."""
    station_id = staff.till.station_id
    with ctx.db.read() as session:
        tills = session.scalar(select(func.count()).select_from(Till).where(Till.station_id == station_id))
        shift = session.scalar(
            select(ShiftRow).where(ShiftRow.station_id == station_id, ShiftRow.state != "closed")
        )
        return {
            "database": "sqlite" if ctx.db.is_sqlite else "postgresql",
            "server_time": to_wire(utc_now()),
            "last_seq": last_seq(session),
            "tills": tills or 0,
            "shift_state": None if shift is None else shift.state,
        }
