"""Staff sign-in checks: lockout after repeated wrong PINs, and the offline verifiers tills may hold.

Lockout: ``MAX_FAILED_PINS`` wrong PINs in a row for one staff number lock it for ``LOCKOUT``; while
locked even the right PIN is refused (``423 staff_locked_out``, detail says until when). A right PIN
resets the count. Counting is one conditional UPDATE, so tills racing with wrong PINs cannot slip past
the limit. An unknown staff number is answered like a wrong PIN and locks nothing.

Offline verifier: ``scrypt(pin, salt, n, r, p)`` with a salt of its own and parameters of its own, so
what a till holds is not the server's PIN hash; the PIN itself never leaves the sign-in request. The
backend can only make a verifier while it holds the PIN: at seeding and at each online sign-in.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_backend.auth import dummy_pin_check, verify_pin
from pos_backend.clock import to_wire
from pos_backend.errors import ApiError
from pos_backend.models import Staff
from pos_backend.models_counter import StaffLockout, StaffVerifier
from pos_backend.roles import Permission, require_permission

log = logging.getLogger(__name__)
MAX_FAILED_PINS = 5
LOCKOUT = timedelta(minutes=15)
# Offline verifier parameters: stronger than the server's (n=2**14) since a stolen till can be attacked
# at leisure; 32 MiB of memory, about 0.1 s per check on a till.
VERIFIER_N, VERIFIER_R, VERIFIER_P, VERIFIER_DKLEN = 2**15, 8, 1, 32
VERIFIER_MAXMEM = 64 * 1024 * 1024  # hashlib's default (32 MiB) is just short of n=2**15, r=8


def verifier_digest(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=VERIFIER_MAXMEM, dklen=VERIFIER_DKLEN
    )


def store_verifier(
    session: Session, staff: Staff, pin: str, now: datetime, salt: bytes | None = None
) -> None:
    """(Re)make the staff member's offline verifier, with a fresh salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _cached_digest(pin, salt, VERIFIER_N, VERIFIER_R, VERIFIER_P).hex()
    row = session.get(StaffVerifier, staff.id)
    if row is None:
        row = StaffVerifier(staff_id=staff.id)
        session.add(row)
    row.salt_hex, row.digest_hex, row.created_at = salt.hex(), digest, now
    row.n, row.r, row.p = VERIFIER_N, VERIFIER_R, VERIFIER_P


@functools.lru_cache(maxsize=64)
def _cached_digest(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # seeding many throwaway databases (tests) with the same demo staff pays the slow hash once
    return verifier_digest(pin, salt, n, r, p)


def seed_verifiers(session: Session, station_id: str, pins: dict[str, str], now: datetime) -> None:
    """Verifiers for seeded staff (``pins``: staff_no -> PIN), made while the seed still knows the PINs.

    Demo data: the salt is derived from the staff number, like the rest of the seed (whose PINs are in
    the source anyway); verifiers made at an online sign-in get a random salt."""
    session.flush()
    for staff in session.scalars(select(Staff).where(Staff.station_id == station_id)):
        if staff.staff_no in pins:
            salt = random.Random(f"verifier-{station_id}-{staff.staff_no}").randbytes(16)
            store_verifier(session, staff, pins[staff.staff_no], now, salt)


def verifiers(session: Session, station_id: str) -> list[dict[str, Any]]:
    """Every staff member of the station with the verifier a till checks a PIN against offline."""
    rows = session.execute(
        select(Staff, StaffVerifier)
        .outerjoin(StaffVerifier, StaffVerifier.staff_id == Staff.id)
        .where(Staff.station_id == station_id)
        .order_by(Staff.staff_no)
    ).all()
    return [
        {
            "staff_no": staff.staff_no,
            "name": staff.name,
            "role": staff.role,
            "verifier": None
            if found is None
            else {
                "scheme": "scrypt",
                "n": found.n,
                "r": found.r,
                "p": found.p,
                "dklen": VERIFIER_DKLEN,
                "salt": found.salt_hex,
                "hash": found.digest_hex,
            },
        }
        for staff, found in rows
    ]


def _locked_out(staff: Staff, until: datetime) -> ApiError:
    return ApiError(
        423,
        "staff_locked_out",
        f"密码错误次数过多，已锁定至 {to_wire(until)} / Too many wrong PINs: locked until {to_wire(until)}",
        {"staff_no": staff.staff_no, "locked_until": to_wire(until)},
    )


def _lockout_row(session: Session, staff: Staff) -> StaffLockout:
    row = session.get(StaffLockout, staff.id)
    if row is None:
        row = StaffLockout(staff_id=staff.id, failed_count=0, locked_until=None)
        session.add(row)
        session.flush()
    return row


def _count_failure(session: Session, staff: Staff, now: datetime) -> ApiError:
    """One more wrong PIN; the one that reaches the limit locks the staff number."""
    _lockout_row(session, staff)
    L = StaffLockout
    session.execute(
        update(L)
        .where(L.staff_id == staff.id)
        .values(failed_count=L.failed_count + 1)
        .execution_options(synchronize_session=False)
    )
    locked = session.execute(
        update(L)
        .where(L.staff_id == staff.id, L.failed_count >= MAX_FAILED_PINS)
        .values(failed_count=0, locked_until=now + LOCKOUT)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(locked, "rowcount", 0)) == 1:
        log.warning("staff %s locked out after %d wrong PINs", staff.staff_no, MAX_FAILED_PINS)
        return _locked_out(staff, now + LOCKOUT)
    return ApiError(401, "pin_invalid", "工号或密码错误 / Wrong staff number or PIN")


def authenticate(
    session: Session, station_id: str, staff_no: str, pin: str, now: datetime
) -> Staff | ApiError:
    """Check a sign-in. Refusals are returned, not raised: the failure count must commit with them."""
    staff = session.scalar(select(Staff).where(Staff.staff_no == staff_no, Staff.station_id == station_id))
    if staff is None:
        dummy_pin_check(pin)
        return ApiError(401, "pin_invalid", "工号或密码错误 / Wrong staff number or PIN")
    lockout = session.get(StaffLockout, staff.id, populate_existing=True)
    if lockout is not None and lockout.locked_until is not None and lockout.locked_until > now:
        return _locked_out(staff, lockout.locked_until)
    if not verify_pin(pin, staff.pin_hash):
        return _count_failure(session, staff, now)
    if lockout is not None:
        lockout.failed_count, lockout.locked_until = 0, None
    if session.get(StaffVerifier, staff.id) is None:
        store_verifier(session, staff, pin, now)
    return staff


def named_staff(session: Session, station_id: str, staff_no: str, permission: Permission) -> Staff:
    """The staff an outbox record names (the session may have ended since): known, and allowed."""
    staff = session.scalar(select(Staff).where(Staff.staff_no == staff_no, Staff.station_id == station_id))
    if staff is None:
        raise ApiError(422, "staff_unknown", "工号不存在 / Unknown staff number", {"staff_no": staff_no})
    require_permission(staff.role, permission)
    return staff
