"""Through python-escpos's real Network transport to the virtual printer on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from pos.domain.errors import PosError
from pos.hardware.printing import samples, transport
from pos.hardware.printing.layout import layout_document
from pos.hardware.printing.print_queue import PrintQueue, QueueStatus
from pos.hardware.printing.render import render
from pos.hardware.printing.sheet import TextOp
from pos.hardware.printing.testpage import print_test_page, ruler
from pos.hardware.printing.transport import PrinterState
from pos.hardware.printing.virtual import VirtualPrinter


@pytest.fixture(params=[80, 58])
def printer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VirtualPrinter]:
    with VirtualPrinter(tmp_path / "paper", paper_mm=request.param) as virtual:
        yield virtual


def expected_lines(document: object, columns: int) -> list[str]:
    return [op.text for op in layout_document(document, columns) if isinstance(op, TextOp)]  # type: ignore[arg-type]


def test_each_document_prints_its_lines_and_a_png(printer: VirtualPrinter) -> None:
    settings = printer.settings()
    documents = [doc for _, doc in samples.all_documents()]
    for document in documents:
        assert transport.send(settings, render(document, settings.profile)) is PrinterState.OK  # type: ignore[arg-type]
    receipts = printer.wait_for(len(documents))
    assert len(receipts) == len(documents)
    for document, receipt in zip(documents, receipts, strict=True):
        assert [line for line in receipt.lines if line] == expected_lines(document, settings.profile.columns)
    assert receipts[0].drawer_kicked and not receipts[1].drawer_kicked
    for path in printer.png_paths:
        with Image.open(path) as picture:
            assert picture.width == settings.profile.width_dots + 32
            assert picture.height > 500
            assert picture.convert("L").getextrema()[0] == 0  # something black was printed


def test_image_mode_prints_a_picture_for_printers_without_a_chinese_font(printer: VirtualPrinter) -> None:
    settings = printer.settings(as_image=True)
    transport.send(settings, render(samples.fuel_sale(), settings.profile))
    receipt = printer.wait_for(1)[0]
    assert receipt.images >= 1 and not [line for line in receipt.lines if line]
    assert receipt.image is not None and receipt.image.height > 800


def test_offline_mid_queue_then_back_prints_every_job_once_in_order(tmp_path: Path) -> None:
    statuses: list[QueueStatus] = []
    with VirtualPrinter(draw=False) as printer:
        queue = PrintQueue(
            printer.settings(), tmp_path / "spool", statuses.append, retry_initial=0.02, retry_max=0.1
        ).start()
        for n in range(3):
            queue.print_document(samples.fuel_sale(f"S-{n}"))
        printer.wait_for(1)
        printer.set_offline(True)  # some of the first three may still be in flight
        for n in range(3, 8):
            queue.print_document(samples.fuel_sale(f"S-{n}"))
        deadline = time.monotonic() + 5
        while not any(s.error and s.error.code == "printer_offline" for s in statuses):
            assert time.monotonic() < deadline, "offline never reported"
            time.sleep(0.01)
        printer.set_offline(False)
        assert queue.wait_idle(10)
        queue.stop()
        receipts = printer.wait_for(8)
    numbers = [next(line.split()[-1] for line in r.lines if line.startswith("单号")) for r in receipts]
    assert numbers == [f"S-{n}" for n in range(8)]
    offline = next(s for s in statuses if s.error)
    assert offline.message.startswith("打印机离线：") and "receipt(s) waiting" in offline.message


def test_paper_out_is_reported_as_such_and_prints_after_reload(tmp_path: Path) -> None:
    statuses: list[QueueStatus] = []
    with VirtualPrinter(draw=False) as printer:
        printer.set_paper_out(True)
        assert transport.probe(printer.settings()) is PrinterState.PAPER_OUT
        with pytest.raises(PosError) as refused:
            transport.send(printer.settings(), render(samples.order_slip(), printer.settings().profile))
        assert refused.value.code == "printer_paper_out"
        queue = PrintQueue(printer.settings(), tmp_path, statuses.append, retry_initial=0.02, retry_max=0.05)
        queue.start().print_document(samples.order_slip())
        assert not queue.wait_idle(0.3)
        assert statuses[-1].error is not None and statuses[-1].error.code == "printer_paper_out"
        assert printer.receipts == []
        printer.set_paper_out(False)
        assert queue.wait_idle(5)
        queue.stop()
        assert len(printer.wait_for(1)) == 1 and printer.discarded == 0


def test_unreachable_printer_is_offline(tmp_path: Path) -> None:
    with VirtualPrinter() as printer:
        settings = printer.settings()
    with pytest.raises(PosError) as error:
        transport.send(settings, b"\x1b@")
    assert error.value.code == "printer_offline"


def test_test_page_prints_chinese_rulers_qr_and_barcode(printer: VirtualPrinter) -> None:
    assert print_test_page(printer.settings()) is PrinterState.OK
    receipt = printer.wait_for(1)[0]
    assert receipt.lines[0] == "打印测试页"
    assert ruler(32) in receipt.lines and ruler(48) in receipt.lines
    assert any("，。：" in line for line in receipt.lines)
    assert any(line.endswith("￥1,234.56") for line in receipt.lines)
    assert receipt.qr_payloads and receipt.barcodes == ["POS-TEST-0123"]


def test_the_png_codes_scan_back_to_what_was_sent(printer: VirtualPrinter) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    print_test_page(printer.settings())
    printer.wait_for(1)
    with Image.open(printer.png_paths[0]) as picture:
        found = {(str(code.format), code.text) for code in zxingcpp.read_barcodes(picture)}
    assert {text for _, text in found} == {"https://pos.example.cn/doctor/print-test", "POS-TEST-0123"}
