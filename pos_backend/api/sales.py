"""Sales from the tills' outboxes: record one (applied once per Idempotency-Key) and read them back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_backend import audit, sales
from pos_backend.api.deps import BackendContext, Ctx, CurrentTill, IdempotencyKey, TillAuth, dump, respond
from pos_backend.api.tills import ERRORS
from pos_backend.auth import token_hash
from pos_backend.clock import utc_now
from pos_backend.errors import ApiError
from pos_backend.idempotency import Mutation, Outcome, request_hash, run_mutation, till_scope
from pos_backend.models import StaffSession
from pos_backend.schemas_sales import SaleAccepted, SaleIn, SalesPage

router = APIRouter()
SALES_PATH = "/api/v1/sales"  # hashed with the body, the same whether sent alone or in a batch


def sale_mutation(till: TillAuth, key: str, sale: SaleIn) -> Mutation:
    """Recording the sale as this till's request under ``key``; POST /sales and POST /batch apply it."""
    as_sent = dump(sale)  # hashed here and stored by record_sale: dumped once

    def action(session: Session) -> tuple[int, dict[str, Any]]:
        now = utc_now()
        answer = sales.record_sale(session, sale, till.station_id, till.till_id, now, as_sent)
        audit.record(
            session,
            station_id=till.station_id,
            till_id=till.till_id,
            staff_no=sale.staff_no,
            action="sale.record",
            subject=sale.sale_id,
            key=key,
            at=now,
        )
        return 201, answer

    req_hash = request_hash("POST", SALES_PATH, as_sent)
    return Mutation(req_hash, action, appends_only=sales.appends_only(sale))


def look_up_sales(session: Session, bodies: list[SaleIn]) -> None:
    """Before a batch: which of its sales are already recorded, in one query."""
    sales.look_up_recorded(session, [sale.sale_id for sale in bodies])


def submit_sale(ctx: BackendContext, till: TillAuth, key: str, sale: SaleIn) -> Outcome:
    """Record the sale once per (till, key), in a transaction of its own."""
    return run_mutation(ctx.db, till_scope(till.till_id), key, sale_mutation(till, key, sale))


def _check_named_staff(ctx: BackendContext, till: TillAuth, session_token: str | None, staff_no: str) -> None:
    """A live staff session sent along must be the staff the sale names. A session that has ended or
    expired is ignored: outbox records are replayed long after the shift that made them."""
    if not session_token:
        return
    now = utc_now()
    with ctx.db.read() as session:
        found = session.scalar(
            select(StaffSession).where(StaffSession.token_hash == token_hash(session_token))
        )
        live = (
            found is not None
            and found.till_id == till.till_id
            and found.ended_at is None
            and found.expires_at > now
        )
        if live and found is not None and found.staff.staff_no != staff_no:
            raise ApiError(
                403,
                "staff_mismatch",
                "销售记录的收银员与当前登录不符 / The sale names another staff member than the one signed in",
            )


@router.post("/sales", status_code=201, response_model=SaleAccepted, responses=ERRORS)
def post_sale(
    sale: SaleIn,
    ctx: Ctx,
    till: CurrentTill,
    key: IdempotencyKey,
    x_staff_session: Annotated[str | None, Header()] = None,
) -> Response:
    _check_named_staff(ctx, till, x_staff_session, sale.staff_no)
    return respond(submit_sale(ctx, till, key, sale))


@router.get("/sales", response_model=SalesPage, responses=ERRORS)
def get_sales(
    ctx: Ctx,
    till: CurrentTill,
    till_id: Annotated[str | None, Query(max_length=40)] = None,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> dict[str, Any]:
    """The station's sales in accepted order (optionally one till's)."""
    with ctx.db.read() as session:
        return sales.list_sales(session, till.station_id, till_id, after_seq, limit)
