"""Staff verifiers for offline sign-in: fetched from ``GET /staff/verifiers`` and kept in the local store.

A fetch replaces the list of staff (name, role, scrypt verifier) but keeps this till's own count of wrong
PINs and any lockout, so refreshing the list never lifts a lockout. The verifier is a slow salted hash the
backend issued for this purpose, never the PIN nor the backend's own PIN hash.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, text

from pos.domain.errors import PosError
from pos.services.counter_ports import CachedStaff, PinVerifier
from pos.services.ports import StaffMember
from pos.sync import wire
from pos.sync.client import BackendClient
from pos.sync.outbox import SqlStore, stamp

log = logging.getLogger(__name__)

SCHEME = "scrypt"


def parse_verifier(raw: object) -> PinVerifier | None:
    """A verifier object of the contract; None for ``null`` or a scheme this till does not know."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise wire.bad_response("a staff verifier must be an object or null")
    if raw.get("scheme") != SCHEME:
        log.warning("ignoring a staff verifier with scheme %r", raw.get("scheme"))
        return None
    try:
        return PinVerifier(
            salt=bytes.fromhex(str(raw["salt"])),
            digest=bytes.fromhex(str(raw["hash"])),
            n=int(raw["n"]),
            r=int(raw["r"]),
            p=int(raw["p"]),
            dklen=int(raw["dklen"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise wire.bad_response(f"malformed staff verifier ({type(exc).__name__})") from exc


def verifier_to_json(verifier: PinVerifier | None) -> str | None:
    if verifier is None:
        return None
    return json.dumps(
        {
            "scheme": SCHEME,
            "salt": verifier.salt.hex(),
            "hash": verifier.digest.hex(),
            "n": verifier.n,
            "r": verifier.r,
            "p": verifier.p,
            "dklen": verifier.dklen,
        }
    )


def parse_staff_list(body: Any) -> list[tuple[StaffMember, PinVerifier | None]]:
    staff = body.get("staff") if isinstance(body, Mapping) else None
    if not isinstance(staff, list):
        raise wire.bad_response("GET /staff/verifiers: staff must be a list")
    parsed: list[tuple[StaffMember, PinVerifier | None]] = []
    for item in staff:
        if not isinstance(item, Mapping):
            raise wire.bad_response("GET /staff/verifiers: each staff entry must be an object")
        member = StaffMember(str(item.get("staff_no")), str(item.get("name")), str(item.get("role")))
        parsed.append((member, parse_verifier(item.get("verifier"))))
    return parsed


class StaffVerifierCache:
    """The ``staff_verifiers`` table: the ``StaffDirectory`` port of pos.services.staff_auth."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def replace_all(self, staff: Sequence[tuple[StaffMember, PinVerifier | None]], now: datetime) -> None:
        """Keep exactly these staff; failure counts and lockouts of those still listed stay."""
        with self._store.write() as conn:
            listed = [member.staff_no for member, _ in staff]
            existing = {row[0] for row in conn.execute(text("SELECT staff_no FROM staff_verifiers")).all()}
            for gone in existing - set(listed):
                conn.execute(text("DELETE FROM staff_verifiers WHERE staff_no = :no"), {"no": gone})
            for member, verifier in staff:
                conn.execute(
                    text(
                        "INSERT INTO staff_verifiers (staff_no, name, role, verifier_json, fetched_at) "
                        "VALUES (:no, :name, :role, :verifier, :at) ON CONFLICT (staff_no) DO UPDATE SET "
                        "name = excluded.name, role = excluded.role, "
                        "verifier_json = COALESCE(excluded.verifier_json, staff_verifiers.verifier_json), "
                        "fetched_at = excluded.fetched_at"
                    ),
                    {
                        "no": member.staff_no,
                        "name": member.name,
                        "role": member.role,
                        "verifier": verifier_to_json(verifier),
                        "at": stamp(now),
                    },
                )

    def cached_staff(self, staff_no: str) -> CachedStaff | None:
        with self._store.read() as conn:
            row = conn.execute(
                text(
                    "SELECT staff_no, name, role, verifier_json, failed_count, locked_until "
                    "FROM staff_verifiers WHERE staff_no = :no"
                ),
                {"no": staff_no},
            ).first()
        return None if row is None else _cached_from_row(row)

    def record_failure(self, staff_no: str, now: datetime, max_failures: int, lockout_until: datetime) -> int:
        with self._store.write() as conn:
            row = conn.execute(
                text("SELECT failed_count, locked_until FROM staff_verifiers WHERE staff_no = :no"),
                {"no": staff_no},
            ).first()
            if row is None:
                return 0  # unknown here: like the backend, an unknown staff number locks nothing
            failed, locked_until = int(row[0]), row[1]
            if locked_until is not None and locked_until <= stamp(now):
                failed = 0  # the previous lockout is over: counting starts again
            failed += 1
            until = stamp(lockout_until) if failed >= max_failures else None
            conn.execute(
                text(
                    "UPDATE staff_verifiers SET failed_count = :failed, locked_until = :until "
                    "WHERE staff_no = :no"
                ),
                {"failed": 0 if until else failed, "until": until, "no": staff_no},
            )
        return failed

    def set_locked_until(self, staff_no: str, until: datetime | None) -> None:
        with self._store.write() as conn:
            conn.execute(
                text(
                    "UPDATE staff_verifiers SET failed_count = 0, locked_until = :until WHERE staff_no = :no"
                ),
                {"until": None if until is None else stamp(until), "no": staff_no},
            )

    def reset_failures(self, staff_no: str) -> None:
        self.set_locked_until(staff_no, None)


def _cached_from_row(row: Row[Any]) -> CachedStaff:
    staff_no, name, role, verifier_json, failed, locked_until = tuple(row)
    verifier = parse_verifier(json.loads(verifier_json)) if verifier_json else None
    return CachedStaff(
        StaffMember(staff_no, name, role),
        verifier,
        int(failed),
        datetime.fromisoformat(locked_until) if locked_until else None,
    )


class StaffVerifierSync:
    """Fetches the verifiers and stores them; call off the GUI thread (on start-up, after a sign-in)."""

    def __init__(self, client: BackendClient, cache: StaffVerifierCache) -> None:
        self._client = client
        self._cache = cache

    def refresh(self) -> int:
        """Returns how many staff were cached; PosError when the backend cannot answer."""
        staff = parse_staff_list(self._client.get_json("/staff/verifiers"))
        self._cache.replace_all(staff, datetime.now(UTC))
        log.info("cached %d staff verifiers", len(staff))
        return len(staff)

    def refresh_quietly(self) -> int | None:
        try:
            return self.refresh()
        except PosError as error:
            log.info("staff verifiers not refreshed (%s)", error.code)
            return None
