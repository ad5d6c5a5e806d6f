"""Sign-in against the real backend, then offline against the verifiers it issued; lockout both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.domain.errors import PosError
from pos.services.staff_auth import StaffAuth
from pos.sync.client import BackendClient
from pos.sync.counter import CounterRoutes
from pos.sync.staff_verifiers import StaffVerifierCache, StaffVerifierSync
from pos.sync.store import LocalStore
from pos_backend.server import RunningBackend


@pytest.fixture
def store(tmp_path: Path):
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


def paired(backend: RunningBackend) -> BackendClient:
    client = BackendClient(backend.url, read_retries=0, connect_timeout=0.5, read_timeout=5.0)
    client.pair(backend.issue_activation_code(), "前台1")
    return client


def test_online_then_offline_sign_in_with_the_issued_verifier(
    backend: RunningBackend, store: LocalStore
) -> None:
    client = paired(backend)
    cache = StaffVerifierCache(store)
    sync = StaffVerifierSync(client.twin(), cache)
    auth = StaffAuth(CounterRoutes(client), cache, on_signed_in_online=lambda _s: sync.refresh())
    try:
        online = auth.sign_in("1001", "1111")
        assert online.online and online.staff.role == "cashier"
        assert cache.cached_staff("2001") is not None
        backend.stop()  # the link is gone
        offline = auth.sign_in("2001", "8888")
        assert not offline.online and offline.staff.name == "张伟" and offline.staff.role == "manager"
        codes = []
        for _ in range(5):
            with pytest.raises(PosError) as refused:
                auth.sign_in("1002", "0000")
            codes.append(refused.value.code)
        assert codes == ["pin_invalid"] * 4 + ["staff_locked_out"]
        with pytest.raises(PosError) as locked:
            auth.sign_in("1002", "2222")
        assert locked.value.code == "staff_locked_out"
    finally:
        client.close()


def test_five_wrong_pins_online_are_locked_out_by_the_backend(
    backend: RunningBackend, store: LocalStore
) -> None:
    client = paired(backend)
    cache = StaffVerifierCache(store)
    StaffVerifierSync(client.twin(), cache).refresh()
    auth = StaffAuth(CounterRoutes(client), cache)
    try:
        codes = []
        for _ in range(5):
            with pytest.raises(PosError) as refused:
                auth.sign_in("1001", "9999")
            codes.append(refused.value.code)
        assert codes == ["pin_invalid"] * 4 + ["staff_locked_out"]
        cached = cache.cached_staff("1001")
        assert cached is not None and cached.locked_until is not None  # mirrored for offline use
        with pytest.raises(PosError) as still:
            auth.sign_in("1001", "1111")
        assert still.value.code == "staff_locked_out"
    finally:
        client.close()
