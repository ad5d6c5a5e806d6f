"""DeviceCredentials: the token lives in a secure keyring or nowhere."""

from __future__ import annotations

import configparser
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from pos.domain.errors import PosError
from pos.sync.credentials import SERVICE_NAME, DeviceCredentials, insecure_reason, save_pairing_settings

URL = "https://pos.example.com"


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring held in a dict (what tests use instead of the OS keyring)."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            from keyring.errors import PasswordDeleteError

            raise PasswordDeleteError("not found")


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's file keyring, and claiming a high priority anyway."""


class LowPriorityKeyring(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_the_token_is_kept_under_the_backend_url() -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    credentials = DeviceCredentials(URL + "/")
    assert credentials.load() is None
    credentials.save("tok-123")
    assert memory.secrets == {(SERVICE_NAME, URL): "tok-123"}
    assert DeviceCredentials(URL).load() == "tok-123"
    assert DeviceCredentials("http://other:8000").load() is None
    assert credentials.delete() is True
    assert credentials.delete() is False
    assert credentials.load() is None
    assert "tok" not in repr(credentials)


@pytest.mark.parametrize(
    ("backend", "words"),
    [
        (
            fail.Keyring(),  # type: ignore[no-untyped-call]
            "no keyring backend",
        ),
        (PlaintextKeyring(), "plain file"),
        (LowPriorityKeyring(), "not a recommended secure keyring"),
    ],
)
def test_an_insecure_or_missing_keyring_is_refused_never_used(backend: KeyringBackend, words: str) -> None:
    keyring.set_keyring(backend)
    assert words in (insecure_reason(backend) or "")
    credentials = DeviceCredentials(URL)
    with pytest.raises(PosError) as raised:
        credentials.save("tok-123")
    assert raised.value.code == "keyring_unavailable"
    assert "plain text" in raised.value.message
    if isinstance(backend, MemoryKeyring):
        assert backend.secrets == {}  # nothing written, not even "for now"
    assert credentials.load() is None


def test_pairing_settings_keep_other_settings_and_hold_no_token(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[pos]\nstale_after_seconds = 20\ntill_name = 旧名\n", encoding="utf-8")
    save_pairing_settings(path, URL + "/", "前台2")
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    assert dict(parser["pos"]) == {"stale_after_seconds": "20", "till_name": "前台2", "backend_url": URL}
