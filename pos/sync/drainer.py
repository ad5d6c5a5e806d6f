"""Sends the outbox to the backend on a background thread, in order, in batches, exactly once.

Each round claims the head of the queue (a lease inside ``BEGIN IMMEDIATE``), posts it as one
``POST /api/v1/batch`` (or record by record when the backend has no batch route), and writes each verdict
after the answer: 2xx acked, 4xx rejected (stored with the backend's reason; the queue goes on), anything
else leaves the record pending for the next round. While nothing gets through, rounds back off with jitter
from 1 s to 30 s; a link reported back (``retry_now``) ends the wait at once.
"""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pos.domain.errors import PosError
from pos.services.ports_outbox import OutboxEntry, OutboxState
from pos.sync.outbox import Outbox, SqlStore, Verdict, new_owner, utc_now

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
BATCH_PATH = "/batch"
MAX_BATCH = 100
# 4xx answers that say nothing about the record itself: keep it and try again later.
TRANSIENT_STATUSES = frozenset({401, 408, 425, 429})


class JsonPoster(Protocol):
    """The slice of BackendClient the drainer uses (a twin of its own: sessions are per thread)."""

    def post_json(
        self, path: str, payload: dict[str, Any], idempotency_key: str, read_timeout: float | None = None
    ) -> Any: ...


class Backoff:
    """Exponential delay with jitter on the upper half: 1, 2, 4 ... capped at ``maximum`` seconds."""

    def __init__(self, minimum: float = 1.0, maximum: float = 30.0, rng: random.Random | None = None) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.maximum, self.minimum * 2**self.failures)
        self.failures += 1
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0


@dataclass(frozen=True, slots=True)
class Answer:
    """The backend's verdict on one record: a status and its body (None when no verdict came)."""

    status: int
    body: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class DrainReport:
    """One round: how many verdicts came back, and the failure that ended it, if any."""

    at: datetime
    acked: int = 0
    rejected: int = 0
    error: PosError | None = None
    rejected_keys: Sequence[str] = field(default_factory=tuple)

    @property
    def reached_backend(self) -> bool:
        return self.error is None or self.error.code not in ("backend_unreachable", "backend_timeout")


def is_verdict(status: int) -> bool:
    return 200 <= status < 300 or (400 <= status < 500 and status not in TRANSIENT_STATUSES)


def _error_body(error: PosError) -> dict[str, Any]:
    detail = {k: v for k, v in error.detail.items() if k != "status"}
    return {"error": {"code": error.code, "message": error.message, "detail": detail or None}}


def _single_path(path: str) -> str:
    return path.removeprefix(API_PREFIX)


