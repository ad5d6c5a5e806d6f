"""POST /batch: many outbox records in one round trip, each applied as if sent alone.

Items are applied in order in one write transaction, each in its own SAVEPOINT with its own
Idempotency-Key record. A refusal (4xx) undoes only that item and is its stored answer; the next item
follows. An unexpected failure (5xx) undoes that item and stops the batch: the items before it are
committed, no later record is applied before an earlier one. A long batch commits every
``ITEMS_PER_TRANSACTION`` items, so the write lock (SQLite) and the sale counter's row lock (PostgreSQL)
are never held for long while other tills and the forecourt are writing.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pos_backend.api.deps import BackendContext, Ctx, CurrentTill, TillAuth
from pos_backend.api.refunds import REFUND_PATH, refund_mutation
from pos_backend.api.sales import SALES_PATH, look_up_sales, sale_mutation
from pos_backend.api.shifts import CLOSE_PATH, close_mutation
from pos_backend.api.tills import ERRORS
from pos_backend.api.writeoffs import REDEEM_PATH, redemption_mutation
from pos_backend.errors import ApiError, clean_validation_errors, error_body
from pos_backend.idempotency import Ledger, Mutation, Outcome, in_write_transaction, till_scope
from pos_backend.schemas_counter import RefundIn, ShiftCloseIn
from pos_backend.schemas_sales import BatchItem, BatchOut, BatchRequest, SaleIn
from pos_backend.schemas_writeoffs import RedeemIn

log = logging.getLogger(__name__)
router = APIRouter()
# ~10 ms of sales on SQLite: the simulator and other tills wait no longer than that for the write lock
ITEMS_PER_TRANSACTION = 50


@dataclass(frozen=True)
class BatchRoute:
    """A mutating route the outbox uses: the body it expects and the function that prepares it as a
    request of this till under the item's key. A templated path (``/api/v1/writeoffs/{code}/redeem``)
    hands its values to ``prepare`` by name. ``look_up``, if any, reads at once what the route's items
    in one transaction would otherwise each query (it gets their bodies)."""

    body: type[BaseModel]
    prepare: Callable[..., Mutation]  # (till, key, body, **path values)
    look_up: Callable[[Session, list[Any]], None] | None = None


@dataclass(frozen=True)
class _Ready:
    route: BatchRoute
    body: BaseModel
    mutation: Mutation


# (method, path) -> route. Add an entry when the outbox starts carrying another kind of change.
BATCH_ROUTES: dict[tuple[str, str], BatchRoute] = {
    ("POST", SALES_PATH): BatchRoute(SaleIn, sale_mutation, look_up_sales),
    ("POST", REDEEM_PATH): BatchRoute(RedeemIn, redemption_mutation),
    ("POST", REFUND_PATH): BatchRoute(RefundIn, refund_mutation),
    ("POST", CLOSE_PATH): BatchRoute(ShiftCloseIn, close_mutation),
}


_ESCAPED_NAME = re.compile(r"\\\{(\w+)\\\}")  # a template's "{name}" after re.escape


@functools.cache
def _path_pattern(template: str) -> re.Pattern[str]:
    return re.compile(_ESCAPED_NAME.sub(r"(?P<\1>[^/]+)", re.escape(template)))


def _find_route(method: str, path: str) -> tuple[BatchRoute, dict[str, str]] | None:
    """The route for a concrete path, and the values of its ``{name}`` segments."""
    for (route_method, template), route in BATCH_ROUTES.items():
        found = _path_pattern(template).fullmatch(path)
        if route_method == method.upper() and found is not None:
            return route, found.groupdict()
    return None


def _prepare(till: TillAuth, item: BatchItem) -> _Ready | Outcome:
    """The item's change ready to apply, or the answer that refuses it before any database work."""
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
        return _Ready(route, body, route.prepare(till, item.idempotency_key, body, **path_values))
    except ApiError as refusal:  # e.g. a malformed write-off code: refused before the change ran
        return Outcome(refusal.status, refusal.body())


