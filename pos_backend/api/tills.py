"""Health, pairing a till, and staff sessions."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Header, Request, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_backend import audit, staff_auth
from pos_backend.api.deps import Ctx, CurrentTill, IdempotencyKey, TillAuth, dump, respond
from pos_backend.auth import new_token, token_hash
from pos_backend.clock import to_wire, utc_now
from pos_backend.errors import ApiError
from pos_backend.idempotency import PAIRING_SCOPE, request_hash, run_once
from pos_backend.models import ActivationCode, StaffSession, Station, Till
from pos_backend.schemas import ErrorBody, Health, Pairing, PairRequest, SignInRequest, StaffSessionOut

log = logging.getLogger(__name__)
router = APIRouter()
STAFF_SESSION_LIFETIME = timedelta(hours=12)  # one shift and its handover
ERRORS: dict[int | str, dict[str, Any]] = {"4XX": {"model": ErrorBody}}


@router.get("/health", response_model=Health)
def health() -> dict[str, Any]:
    return {"status": "ok", "time": to_wire(utc_now())}


def _claim_activation_code(session: Session, code: str) -> ActivationCode:
    """Use the code once: a conditional UPDATE, so two tills racing with one code cannot both pair."""
    now = utc_now()
    invalid = ApiError(
        404, "activation_code_invalid", "激活码无效或已使用 / Activation code unknown or already used"
    )
    row = session.scalar(
        select(ActivationCode).where(
            ActivationCode.code == code, ActivationCode.used_at.is_(None), ActivationCode.expires_at > now
        )
    )
    if row is None:
        raise invalid
    claimed = session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(claimed, "rowcount", 0)) != 1:
        raise invalid
    return row


@router.post("/tills/pair", status_code=201, response_model=Pairing, responses=ERRORS)
def pair(body: PairRequest, request: Request, ctx: Ctx, key: IdempotencyKey) -> Response:
    def action(session: Session) -> tuple[int, dict[str, Any]]:
        code_row = _claim_activation_code(session, body.activation_code.strip())
        station = session.get(Station, code_row.station_id)
        assert station is not None
        token = new_token()
        till = Till(
            id=uuid.uuid4().hex,
            station_id=station.id,
            name=body.till_name,
            token_hash=token_hash(token),
            paired_at=utc_now(),
        )
        session.add(till)
        session.flush()
        session.execute(
            update(ActivationCode).where(ActivationCode.id == code_row.id).values(till_id=till.id)
        )
        log.info("till %s paired at station %s", till.id, station.id)
        return 201, {
            "till_id": till.id,
            "till_name": till.name,
            "station_id": station.id,
            "station_name": station.name,
            "device_token": token,
        }

    req_hash = request_hash("POST", request.url.path, dump(body))
    return respond(run_once(ctx.db, PAIRING_SCOPE, key, req_hash, action, holds_secret=True))


def _audit(
    session: Session, till: TillAuth, staff_no: str | None, action: str, subject: str | None, key: str
) -> None:
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


def _sign_in(session: Session, till: TillAuth, body: SignInRequest, key: str) -> tuple[int, dict[str, Any]]:
    now = utc_now()
    # refusals are returned, not raised: the wrong-PIN count (lockout) must commit with them
    checked = staff_auth.authenticate(session, till.station_id, body.staff_no, body.pin, now)
    if isinstance(checked, ApiError):
        log.info("failed sign-in on till %s", till.till_id)
        _audit(session, till, body.staff_no, "staff.sign_in_refused", checked.code, key)
        return checked.status, checked.body()
    staff = checked
    _audit(session, till, staff.staff_no, "staff.sign_in", staff.staff_no, key)
    token = new_token()
    expires = now + STAFF_SESSION_LIFETIME
    session.add(
        StaffSession(
            token_hash=token_hash(token),
            staff_id=staff.id,
            till_id=till.till_id,
            created_at=now,
            expires_at=expires,
        )
    )
    log.info("staff %s signed in on till %s", staff.staff_no, till.till_id)
    return 201, {
        "session_token": token,
        "expires_at": to_wire(expires),
        "staff": {"staff_no": staff.staff_no, "name": staff.name, "role": staff.role},
    }


@router.post("/staff/sessions", status_code=201, response_model=StaffSessionOut, responses=ERRORS)
def sign_in(
    body: SignInRequest, request: Request, ctx: Ctx, till: CurrentTill, key: IdempotencyKey
) -> Response:
    req_hash = request_hash("POST", request.url.path, dump(body))
    scope = f"till:{till.till_id}"
    return respond(
        run_once(ctx.db, scope, key, req_hash, lambda s: _sign_in(s, till, body, key), holds_secret=True)
    )


@router.delete("/staff/sessions/current", status_code=204, responses=ERRORS)
def sign_out(
    request: Request,
    ctx: Ctx,
    till: CurrentTill,
    key: IdempotencyKey,
    x_staff_session: str | None = Header(default=None),
) -> Response:
    """Ends the session named by X-Staff-Session; ending one already ended (or unknown) is refused."""
    if not x_staff_session:
        raise ApiError(401, "staff_session_required", "请先登录 / Please sign in")

    def action(session: Session) -> tuple[int, None]:
        ended = session.execute(
            update(StaffSession)
            .where(
                StaffSession.token_hash == token_hash(x_staff_session),
                StaffSession.till_id == till.till_id,
                StaffSession.ended_at.is_(None),
            )
            .values(ended_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        if int(getattr(ended, "rowcount", 0)) != 1:
            raise ApiError(401, "staff_session_invalid", "登录已失效 / Session already ended or unknown")
        _audit(session, till, None, "staff.sign_out", None, key)
        return 204, None

    req_hash = request_hash("DELETE", request.url.path, {"session": token_hash(x_staff_session)})
    return respond(run_once(ctx.db, f"till:{till.till_id}", key, req_hash, action))
