"""`pos pair` / `pos unpair` against the real backend: the token lives in the keyring and nowhere else."""

from __future__ import annotations

import configparser
import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from pos.__main__ import main
from pos.settings import load_settings
from pos.sync.cache import StationCache
from pos.sync.client import BackendClient
from pos.sync.credentials import SERVICE_NAME, pair_till, stored_client
from pos.sync.members import MemberCache, MemberCacheSync, MemberRoutes
from pos.sync.store import LocalStore
from pos.ui.pairing_dialog import QtPairingDialog
from pos_backend.server import RunningBackend
from tests.unit.sync.test_credentials import MemoryKeyring


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("STATION_POS_DATA_DIR", str(path))
    return path


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def test_pair_use_and_unpair_never_write_the_token_anywhere_else(
    backend: RunningBackend,
    data_dir: Path,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    code = backend.issue_activation_code()
    assert main(["pair", "--backend", backend.url + "/", "--code", code, "--till-name", "前台2"]) == 0
    token = memory_keyring.secrets[(SERVICE_NAME, backend.url)]
    settings = load_settings()
    assert (settings.backend_url, settings.till_name) == (backend.url, "前台2")

    client = stored_client(settings)  # what plain `pos` does
    assert client is not None
    store = LocalStore(settings.data_dir / "cache.sqlite3")  # use the data dir as the till does
    StationCache(store).replace_snapshot(client.snapshot())
    MemberCacheSync(MemberCache(store), MemberRoutes(client)).sync_once()
    store.close()
    client.close()

    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"settings.ini", "cache.sqlite3"}
    for path in files:
        assert token.encode() not in path.read_bytes(), f"token found in {path.name}"
    out, err = capsys.readouterr()
    assert token not in caplog.text and token not in out + err

    assert main(["unpair"]) == 0
    assert memory_keyring.secrets == {}
    assert stored_client(load_settings()) is None


def test_without_a_secure_keyring_pairing_is_refused_before_the_code_is_spent(
    backend: RunningBackend, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = keyring.get_keyring()
    code = backend.issue_activation_code()
    try:
        keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
        assert main(["pair", "--backend", backend.url, "--code", code]) == 1
        assert "keyring" in capsys.readouterr().err.lower()
        assert not (data_dir / "settings.ini").exists()

        memory = MemoryKeyring()
        keyring.set_keyring(memory)
        assert main(["pair", "--backend", backend.url, "--code", code]) == 0  # the code still works
        assert list(memory.secrets) == [(SERVICE_NAME, backend.url)]
        parser = configparser.ConfigParser()
        parser.read(data_dir / "settings.ini", encoding="utf-8")
        assert not any("token" in key for key in parser["pos"])
    finally:
        keyring.set_keyring(previous)


def test_the_pairing_dialog_pairs_stores_and_shows_refusals(
    backend: RunningBackend, data_dir: Path, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    settings = load_settings()
    dialog = QtPairingDialog(
        "http://127.0.0.1:9", "前台1", lambda url, code, name: pair_till(settings, url, code, name)
    )
    qtbot.addWidget(dialog)
    dialog.code_box.setText("12ab")
    dialog.try_pair()
    assert "6" in dialog.message_label.text() and not memory_keyring.secrets  # checked before sending

    dialog.code_box.setText("000000")  # a well-formed code the backend never issued
    dialog.url_box.setText(backend.url)
    dialog.try_pair()
    assert dialog.result() != QtPairingDialog.DialogCode.Accepted
    assert "激活码" in dialog.message_label.text() or "activation" in dialog.message_label.text().lower()

    dialog.code_box.setText(backend.issue_activation_code())
    dialog.name_box.setText("前台5")
    dialog.try_pair()
    assert dialog.result() == QtPairingDialog.DialogCode.Accepted
    assert isinstance(dialog.paired, BackendClient) and dialog.paired.is_paired
    assert dialog.paired.snapshot().station.name  # the client works right away
    dialog.paired.close()
    assert list(memory_keyring.secrets) == [(SERVICE_NAME, backend.url)]
    assert load_settings().till_name == "前台5"