class OutboxDrainer:
    """One thread per till; ``wake()`` after an enqueue, ``retry_now()`` when the link is back."""

    def __init__(
        self,
        store: SqlStore,
        client: JsonPoster,
        *,
        outbox: Outbox | None = None,
        owner: str | None = None,
        batch_size: int = MAX_BATCH,
        lease_seconds: float = 60.0,
        idle_seconds: float = 5.0,
        batch_read_timeout: float = 30.0,
        backoff: Backoff | None = None,
        on_report: Callable[[DrainReport], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._client = client
        self._outbox = outbox or Outbox(clock)
        self.owner = owner or new_owner()
        self._batch_size = max(1, min(MAX_BATCH, batch_size))
        self._lease_seconds = lease_seconds
        self._idle_seconds = idle_seconds
        self._batch_read_timeout = batch_read_timeout
        self.backoff = backoff or Backoff()
        self._on_report = on_report
        self._clock = clock
        self.use_batch = True
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._retry = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("OutboxDrainer already started")
        self._thread = threading.Thread(target=self._run, name="outbox-drainer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        self._retry.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Something was enqueued: drain now unless backing off (any thread)."""
        self._wake.set()

    def retry_now(self) -> None:
        """The link is back: end a backoff wait and start over from the shortest delay (any thread)."""
        self.backoff.reset()
        self._retry.set()
        self._wake.set()

    # -- the loop --------------------------------------------------------------------------------------

    def _run(self) -> None:
        log.info("outbox drainer %s started", self.owner)
        while not self._stop.is_set():
            self._wake.clear()
            self._retry.clear()
            try:
                failed = self.drain_until_idle() is not None
            except Exception:  # a broken round (e.g. a locked database) must not end the thread
                log.exception("outbox drain round failed")
                failed = True
            if failed:
                self._retry.wait(self.backoff.next_delay())
            else:
                self.backoff.reset()
                self._wake.wait(self._idle_seconds)
        log.info("outbox drainer %s stopped", self.owner)

    def drain_until_idle(self) -> PosError | None:
        """Rounds until the queue is empty, another drainer holds its head, or a round fails."""
        while not self._stop.is_set():
            report = self.drain_once()
            if report is None:
                return None
            if report.error is not None:
                return report.error
        return None

    def drain_once(self) -> DrainReport | None:
        """Claim, send and settle one batch; None when there was nothing to claim."""
        with self._store.write() as conn:
            records = self._outbox.claim(conn, self.owner, self._batch_size, self._lease_seconds)
        if not records:
            return None
        answers, error = self._send(records)
        report = self._settle(records, answers, error)
        if self._on_report is not None:
            self._on_report(report)
        return report

    # -- sending ---------------------------------------------------------------------------------------

    def _send(self, records: Sequence[OutboxEntry]) -> tuple[dict[str, Answer], PosError | None]:
        """Answers by idempotency key for the records that got one, and the failure that stopped the rest."""
        if self.use_batch:
            try:
                return self._send_batch(records)
            except PosError as error:
                if error.code != "not_found" or error.detail.get("status") != 404:
                    return {}, error
                log.info("the backend has no batch route: sending records one by one")
                self.use_batch = False
        return self._send_singly(records)

    def _send_batch(self, records: Sequence[OutboxEntry]) -> tuple[dict[str, Answer], PosError | None]:
        payload = {
            "requests": [
                {
                    "idempotency_key": r.idempotency_key,
                    "method": r.method,
                    "path": r.path,
                    "body": dict(r.body),
                }
                for r in records
            ]
        }
        body = self._client.post_json(BATCH_PATH, payload, str(uuid.uuid4()), self._batch_read_timeout)
        answers = _parse_batch_results(body, {r.idempotency_key for r in records})
        for record in records:
            answer = answers.get(record.idempotency_key)
            if answer is None or not is_verdict(answer.status):
                # The backend stops a batch at the first failed item; what follows waits for the next round.
                status = answer.status if answer else None
                return answers, _item_failed(status, answer.body if answer else None)
        return answers, None

    def _send_singly(self, records: Sequence[OutboxEntry]) -> tuple[dict[str, Answer], PosError | None]:
        answers: dict[str, Answer] = {}
        for record in records:
            try:
                body = self._client.post_json(
                    _single_path(record.path), dict(record.body), record.idempotency_key
                )
                if not is_answer_to(record, body):
                    # A captive portal or a misrouted gateway can say 2xx too; only the backend's own answer,
                    # naming this record, acknowledges it. Anything else leaves the record to be resent.
                    return answers, PosError(
                        "bad_response",
                        "后台返回了无法识别的数据 / Unexpected answer from the backend",
                        "回答与所发记录不符，稍后重发 / The answer does not match the record; resent later.",
                        {"path": record.path},
                    )
                answers[record.idempotency_key] = Answer(201, body)
            except PosError as error:
                status = error.detail.get("status")
                # A 2xx whose body could not be read (truncated, not JSON) proves nothing: resend, and the
                # backend's idempotency answers with what it stored if it did apply the record.
                if not isinstance(status, int) or not is_verdict(status) or 200 <= status < 300:
                    return answers, error
                answers[record.idempotency_key] = Answer(status, _error_body(error))
        return answers, None

    # -- settling --------------------------------------------------------------------------------------

    def _settle(
        self, records: Sequence[OutboxEntry], answers: Mapping[str, Answer], error: PosError | None
    ) -> DrainReport:
        acked, rejected_keys, verdicts = 0, [], []
        failure_text = f"{error.code}: {error.message}" if error else "no answer"
        # A whole batch that got no answer was on the wire in full; otherwise only the first unanswered
        # record was, and the ones after it were never tried.
        all_on_wire = not answers and self.use_batch
        first_unanswered = True
        with self._store.write() as conn:
            for record in records:
                answer = answers.get(record.idempotency_key)
                if answer is not None and 200 <= answer.status < 300:
                    verdicts.append(Verdict(record.id, OutboxState.ACKED, answer.status, answer.body))
                    acked += 1
                elif answer is not None and is_verdict(answer.status):
                    reason = _rejection_reason(answer)
                    verdicts.append(
                        Verdict(record.id, OutboxState.REJECTED, answer.status, answer.body, reason)
                    )
                    rejected_keys.append(record.idempotency_key)
                    log.warning("outbox record %d rejected: %s", record.id, reason)
                elif all_on_wire or first_unanswered:
                    self._outbox.mark_failed(conn, record.id, self.owner, failure_text)
                    first_unanswered = False
                else:
                    self._outbox.release_unattempted(conn, record.id, self.owner)
            self._outbox.mark_verdicts(conn, verdicts)  # in the same transaction as the releases
        return DrainReport(self._clock(), acked, len(rejected_keys), error, tuple(rejected_keys))


def _rejection_reason(answer: Answer) -> str:
    error = (answer.body or {}).get("error")
    if isinstance(error, Mapping):
        return f"{error.get('code')}: {error.get('message')}"
    return f"HTTP {answer.status}"


def _item_failed(status: int | None, body: Mapping[str, Any] | None) -> PosError:
    error = (body or {}).get("error")
    code = error.get("code") if isinstance(error, Mapping) else None
    return PosError(
        "backend_error",
        "后台出错 / Backend error",
        "后台暂时无法处理，请稍后重试 / The backend failed; try again shortly.",
        {"status": status, "backend_code": code, "path": BATCH_PATH},
    )


def _parse_batch_results(body: Any, keys: set[str]) -> dict[str, Answer]:
    """Validate the batch answer; a malformed one is an error for the whole call, never a verdict."""
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise _bad_batch("the batch answer has no results list")
    answers: dict[str, Answer] = {}
    for item in results:
        if not isinstance(item, dict):
            raise _bad_batch("a batch result is not an object")
        key, status, item_body = item.get("idempotency_key"), item.get("status"), item.get("body")
        if key not in keys or isinstance(status, bool) or not isinstance(status, int):
            raise _bad_batch("a batch result names an unknown key or has no status")
        if item_body is not None and not isinstance(item_body, dict):
            raise _bad_batch("a batch result body is not an object")
        answers[str(key)] = Answer(status, item_body)
    return answers


def _bad_batch(reason: str) -> PosError:
    return PosError(
        "bad_response",
        "后台应答无效 / Invalid backend answer",
        f"{reason}; the records stay queued / 记录保留待重发",
        {"path": BATCH_PATH},
    )


IDENTITY_FIELDS = ("sale_id", "refund_id")


def is_answer_to(record: OutboxEntry, body: Any) -> bool:
    """Whether ``body`` is the backend's answer to ``record``: an object that echoes the record's identity
    (its sale_id / refund_id, or else the resource id in its path, such as a write-off code or shift id)."""
    if not isinstance(body, dict):
        return False
    sent = record.body
    named = [field for field in IDENTITY_FIELDS if isinstance(sent, Mapping) and field in sent]
    if named:
        return all(body.get(field) == sent[field] for field in named)
    segments = [part for part in record.path.split("/") if part]
    if len(segments) < 5:  # /api/v1/<collection>: nothing in the path to echo
        return True
    return segments[-2] in {str(value) for value in body.values()}  # /api/v1/<things>/<id>/<action>
