"""POST /batch: many outbox records in one round trip, each applied as if sent alone.

Every item runs in its own database transaction under its own Idempotency-Key, in order. A refusal (4xx)
is that item's answer and the next item follows; an unexpected failure (5xx) stops the batch, so no
later record is applied before an earlier one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ValidationError

from pos_backend.api.deps import BackendContext, Ctx, CurrentTill, TillAuth
from pos_backend.api.refunds import REFUND_PATH, submit_refund
from pos_backend.api.sales import SALES_PATH, submit_sale
from pos_backend.api.shifts import CLOSE_PATH, submit_close
from pos_backend.api.tills import ERRORS
from pos_backend.api.writeoffs import REDEEM_PATH, submit_redemption
from pos_backend.errors import ApiError, clean_validation_errors, error_body
from pos_backend.idempotency import Outcome
from pos_backend.schemas_counter import RefundIn, ShiftCloseIn
from pos_backend.schemas_sales import BatchItem, BatchOut, BatchRequest, SaleIn
from pos_backend.schemas_writeoffs import RedeemIn

log = logging.getLogger(__name__)
router = APIRouter()


@dataclass(frozen=True)
class BatchRoute:
    """A mutating route the outbox uses: the body it expects and the function that applies it once.
    A templated path (``/api/v1/writeoffs/{code}/redeem``) hands its values to ``submit`` by name."""

    body: type[BaseModel]
    submit: Callable[..., Outcome]  # (ctx, till, key, body, **path values)


# (method, path) -> route. Add an entry when the outbox starts carrying another kind of change.
BATCH_ROUTES: dict[tuple[str, str], BatchRoute] = {
    ("POST", SALES_PATH): BatchRoute(SaleIn, submit_sale),
    ("POST", REDEEM_PATH): BatchRoute(RedeemIn, submit_redemption),
    ("POST", REFUND_PATH): BatchRoute(RefundIn, submit_refund),
    ("POST", CLOSE_PATH): BatchRoute(ShiftCloseIn, submit_close),
}


_ESCAPED_NAME = re.compile(r"\\\{(\w+)\\\}")  # a template's "{name}" after re.escape


def _find_route(method: str, path: str) -> tuple[BatchRoute, dict[str, str]] | None:
    """The route for a concrete path, and the values of its ``{name}`` segments."""
    for (route_method, template), route in BATCH_ROUTES.items():
        pattern = _ESCAPED_NAME.sub(r"(?P<\1>[^/]+)", re.escape(template))
        found = re.fullmatch(pattern, path)
        if route_method == method.upper() and found is not None:
            return route, found.groupdict()
    return None


def _run_item(ctx: BackendContext, till: TillAuth, item: BatchItem) -> Outcome:
    found = _find_route(item.method, item.path)
    if found is None:
        return Outcome(404, error_body("not_found", f"批量请求不支持该地址 / Not batchable: {item.path}"))
    route, path_values = found
    try:
        body = route.body.model_validate(item.body)
    except ValidationError as invalid:
        detail = {"errors": clean_validation_errors(invalid.errors())}
        return Outcome(
            422,
            error_body("validation_failed", "请求数据不完整或格式错误 / Missing or invalid fields", detail),
        )
    try:
        return route.submit(ctx, till, item.idempotency_key, body, **path_values)
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
