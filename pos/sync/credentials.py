"""The till's device token in the OS keyring, and pairing a till with the backend.

The token is stored under service ``station-pos`` with the backend URL as the user name, so one machine
can be paired with a test and a live backend. It lives only in the keyring and in memory: never in the
settings file, the local store or a log line. A keyring that would write it to a plain file (keyrings.alt's
PlaintextKeyring, any backend with priority below 1) or that does not exist (``keyring.backends.fail``) is
refused with a PosError that says so; we do not fall back to plain text.
"""

from __future__ import annotations

import configparser
import logging
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import KeyringError, PasswordDeleteError

from pos.domain.errors import PosError
from pos.services.ports import Pairing
from pos.settings import SECTION, Settings
from pos.sync.client import BackendClient

log = logging.getLogger(__name__)

SERVICE_NAME = "station-pos"
MIN_SECURE_PRIORITY = 1.0


def keyring_unavailable(why: str) -> PosError:
    return PosError(
        "keyring_unavailable",
        "系统密钥环不可用 / OS keyring unavailable",
        f"无法安全保存设备令牌：{why}。请启用系统密钥环（Windows 凭据管理器、macOS 钥匙串或 Secret "
        f"Service）后重试；令牌不会以明文保存 / Cannot keep the device token safely: {why}. Enable the OS "
        "keyring and try again; the token is never stored in plain text.",
        {"reason": why},
    )


def keyring_failed(action: str, exc: Exception) -> PosError:
    return PosError(
        "keyring_failed",
        "密钥环操作失败 / Keyring failed",
        f"{action} 失败，请解锁系统密钥环后重试 / Could not {action}; unlock the OS keyring and retry.",
        {"reason": type(exc).__name__},
    )


def insecure_reason(backend: KeyringBackend) -> str | None:
    """Why ``backend`` may not hold the token, or None when it is a real OS keyring."""
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return "no keyring backend is available"
        reasons = [reason for reason in map(insecure_reason, chained) if reason]
        return reasons[0] if reasons else None
    kind = type(backend)
    if isinstance(backend, fail.Keyring):
        return "no keyring backend is available"
    if "plaintext" in kind.__name__.lower() or kind.__module__.startswith("keyrings.alt"):
        return f"{kind.__name__} keeps secrets in a plain file"
    if backend.priority < MIN_SECURE_PRIORITY:
        return f"{kind.__name__} is not a recommended secure keyring (priority {backend.priority})"
    return None


class DeviceCredentials:
    """The device token for one backend URL, kept in the keyring (the one set with keyring.set_keyring,
    or the OS default)."""

    def __init__(self, backend_url: str) -> None:
        self.backend_url = backend_url.rstrip("/")

    def __repr__(self) -> str:
        return f"DeviceCredentials({self.backend_url!r})"

    def require_secure_keyring(self) -> None:
        reason = insecure_reason(keyring.get_keyring())
        if reason is not None:
            raise keyring_unavailable(reason)

    def load(self) -> str | None:
        """The stored token, or None when this till is not paired with this backend."""
        if insecure_reason(keyring.get_keyring()) is not None:
            return None  # nothing was ever stored there by us
        try:
            return keyring.get_password(SERVICE_NAME, self.backend_url)
        except KeyringError as exc:
            raise keyring_failed("read the device token", exc) from exc

    def save(self, token: str) -> None:
        self.require_secure_keyring()
        try:
            keyring.set_password(SERVICE_NAME, self.backend_url, token)
        except KeyringError as exc:
            raise keyring_failed("store the device token", exc) from exc
        log.info("device token for %s stored in the OS keyring", self.backend_url)

    def delete(self) -> bool:
        """Forget the token; False when there was none."""
        if insecure_reason(keyring.get_keyring()) is not None:
            return False
        try:
            keyring.delete_password(SERVICE_NAME, self.backend_url)
        except PasswordDeleteError:
            return False
        except KeyringError as exc:
            raise keyring_failed("delete the device token", exc) from exc
        log.info("device token for %s removed from the OS keyring", self.backend_url)
        return True


def save_pairing_settings(path: Path, backend_url: str, till_name: str) -> None:
    """Write the backend URL and till name into the settings file, keeping every other setting."""
    parser = configparser.ConfigParser()
    if path.is_file():
        parser.read(path, encoding="utf-8")
    if not parser.has_section(SECTION):
        parser.add_section(SECTION)
    parser.set(SECTION, "backend_url", backend_url.rstrip("/"))
    parser.set(SECTION, "till_name", till_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    temporary.replace(path)  # a crash mid-write never leaves half a settings file


def pair_till(settings: Settings, backend_url: str, activation_code: str, till_name: str) -> BackendClient:
    """Pair with ``backend_url``, keep the token in the keyring and the URL/till name in the settings;
    returns the paired client. The keyring is checked first, so an unusable one does not spend the
    one-time code."""
    credentials = DeviceCredentials(backend_url)
    credentials.require_secure_keyring()
    client = client_for(settings.replace(backend_url=credentials.backend_url), token=None)
    pairing: Pairing = client.pair(activation_code, till_name)
    credentials.save(pairing.device_token)
    save_pairing_settings(settings.settings_file, credentials.backend_url, pairing.till_name)
    return client


def unpair_till(settings: Settings) -> bool:
    return DeviceCredentials(settings.backend_url).delete()


def client_for(settings: Settings, token: str | None) -> BackendClient:
    return BackendClient(
        settings.backend_url,
        connect_timeout=settings.connect_timeout_seconds,
        read_timeout=settings.read_timeout_seconds,
        verify_tls=settings.verify_tls,
        device_token=token,
    )


def stored_client(settings: Settings) -> BackendClient | None:
    """A client with the stored token for the configured backend, or None when not paired."""
    token = DeviceCredentials(settings.backend_url).load()
    return None if token is None else client_for(settings, token)
