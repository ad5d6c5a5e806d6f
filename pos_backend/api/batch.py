"""POST /batch: many outbox records in one round trip, each applied as if sent alone.

Every item runs in its own database transaction under its own Idempotency-Key, in order. A refusal (4xx)
is that item's answer and the next item follows; an unexpected failure (5xx) stops the batch, so no
later record is applied before an earlier one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ValidationError

from pos_backend.api.deps import BackendContext, Ctx, CurrentTill, TillAuth
from pos_backend.api.sales import SALES_PATH, submit_sale
from pos_backend.api.tills import ERRORS
from pos_backend.errors import ApiError, clean_validation_errors, error_body
from pos_backend.idempotency import Outcome
from pos_backend.schemas_sales import BatchItem, BatchOut, BatchRequest, SaleIn

log = logging.getLogger(__name__)
router = APIRouter()


@dataclass(frozen=True)
class BatchRoute:
    """A mutating route the outbox uses: the body it expects and the function that applies it once."""

    body: type[BaseModel]
    submit: Callable[[BackendContext, TillAuth, str, Any], Outcome]


# (method, path) -> route. Add an entry when the outbox starts carrying another kind of change.
BATCH_ROUTES: dict[tuple[str, str], BatchRoute] = {
    ("POST", SALES_PATH): BatchRoute(SaleIn, submit_sale),
}


def _run_item(ctx: BackendContext, till: TillAuth, item: BatchItem) -> Outcome:
    route = BATCH_ROUTES.get((item.method.upper(), item.path))
    if route is None:
        return Outcome(404, error_body("not_found", f"批量请求不支持该地址 / Not batchable: {item.path}"))
    try:
        body = route.body.model_validate(item.body)
    except ValidationError as invalid:
        detail = {"errors": clean_validation_errors(invalid.errors())}
        return Outcome(
            422,
            error_body("validation_failed", "请求数据不完整或格式错误 / Missing or invalid fields", detail),
        )
    try:
        return route.submit(ctx, till, item.idempotency_key, body)
    except ApiError as refusal:  # e.g. idempotency_key_reused: decided before the change ran
        return Outcome(refusal.status, refusal.body())


@router.post("/batch", response_model=BatchOut, responses=ERRORS)
def post_batch(batch: BatchRequest, ctx: Ctx, till: CurrentTill) -> dict[str, Any]:
    results = []
    for item in batch.requests:
        try:
            outcome = _run_item(ctx, till, item)
        except Exception:  # the database went away, a bug: stop here so order is kept
            log.exception("batch item failed on till %s; later items not attempted", till.till_id)
            outcome = Outcome(
                500, error_body("internal_error", "服务器内部错误，请稍后重试 / Internal error, retry later")
            )
        results.append(
            {
                "idempotency_key": item.idempotency_key,
                "status": outcome.status,
                "body": outcome.body,
                "replayed": outcome.replayed,
            }
        )
        if outcome.status >= 500:
            break
    return {"results": results}