def _internal_error() -> Outcome:
    message = "服务器内部错误，请稍后重试 / Internal error, retry later"
    return Outcome(500, error_body("internal_error", message))


def _apply(ledger: Ledger, till: TillAuth, item: BatchItem, prepared: _Ready | Outcome) -> Outcome:
    if isinstance(prepared, Outcome):
        return prepared
    try:
        return ledger.apply(item.idempotency_key, prepared.mutation)
    except ApiError as refusal:  # e.g. idempotency_key_reused: decided before the change ran
        return Outcome(refusal.status, refusal.body())
    except DBAPIError:  # a race lost (tried again), or a database error: SQLite may already have rolled
        raise  # back the whole transaction (disk full, I/O), so nothing of this part may be committed
    except Exception:  # a bug in the item: its savepoint is undone, the earlier items kept; stop here
        log.exception("batch item failed on till %s; later items not attempted", till.till_id)
        return _internal_error()


def _look_up(session: Session, prepared: list[_Ready | Outcome]) -> None:
    bodies: dict[BatchRoute, list[BaseModel]] = {}
    for ready in prepared:
        if isinstance(ready, _Ready) and ready.route.look_up is not None:
            bodies.setdefault(ready.route, []).append(ready.body)
    for route, route_bodies in bodies.items():
        assert route.look_up is not None
        route.look_up(session, route_bodies)


def _result(item: BatchItem, outcome: Outcome) -> dict[str, Any]:
    return {
        "idempotency_key": item.idempotency_key,
        "status": outcome.status,
        "body": outcome.body,
        "replayed": outcome.replayed,
    }


def _run_part(ctx: BackendContext, till: TillAuth, items: Sequence[BatchItem]) -> list[dict[str, Any]]:
    """Apply ``items`` in one write transaction; their answers, ending at the first 5xx if any."""
    prepared: list[_Ready | Outcome] = []
    for item in items:  # validated before the transaction, so the write lock is held for the writes only
        try:
            prepared.append(_prepare(till, item))
        except Exception:  # a bug: the items before it are still applied, none after it
            log.exception("batch item failed on till %s; later items not attempted", till.till_id)
            prepared.append(_internal_error())
            break

    def apply_all(session: Session) -> list[dict[str, Any]]:
        ledger = Ledger(session, till_scope(till.till_id), [item.idempotency_key for item in items])
        _look_up(session, prepared)
        results = []
        for item, ready in zip(items, prepared, strict=False):
            outcome = _apply(ledger, till, item, ready)
            results.append(_result(item, outcome))
            if outcome.status >= 500:
                break
        return results

    try:
        results = in_write_transaction(ctx.db, apply_all)
    except Exception:  # the commit (or the first read) failed: nothing of this part was kept
        log.exception("batch transaction failed on till %s; its items were not applied", till.till_id)
        return [_result(items[0], _internal_error())]
    _log_part(till, results)
    return results


def _log_part(till: TillAuth, results: list[dict[str, Any]]) -> None:
    """One line per transaction rather than one per record: a drained outbox is hundreds of them."""
    kinds = {"applied": 0, "refused": 0, "replayed": 0, "failed": 0}
    for result in results:
        status = result["status"]
        kind = "replayed" if result["replayed"] else "applied" if status < 400 else "refused"
        kinds["failed" if status >= 500 else kind] += 1
    counts = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    log.info("batch from till %s committed: %s", till.till_id, counts)


@router.post("/batch", response_model=BatchOut, responses=ERRORS)
def post_batch(batch: BatchRequest, ctx: Ctx, till: CurrentTill) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for start in range(0, len(batch.requests), ITEMS_PER_TRANSACTION):
        part = _run_part(ctx, till, batch.requests[start : start + ITEMS_PER_TRANSACTION])
        results.extend(part)
        if part[-1]["status"] >= 500:
            break
    return {"results": results}
