"""Request dependencies: the backend context, the paired till, the signed-in staff, the idempotency key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from pos_backend.auth import token_hash
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.errors import ApiError
from pos_backend.idempotency import Outcome
from pos_backend.models import StaffSession, Till


@dataclass(frozen=True)
class BackendContext:
    db: Database
    lock_ttl: timedelta


@dataclass(frozen=True)
class TillAuth:
    till_id: str
    till_name: str
    station_id: str


@dataclass(frozen=True)
class StaffAuth:
    till: TillAuth
    session_id: int
    staff_id: int
    staff_no: str
    name: str
    role: str


def get_ctx(request: Request) -> BackendContext:
    ctx: BackendContext = request.app.state.ctx
    return ctx


Ctx = Annotated[BackendContext, Depends(get_ctx)]


def current_till(ctx: Ctx, authorization: Annotated[str | None, Header()] = None) -> TillAuth:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "device_token_required", "本机尚未配对 / This till is not paired (no device token)"
        )
    with ctx.db.read() as session:
        till = session.scalar(select(Till).where(Till.token_hash == token_hash(token.strip())))
        if till is None:
            raise ApiError(
                401, "device_token_invalid", "设备凭证无效，请重新配对 / Device token invalid: pair again"
            )
        return TillAuth(till.id, till.name, till.station_id)


CurrentTill = Annotated[TillAuth, Depends(current_till)]


def current_staff(
    ctx: Ctx, till: CurrentTill, x_staff_session: Annotated[str | None, Header()] = None
) -> StaffAuth:
    if not x_staff_session:
        raise ApiError(401, "staff_session_required", "请先登录 / Please sign in")
    with ctx.db.read() as session:
        found = session.scalar(
            select(StaffSession).where(StaffSession.token_hash == token_hash(x_staff_session))
        )
        live = found is not None and found.ended_at is None and found.expires_at > utc_now()
        if found is None or not live or found.till_id != till.till_id:
            raise ApiError(
                401, "staff_session_invalid", "登录已失效，请重新登录 / Session expired: sign in again"
            )
        staff = found.staff
        return StaffAuth(till, found.id, staff.id, staff.staff_no, staff.name, staff.role)


CurrentStaff = Annotated[StaffAuth, Depends(current_staff)]


def idempotency_key(idempotency_key: Annotated[str | None, Header()] = None) -> str:
    if not idempotency_key or not idempotency_key.strip():
        raise ApiError(
            400,
            "idempotency_key_required",
            "缺少 Idempotency-Key / Every change needs an Idempotency-Key header",
        )
    if len(idempotency_key) > 100:
        raise ApiError(
            422,
            "validation_failed",
            "Idempotency-Key 过长 / Idempotency-Key longer than 100 characters",
            {
                "errors": [
                    {
                        "loc": ["header", "Idempotency-Key"],
                        "msg": "at most 100 characters",
                        "type": "too_long",
                    }
                ]
            },
        )
    return idempotency_key


IdempotencyKey = Annotated[str, Depends(idempotency_key)]


def require_role(staff: StaffAuth, allowed: frozenset[str]) -> None:
    if staff.role not in allowed:
        raise ApiError(403, "role_forbidden", "当前岗位无权执行此操作 / Your role may not do this")


def respond(outcome: Outcome) -> Response:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    if outcome.body is None:
        return Response(status_code=outcome.status, headers=headers)
    return JSONResponse(outcome.body, status_code=outcome.status, headers=headers)


def dump(model: Any) -> dict[str, Any] | None:
    return None if model is None else dict(model.model_dump(mode="json"))
