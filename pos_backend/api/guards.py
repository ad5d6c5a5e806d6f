"""Route guards for the role matrix, and the one way counter and shift routes apply a change:
once per Idempotency-Key, with its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends
from sqlalchemy.orm import Session

from pos_backend import audit
from pos_backend.api.deps import BackendContext, CurrentStaff, StaffAuth, TillAuth
from pos_backend.clock import utc_now
from pos_backend.idempotency import Mutation, Outcome, request_hash, run_mutation, till_scope
from pos_backend.roles import Permission, require_permission


def staff_may(permission: Permission) -> Any:
    """Use as ``Annotated[StaffAuth, staff_may(Permission.X)]``."""
    """A dependency: the signed-in staff (X-Staff-Session), refused 403 unless their role may do it.

    Dependencies are solved before the body is validated, so a forbidden role is told so even when its
    request body is incomplete."""

    def guard(staff: CurrentStaff) -> StaffAuth:
        require_permission(staff.role, permission)
        return staff

    return Depends(guard)


Change = Callable[[Session], tuple[int, dict[str, Any]]]


AuditedChange = Callable[[Session], tuple[int, dict[str, Any], str | None, str | None]]


def audited_mutation(
    till: TillAuth, key: str, path: str, payload: dict[str, Any] | None, action: str, change: AuditedChange
) -> Mutation:
    """``change`` as this till's request under ``key``. ``change`` returns (status, body, staff_no,
    subject); a successful change is audited as ``action`` in the same transaction (or SAVEPOINT, in a
    batch), a refusal (ApiError) is not."""

    def apply(session: Session) -> tuple[int, dict[str, Any]]:
        status, body, staff_no, subject = change(session)
        audit.record(
            session,
            station_id=till.station_id,
            till_id=till.till_id,
            staff_no=staff_no,
            action=action,
            subject=subject,
            key=key,
            at=utc_now(),
        )
        return status, body

    return Mutation(request_hash("POST", path, payload), apply)


def run_audited(
    ctx: BackendContext,
    till: TillAuth,
    key: str,
    path: str,
    payload: dict[str, Any] | None,
    action: str,
    change: AuditedChange,
) -> Outcome:
    """Apply ``change`` once per (till, key), audited, in a write transaction of its own."""
    mutation = audited_mutation(till, key, path, payload, action, change)
    return run_mutation(ctx.db, till_scope(till.till_id), key, mutation)
