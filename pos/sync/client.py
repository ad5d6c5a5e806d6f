"""HTTP client of the central backend: the only place where requests and its exceptions exist.

Every failure leaves this module as ``PosError`` with a stable code: ``backend_unreachable``,
``backend_timeout``, ``backend_error`` (5xx), ``bad_response`` (not JSON, truncated, or not the contract),
or the backend's own code from its ``{"error": {...}}`` body. Reads are retried a few times with
exponential backoff and jitter; writes are not retried here but carry an ``Idempotency-Key`` so whoever
retries them (the outbox) cannot apply them twice.

requests is loaded with a client's first request, not with this module: a starting till builds its
clients before its first frame and sends nothing from the GUI thread (see pos.sync.prefetch).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from pos.domain.errors import PosError
from pos.domain.transaction import PumpTransaction
from pos.services.ports import EventBatch, Pairing, StaffSession, StationSnapshot
from pos.sync import wire

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

T = TypeVar("T")
API_PREFIX = "/api/v1"
# Extra read time on top of the long-poll wait, so a full wait is not mistaken for a timeout.
LONG_POLL_MARGIN_SECONDS = 10.0
RETRYABLE_CODES = frozenset({"backend_unreachable", "backend_timeout", "backend_error"})


class _StaffSession:
    """The signed-in staff member's session token, shared by a client and its twins."""

    def __init__(self) -> None:
        self.token: str | None = None


class BackendClient:
    """One ``requests.Session`` to one backend; holds the device token and staff session in memory."""

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        verify_tls: bool | str = True,
        read_retries: int = 2,
        backoff_seconds: float = 0.2,
        device_token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.verify_tls = verify_tls
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.read_retries = read_retries
        self.backoff_seconds = backoff_seconds
        self._device_token = device_token
        self._staff = _StaffSession()
        self._session: requests.Session | None = None  # opened by the first request

    def _http(self) -> requests.Session:
        if self._session is None:
            import requests

            session = requests.Session()
            session.verify = self.verify_tls
            session.headers["User-Agent"] = "station-pos/0.1"
            session.headers["Accept"] = "application/json"
            self._session = session
        return self._session

    def __repr__(self) -> str:  # never show tokens
        return f"BackendClient({self.base_url!r}, paired={self.is_paired})"

    @property
    def is_paired(self) -> bool:
        return self._device_token is not None

    def twin(self, with_staff: bool = True) -> BackendClient:
        """A client with the same credentials on its own session, for another thread (Session is not
        thread-safe). ``with_staff=False`` for the outbox: its records name their own staff and may be
        sent long after that staff member signed out, so the current cashier's session must not ride along.
        """
        other = BackendClient(
            self.base_url,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            verify_tls=self.verify_tls,
            read_retries=self.read_retries,
            backoff_seconds=self.backoff_seconds,
            device_token=self._device_token,
        )
        if with_staff:  # one signed-in person per till: a sign-in or sign-out on any twin reaches all of them
            other._staff = self._staff
        return other

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    # -- routes ----------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        body = self._read("/health")
        wire.field(body, "status", str, "health")
        return dict(body)

    def pair(self, activation_code: str, till_name: str) -> Pairing:
        body = self._write(
            "POST", "/tills/pair", {"activation_code": activation_code, "till_name": till_name}
        )
        pairing = wire.parse_pairing(body)
        self._device_token = pairing.device_token
        log.info(
            "paired as till %s (%s) at station %s", pairing.till_id, pairing.till_name, pairing.station_name
        )
        return pairing

    def sign_in(self, staff_no: str, pin: str) -> StaffSession:
        body = self._write("POST", "/staff/sessions", {"staff_no": staff_no, "pin": pin})
        session = wire.parse_staff_session(body)
        self._staff.token = session.session_token
        log.info("staff %s signed in as %s", session.staff.staff_no, session.staff.role)
        return session

    def sign_out(self) -> None:
        if self._staff.token is None:
            return
        self._write("DELETE", "/staff/sessions/current", None, expect_body=False)
        self._staff.token = None

    def snapshot(self) -> StationSnapshot:
        return wire.parse_snapshot(self._read("/station/snapshot"))

    def events_after(self, seq: int, wait_seconds: float) -> EventBatch:
        """Long-poll; not retried here, the follower owns the backoff of its loop."""
        wait = max(0, min(30, int(wait_seconds)))
        body = self._request(
            "GET",
            "/station/events",
            params={"after": seq, "wait": wait, "limit": 500},
            read_timeout=wait + LONG_POLL_MARGIN_SECONDS,
        )
        return wire.parse_events(body)

    def lock_transaction(self, transaction_id: str) -> PumpTransaction:
        return self._transaction_action(transaction_id, "lock", {})

    def unlock_transaction(self, transaction_id: str) -> PumpTransaction:
        return self._transaction_action(transaction_id, "unlock", {})

    def clear_transaction(self, transaction_id: str, sale_ref: str | None = None) -> PumpTransaction:
        return self._transaction_action(transaction_id, "clear", {"sale_ref": sale_ref} if sale_ref else {})

    def _transaction_action(
        self, transaction_id: str, action: str, payload: dict[str, Any]
    ) -> PumpTransaction:
        body = self._write("POST", f"/transactions/{transaction_id}/{action}", payload)
        return wire.from_wire(PumpTransaction.from_wire, body, "transaction")

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """A read of any route under /api/v1, retried with backoff; the caller validates the body."""
        return self._with_retries(lambda: self._request("GET", path, params=params))

    def post_json(
        self, path: str, payload: dict[str, Any], idempotency_key: str, read_timeout: float | None = None
    ) -> Any:
        """A write with the caller's own key, never retried here: the outbox keeps the key and resends,
        so the backend recognises a repeat."""
        headers = {"Idempotency-Key": idempotency_key}
        return self._request("POST", path, json_body=payload, headers=headers, read_timeout=read_timeout)

    # -- plumbing --------------------------------------------------------------------------------------

    def _read(self, path: str) -> Any:
        return self._with_retries(lambda: self._request("GET", path))

    def _write(self, method: str, path: str, payload: dict[str, Any] | None, expect_body: bool = True) -> Any:
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        return self._request(method, path, json_body=payload, headers=headers, expect_body=expect_body)

    def _with_retries(self, call: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return call()
            except PosError as error:
                if error.code not in RETRYABLE_CODES or attempt >= self.read_retries:
                    raise
                delay = self.backoff_seconds * (2**attempt) * random.uniform(0.5, 1.5)
                log.info("read failed (%s), retry %d in %.2fs", error.code, attempt + 1, delay)
                time.sleep(delay)
                attempt += 1

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if self._device_token:
            headers["Authorization"] = f"Bearer {self._device_token}"
        token = self._staff.token
        if token:
            headers["X-Staff-Session"] = token
        return headers

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        read_timeout: float | None = None,
        expect_body: bool = True,
    ) -> Any:
        url = f"{self.base_url}{API_PREFIX}{path}"
        timeout = (self.connect_timeout, read_timeout if read_timeout is not None else self.read_timeout)
        session = self._http()
        import requests  # loaded by _http: a dictionary lookup

        try:
            response = session.request(
                method, url, params=params, json=json_body, headers=self._headers(headers), timeout=timeout
            )
        except requests.RequestException as exc:
            raise translate_transport_error(exc, method, path) from exc
        return decode_response(response, method, path, expect_body)


