"""`pos doctor --print-test` against the virtual printer on loopback, through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.__main__ import main
from pos.hardware.printing.testpage import ruler
from pos.hardware.printing.virtual import VirtualPrinter


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_POS_DATA_DIR", str(tmp_path / "data"))


def test_print_test_page_reaches_the_virtual_printer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with VirtualPrinter(tmp_path / "paper") as printer:
        port = printer.settings().port
        main(["doctor", "--print-test", "--printer-host", "127.0.0.1", "--printer-port", str(port)])
        out = capsys.readouterr().out
        assert "OK    测试页 Test page: printed on 127.0.0.1:" in out
        assert "OK    打印机 Printer" in out
        receipt = printer.wait_for(1)[-1]
    text = "\n".join(receipt.lines)
    assert "￥" in text and "中文：加油站收银小票打印测试" in text
    assert ruler(32) in text and ruler(48)[:32] in text
    assert receipt.qr_payloads and receipt.barcodes


def test_a_dead_printer_is_a_clear_failure_not_a_crash(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor", "--print-test", "--printer-host", "127.0.0.1", "--printer-port", "9"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  测试页 Test page" in out and "Traceback" not in out
