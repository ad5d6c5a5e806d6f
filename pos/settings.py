"""The till's settings, declared in one place with types and defaults.

Read from ``settings.ini`` (section ``[pos]``) in the user data directory when present. Secrets never live
here: the device token belongs in the OS keyring, a PIN nowhere; such keys in the file are refused.
``STATION_POS_DATA_DIR`` moves the data directory (tests, a second till on one machine).
"""

from __future__ import annotations

import configparser
import dataclasses
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos.domain.errors import InvalidValue

log = logging.getLogger(__name__)

APP_NAME = "station-pos"
DATA_DIR_ENV = "STATION_POS_DATA_DIR"
SECTION = "pos"
FORBIDDEN_KEY_PARTS = ("token", "pin", "password", "secret")


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir  # imported here: only needed when no override is set

    return Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class Settings:
    backend_url: str = "http://127.0.0.1:8000"
    till_name: str = "前台1"
    data_dir: Path = field(default_factory=default_data_dir)
    # Nozzle data older than this (no contact with the backend) is marked 数据过时 / stale.
    stale_after_seconds: float = 10.0
    # Long-poll wait; also bounds how long a stopping follower may linger in the background.
    poll_wait_seconds: float = 5.0
    connect_timeout_seconds: float = 3.0
    read_timeout_seconds: float = 10.0
    verify_tls: bool = True
    language: str = "zh_CN"
    # Write-off (issue 6). The camera: a device index ("0") or a video file; "demo" = the clip pos demo
    # makes in the demo directory. Offline write-offs: 0 = off, else the most a code may be worth (fen).
    camera_source: str = "0"
    camera_width: int = 1280
    camera_height: int = 720
    writeoff_offline_limit_fen: int = 0
    # The receipt printer the write-off slip goes to (raw TCP, port 9100); empty host = no printer.
    printer_host: str = ""
    printer_port: int = 9100
    # Other transports (issue 5): network | usb | serial | file | cups | win32raw. printer_device is the
    # serial port, device file, or CUPS/Windows printer name; usb ids as hex "04b8:0202".
    printer_transport: str = "network"
    printer_device: str = ""
    printer_usb_ids: str = ""
    printer_paper_mm: int = 80
    printer_as_image: bool = False
    # Counter (issue 4): speak new mini-program orders (语音播报) when a speech engine exists; lock the
    # till after this many idle minutes.
    announce_orders_aloud: bool = False
    idle_lock_minutes: float = 5.0

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.ini"

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _convert(name: str, kind: str, text: str) -> Any:
    if kind == "bool":
        value = text.strip().lower()
        if value not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
            raise InvalidValue(f"setting {name} must be true or false, got {text!r}", {"setting": name})
        return value in {"1", "true", "yes", "on"}
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise InvalidValue(
                f"setting {name} must be a whole number, got {text!r}", {"setting": name}
            ) from None
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise InvalidValue(f"setting {name} must be a number, got {text!r}", {"setting": name}) from None
    if kind == "Path":
        return Path(text).expanduser()
    return text


def load_settings(path: Path | None = None) -> Settings:
    """Defaults, overridden by the ini file at ``path`` (or the default location) when it exists."""
    defaults = Settings()
    path = path or defaults.settings_file
    if not path.is_file():
        return defaults
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    if not parser.has_section(SECTION):
        return defaults
    kinds = {f.name: str(f.type) for f in dataclasses.fields(Settings)}
    changes: dict[str, Any] = {}
    for key, text in parser.items(SECTION):
        if any(part in key for part in FORBIDDEN_KEY_PARTS):
            log.warning("ignoring %s in %s: secrets are never read from a settings file", key, path)
        elif key not in kinds:
            log.warning("unknown setting %s in %s", key, path)
        else:
            changes[key] = _convert(key, kinds[key], text)
    return defaults.replace(**changes)
