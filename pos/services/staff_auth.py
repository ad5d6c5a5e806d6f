"""Staff sign-in at the paired till, online or offline, with lockout and auto-lock after idle.

* Online, the backend decides (``POST /staff/sessions``): ``401 pin_invalid``, ``423 staff_locked_out``.
  The till mirrors the backend's count of wrong PINs locally, so a link that drops half-way through five
  wrong guesses does not give the guesser five more.
* When the backend cannot be reached, the PIN is checked against the verifier the backend issued
  (``GET /staff/verifiers``): ``scrypt(pin, salt, n, r, p, dklen) == hash``. Five wrong PINs in a row lock
  the staff number for 15 minutes on this till, the backend's own rule. The verifier is slow on purpose
  (about 0.1 s): callers run ``sign_in`` off the GUI thread.
* ``IdleLock`` says when the till should lock itself after the staff member stopped using it.

The PIN is never logged, stored or kept after the check.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pos.domain.errors import PosError
from pos.domain.wire import format_rfc3339
from pos.services.counter_ports import CachedStaff, PinVerifier, StaffDirectory, StaffSignInBackend
from pos.services.ports import StaffMember

log = logging.getLogger(__name__)

MAX_FAILED_PINS = 5
LOCKOUT = timedelta(minutes=15)
SCRYPT_MAXMEM = 64 * 1024 * 1024  # n=2^15, r=8 needs about 33 MiB
OFFLINE_CODES = frozenset({"backend_unreachable", "backend_timeout", "backend_error"})
DEFAULT_IDLE_LOCK = timedelta(minutes=5)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def pin_invalid() -> PosError:
    return PosError(
        "pin_invalid",
        "工号或密码错误 / Wrong staff number or PIN",
        "工号或密码错误，请重试 / Wrong staff number or PIN: try again.",
    )


def locked_out(staff_no: str, until: datetime) -> PosError:
    return PosError(
        "staff_locked_out",
        "工号已锁定 / Staff number locked",
        f"密码错误次数过多，{until.astimezone():%H:%M} 前不能登录 / "
        f"Too many wrong PINs: locked until {until.astimezone():%H:%M}.",
        {"staff_no": staff_no, "locked_until": format_rfc3339(until)},
    )


def offline_unavailable(staff_no: str) -> PosError:
    return PosError(
        "offline_sign_in_unavailable",
        "无法离线登录 / Cannot sign in offline",
        f"工号 {staff_no} 尚无离线凭据，请在联网时登录一次 / "
        "No offline verifier for this staff number yet: sign in once while online.",
        {"staff_no": staff_no},
    )


def verify_pin(pin: str, verifier: PinVerifier) -> bool:
    digest = hashlib.scrypt(
        pin.encode("utf-8"),
        salt=verifier.salt,
        n=verifier.n,
        r=verifier.r,
        p=verifier.p,
        dklen=verifier.dklen,
        maxmem=SCRYPT_MAXMEM,
    )
    return hmac.compare_digest(digest, verifier.digest)


@dataclass(frozen=True, slots=True)
class SignedIn:
    staff: StaffMember
    online: bool  # False: checked against the cached verifier; direct calls (locks) need a session

    @property
    def note(self) -> str:
        return (
            ""
            if self.online
            else "离线登录：锁定挂单需联网 / Signed in offline: locking sales needs the backend"
        )


class StaffAuth:
    """Signs staff in and out; ``directory`` is the cache of verifiers and local failure counts."""

    def __init__(
        self,
        backend: StaffSignInBackend,
        directory: StaffDirectory,
        clock: Callable[[], datetime] = _utc_now,
        on_signed_in_online: Callable[[StaffMember], None] | None = None,
    ) -> None:
        self._backend = backend
        self._directory = directory
        self._clock = clock
        self._on_signed_in_online = on_signed_in_online

    def sign_in(self, staff_no: str, pin: str) -> SignedIn:
        staff_no = staff_no.strip()
        if not staff_no or not pin:
            raise pin_invalid()
        try:
            session = self._backend.sign_in(staff_no, pin)
        except PosError as error:
            if error.code not in OFFLINE_CODES:
                self._mirror_refusal(staff_no, error)
                raise
            log.info("backend unavailable (%s): checking staff %s offline", error.code, staff_no)
            return self._sign_in_offline(staff_no, pin)
        self._directory.reset_failures(staff_no)
        if self._on_signed_in_online is not None:
            self._on_signed_in_online(session.staff)
        return SignedIn(session.staff, online=True)

    def _mirror_refusal(self, staff_no: str, error: PosError) -> None:
        now = self._clock()
        if error.code == "pin_invalid":
            self._directory.record_failure(staff_no, now, MAX_FAILED_PINS, now + LOCKOUT)
        elif error.code == "staff_locked_out":
            until_text = error.detail.get("locked_until")
            until = datetime.fromisoformat(until_text) if isinstance(until_text, str) else now + LOCKOUT
            self._directory.set_locked_until(staff_no, until)

    def _sign_in_offline(self, staff_no: str, pin: str) -> SignedIn:
        cached = self._directory.cached_staff(staff_no)
        now = self._clock()
        if cached is not None:
            self._refuse_if_locked(cached, now)
        if cached is None:
            raise pin_invalid()  # unknown staff number: same answer as the backend, nothing to lock
        if cached.verifier is None:
            raise offline_unavailable(staff_no)
        if verify_pin(pin, cached.verifier):
            self._directory.reset_failures(staff_no)
            log.info("staff %s signed in offline", staff_no)
            return SignedIn(cached.staff, online=False)
        count = self._directory.record_failure(staff_no, now, MAX_FAILED_PINS, now + LOCKOUT)
        log.warning("wrong PIN offline for staff %s (%d in a row)", staff_no, count)
        if count >= MAX_FAILED_PINS:
            raise locked_out(staff_no, now + LOCKOUT)
        raise pin_invalid()

    @staticmethod
    def _refuse_if_locked(cached: CachedStaff, now: datetime) -> None:
        if cached.locked_until is not None and now < cached.locked_until:
            raise locked_out(cached.staff.staff_no, cached.locked_until)

    def sign_out(self) -> None:
        """End the backend session when there is one; offline there is nothing to end."""
        try:
            self._backend.sign_out()
        except PosError as error:
            log.info("sign-out not confirmed by the backend (%s): the session expires", error.code)


class IdleLock:
    """When to lock the till: ``after`` without any input from the staff member."""

    def __init__(
        self, after: timedelta = DEFAULT_IDLE_LOCK, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self.after = after
        self._clock = clock
        self._last_input = clock()

    def touch(self) -> None:
        self._last_input = self._clock()

    def idle_for(self) -> timedelta:
        return self._clock() - self._last_input

    def should_lock(self) -> bool:
        return self.idle_for() >= self.after
