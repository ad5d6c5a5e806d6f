"""Signing in online and offline, the lockout after five wrong PINs, auto-lock after idle."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pos.domain.errors import PosError
from pos.services.counter_ports import CachedStaff, PinVerifier
from pos.services.staff_auth import IdleLock, StaffAuth, verify_pin
from pos.sync.staff_verifiers import StaffVerifierCache, parse_staff_list
from pos.sync.store import LocalStore

from .fakes import CASHIER, T0, FakeDirectory, FakeSignIn

# Tiny scrypt cost keeps the tests fast; the real verifiers use n = 2**15 (see the integration test).
N = 16


def verifier(pin: str, salt: bytes = b"salt-1001") -> PinVerifier:
    return PinVerifier(salt, hashlib.scrypt(pin.encode(), salt=salt, n=N, r=8, p=1, dklen=32), n=N)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory({"1001": CachedStaff(CASHIER, verifier("1111"))})


def offline_auth(directory: FakeDirectory, clock: Clock) -> StaffAuth:
    return StaffAuth(FakeSignIn(down=True), directory, clock)


def test_online_sign_in_is_the_backends_answer(directory: FakeDirectory, clock: Clock) -> None:
    seen: list[str] = []
    backend = FakeSignIn({"1001": "1111"}, {"1001": CASHIER})
    auth = StaffAuth(backend, directory, clock, on_signed_in_online=lambda s: seen.append(s.staff_no))
    signed = auth.sign_in("1001", "1111")
    assert signed.online and signed.staff == CASHIER and seen == ["1001"]


def test_offline_sign_in_checks_the_cached_verifier(directory: FakeDirectory, clock: Clock) -> None:
    signed = offline_auth(directory, clock).sign_in("1001", "1111")
    assert not signed.online and signed.staff.role == "cashier" and "离线" in signed.note


def test_five_wrong_pins_offline_lock_the_staff_number_even_for_the_right_pin(
    directory: FakeDirectory, clock: Clock
) -> None:
    auth = offline_auth(directory, clock)
    codes = []
    for _ in range(5):
        with pytest.raises(PosError) as refused:
            auth.sign_in("1001", "0000")
        codes.append(refused.value.code)
    assert codes == ["pin_invalid"] * 4 + ["staff_locked_out"]
    with pytest.raises(PosError) as still:
        auth.sign_in("1001", "1111")
    assert still.value.code == "staff_locked_out" and "locked_until" in still.value.detail
    clock.now = T0 + timedelta(minutes=16)
    assert auth.sign_in("1001", "1111").staff == CASHIER


def test_a_right_pin_resets_the_count(directory: FakeDirectory, clock: Clock) -> None:
    auth = offline_auth(directory, clock)
    for _ in range(4):
        with pytest.raises(PosError):
            auth.sign_in("1001", "0000")
    auth.sign_in("1001", "1111")
    with pytest.raises(PosError) as refused:
        auth.sign_in("1001", "0000")
    assert refused.value.code == "pin_invalid"


def test_online_refusals_count_locally_too(directory: FakeDirectory, clock: Clock) -> None:
    """Three wrong online, the link drops: two more offline lock it (not five more)."""
    backend = FakeSignIn({"1001": "1111"}, {"1001": CASHIER})
    auth = StaffAuth(backend, directory, clock)
    for _ in range(3):
        with pytest.raises(PosError):
            auth.sign_in("1001", "0000")
    backend.down = True
    with pytest.raises(PosError):
        auth.sign_in("1001", "0000")
    with pytest.raises(PosError) as refused:
        auth.sign_in("1001", "0000")
    assert refused.value.code == "staff_locked_out"


def test_unknown_staff_and_missing_verifier(directory: FakeDirectory, clock: Clock) -> None:
    directory.staff["1009"] = CachedStaff(CASHIER, None)
    auth = offline_auth(directory, clock)
    with pytest.raises(PosError) as unknown:
        auth.sign_in("4040", "1111")
    with pytest.raises(PosError) as missing:
        auth.sign_in("1009", "1111")
    assert (unknown.value.code, missing.value.code) == ("pin_invalid", "offline_sign_in_unavailable")


def test_verify_pin_rejects_a_near_miss() -> None:
    check = verifier("1111")
    assert verify_pin("1111", check) and not verify_pin("1112", check)


def test_idle_lock(clock: Clock) -> None:
    idle = IdleLock(timedelta(minutes=5), clock)
    clock.now += timedelta(minutes=4)
    assert not idle.should_lock()
    idle.touch()
    clock.now += timedelta(minutes=5)
    assert idle.should_lock()


def test_the_verifier_cache_keeps_counts_across_a_refresh(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "till.sqlite3")
    try:
        cache = StaffVerifierCache(store)
        check = verifier("1111")
        listed = parse_staff_list(
            {
                "staff": [
                    {
                        "staff_no": "1001",
                        "name": "王芳",
                        "role": "cashier",
                        "verifier": {"scheme": "scrypt", "n": N, "r": 8, "p": 1, "dklen": 32,
                                     "salt": check.salt.hex(), "hash": check.digest.hex()},
                    },
                    {"staff_no": "3001", "name": "刘洋", "role": "attendant", "verifier": None},
                ]
            }
        )  # fmt: skip
        cache.replace_all(listed, T0)
        assert cache.record_failure("1001", T0, 5, T0 + timedelta(minutes=15)) == 1
        cache.replace_all(listed[:1], T0)
        cached = cache.cached_staff("1001")
        assert cached is not None and cached.failed_count == 1 and cached.verifier == check
        assert cache.cached_staff("3001") is None
        for _ in range(4):
            cache.record_failure("1001", T0, 5, T0 + timedelta(minutes=15))
        locked = cache.cached_staff("1001")
        assert locked is not None and locked.locked_until == T0 + timedelta(minutes=15)
    finally:
        store.close()
