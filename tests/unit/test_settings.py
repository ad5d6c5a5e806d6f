"""Settings: defaults, the ini file, and secrets refused."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pos.domain.errors import InvalidValue
from pos.settings import DATA_DIR_ENV, Settings, load_settings


def write_ini(path: Path, body: str) -> Path:
    path.write_text("[pos]\n" + body, encoding="utf-8")
    return path


def test_defaults_live_in_the_data_dir_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    settings = load_settings()
    assert settings == Settings(data_dir=tmp_path)
    assert settings.settings_file == tmp_path / "settings.ini"
    assert settings.demo_dir == tmp_path / "demo"
    assert settings.verify_tls is True


def test_ini_values_are_typed(tmp_path: Path) -> None:
    ini = write_ini(
        tmp_path / "s.ini",
        "backend_url = https://pos.example.cn\ntill_name = 前台2\nstale_after_seconds = 4.5\n"
        "verify_tls = off\ndata_dir = ~/till\n",
    )
    settings = load_settings(ini)
    assert settings.backend_url == "https://pos.example.cn"
    assert settings.till_name == "前台2"
    assert settings.stale_after_seconds == 4.5
    assert settings.verify_tls is False
    assert settings.data_dir == Path("~/till").expanduser()


def test_secrets_and_unknown_keys_are_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ini = write_ini(tmp_path / "s.ini", "device_token = abc123\nstaff_pin = 1111\ncolour = red\n")
    with caplog.at_level(logging.WARNING, logger="pos.settings"):
        settings = load_settings(ini)
    assert settings == Settings(data_dir=settings.data_dir)
    assert "abc123" not in caplog.text and "1111" not in caplog.text
    assert "device_token" in caplog.text and "colour" in caplog.text


def test_bad_values_are_refused_as_invalid_value(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="verify_tls"):
        load_settings(write_ini(tmp_path / "s.ini", "verify_tls = maybe\n"))
    with pytest.raises(InvalidValue, match="stale_after_seconds"):
        load_settings(write_ini(tmp_path / "s.ini", "stale_after_seconds = soon\n"))
