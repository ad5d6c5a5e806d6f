"""Receipts dialog: a printed job is shown from its own bytes, and a reprint reaches the printer again."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from pos.hardware.printing import samples
from pos.hardware.printing.print_queue import PrintQueue
from pos.hardware.printing.virtual import VirtualPrinter
from pos.ui.receipts_dialog import QtReceiptsDialog
from pos.ui.tasks import QtTaskRunner


def test_history_shows_the_printed_receipt_and_reprints_it(qtbot: QtBot, tmp_path: Path) -> None:
    with VirtualPrinter(tmp_path / "paper") as printer:
        queue = PrintQueue(printer.settings(), tmp_path / "spool").start()
        try:
            queue.print_document(samples.fuel_sale())
            assert queue.wait_idle(10)
            runner = QtTaskRunner()
            dialog = QtReceiptsDialog(queue, runner)
            qtbot.addWidget(dialog)
            dialog.open_list()
            assert dialog.jobs.count() == 1
            qtbot.waitUntil(
                lambda: dialog.picture.pixmap() is not None and not dialog.picture.pixmap().isNull()
            )
            assert dialog.picture.pixmap().height() > dialog.picture.pixmap().width()  # a paper strip

            dialog.reprint_selected()
            reprinted = printer.wait_for(2)
            assert len(reprinted) == 2
            assert any("重打" in line for line in reprinted[1].lines)
            assert reprinted[1].lines[-5:] == reprinted[0].lines[-5:]
            runner.shutdown()
        finally:
            queue.stop(timeout=2.0)