def translate_transport_error(exc: requests.RequestException, method: str, path: str) -> PosError:
    """Map a requests exception to the app's error; the URL is logged without query or headers."""
    import requests

    log.warning("%s %s failed: %s", method, path, type(exc).__name__)
    detail = {"path": path, "reason": type(exc).__name__}
    if isinstance(exc, requests.Timeout):
        return PosError(
            "backend_timeout",
            "后台响应超时 / Backend timed out",
            "网络较慢或后台繁忙，系统会自动重试 / The network is slow or the backend busy; retrying.",
            detail,
        )
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return wire.bad_response("the answer was cut off or could not be decoded", detail)
    if isinstance(exc, requests.exceptions.SSLError):
        detail["tls"] = "certificate verification failed"
    return PosError(
        "backend_unreachable",
        "无法连接后台 / Backend unreachable",
        "请检查网络连接，系统会自动重连 / Check the network; the till reconnects by itself.",
        detail,
    )


def decode_response(response: requests.Response, method: str, path: str, expect_body: bool) -> Any:
    status = response.status_code
    if status >= 500:
        code = _backend_error_code(response)
        log.warning("%s %s answered %d (%s)", method, path, status, code)
        raise PosError(
            "backend_error",
            "后台出错 / Backend error",
            "后台暂时无法处理，请稍后重试 / The backend failed; try again shortly.",
            {"status": status, "backend_code": code, "path": path},
        )
    if status == 204 or (not expect_body and status < 300):
        return None
    try:
        # orjson, not requests' json: it refuses what the till could not keep (text that is not valid
        # UTF-8, a lone surrogate escape, NaN), which json.loads lets through to fail later in the cache.
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise wire.bad_response(
            f"{method} {path} answered {status} with a body that is not JSON",
            {"status": status, "path": path},
        ) from None
    if status >= 400:
        raise _backend_error(body, status, path)
    if not isinstance(body, dict):
        raise wire.bad_response(f"{method} {path} answered a JSON {type(body).__name__}, not an object")
    return body


def _backend_error(body: Any, status: int, path: str) -> PosError:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return wire.bad_response(f"error {status} without an error object", {"status": status, "path": path})
    code: str = error["code"]
    raw_message, raw_detail = error.get("message"), error.get("detail")
    message = raw_message if isinstance(raw_message, str) else code
    detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
    title = message.partition(" / ")[0]  # the Chinese half; the message keeps both languages
    return PosError(code, title, message, {**detail, "status": status})


def _backend_error_code(response: requests.Response) -> str | None:
    try:
        body = orjson.loads(response.content)
        return str(body["error"]["code"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
