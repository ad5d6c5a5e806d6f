"""`pos doctor`: what support staff check first on a till, one line each, and the printer test page."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from pos.domain.errors import PosError
from pos.settings import Settings

Check = tuple[str, Callable[[], str]]


def run_doctor(settings: Settings, print_test: bool, out: Callable[[str], None] = print) -> int:
    """Run every check; with ``print_test`` also print the test page. Exit code 1 if any check failed."""
    checks: list[Check] = [
        ("数据目录 Data directory", lambda: str(settings.data_dir)),
        ("系统钥匙串 OS keyring", _keyring_status),
        ("后台 Backend", lambda: _backend_status(settings)),
        ("打印机 Printer", lambda: _printer_status(settings)),
    ]
    if print_test:
        checks.append(("测试页 Test page", lambda: _print_test_page(settings)))
    failures = 0
    for name, check in checks:
        try:
            out(f"OK    {name}: {check()}")
        except PosError as error:
            failures += 1
            out(f"FAIL  {name}: {error.title} — {error.message}")
    return 1 if failures else 0


def _keyring_status() -> str:
    import keyring

    from pos.sync.credentials import insecure_reason, keyring_unavailable

    backend = keyring.get_keyring()
    reason = insecure_reason(backend)
    if reason is not None:
        raise keyring_unavailable(reason)
    return type(backend).__name__


def _backend_status(settings: Settings) -> str:
    from pos.sync.client import BackendClient

    client = BackendClient(settings.backend_url, read_retries=0)
    try:
        health = client.health()
    finally:
        client.close()
    return f"{settings.backend_url} answers ({health.get('time', '')})"


def _printer_status(settings: Settings) -> str:
    from pos.hardware.printing import transport
    from pos.printer_setup import printer_settings

    printer = printer_settings(settings)
    if printer is None:
        return "未配置 not configured (printer_host is empty)"
    state = transport.probe(printer)
    return f"{printer.transport.value} {_where(printer)}: {state.value}"


def _print_test_page(settings: Settings) -> str:
    from pos.hardware.printing.testpage import print_test_page
    from pos.printer_setup import printer_settings

    printer = printer_settings(settings)
    if printer is None:
        raise PosError(
            "printer_not_configured",
            "未配置打印机 / No printer configured",
            "设置 printer_host，或使用 --printer-host / Set printer_host or pass --printer-host.",
        )
    state = print_test_page(printer)
    return f"printed on {_where(printer)} ({state.value})"


def _where(printer: object) -> str:
    fields = dataclasses.asdict(printer)  # type: ignore[call-overload]
    if fields["transport"] == "network":
        return f"{fields['host']}:{fields['port']}"
    return str(fields.get("printer_name") or fields.get("device_path") or fields.get("serial_device"))
