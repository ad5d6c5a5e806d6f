"""Receipts (小票): the printer's recent jobs, each shown as it came out on paper, with reprint.

Replaying a job into an image and sending a reprint both run on the printer lane of the task runner.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos.domain.errors import PosError
from pos.hardware.printing.preview import job_png
from pos.hardware.printing.print_queue import PrintQueue
from pos.ui.tasks import Operation, QtTaskRunner


class QtReceiptsDialog(QDialog):
    def __init__(self, queue: PrintQueue, runner: QtTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptsDialog")
        self.setWindowTitle(self.tr("小票 Receipts"))
        self.resize(900, 700)
        self._queue = queue
        self._runner = runner
        self.jobs = QListWidget()
        self.jobs.setMinimumWidth(320)
        self.jobs.currentItemChanged.connect(lambda *_: self._show_selected())
        self.picture = QLabel(self.tr("选择一张小票 Pick a receipt"))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        self.message = QLabel()
        self.reprint_button = QPushButton(self.tr("重打 Reprint"))
        self.reprint_button.setMinimumHeight(48)
        self.reprint_button.clicked.connect(self.reprint_selected)
        close = QPushButton(self.tr("关闭 Close (Esc)"))
        close.setMinimumHeight(48)
        close.clicked.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(self.jobs, 1)
        left.addWidget(self.reprint_button)
        left.addWidget(close)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)

    def open_list(self) -> None:
        """Refresh the list (newest first), select the newest, show the dialog."""
        self.jobs.clear()
        for job in reversed(self._queue.history()):
            item = QListWidgetItem(f"{job.created_at.astimezone():%m-%d %H:%M:%S}  {job.title}")
            item.setData(Qt.ItemDataRole.UserRole, job)
            self.jobs.addItem(item)
        self.message.setText("" if self.jobs.count() else self.tr("还没有打印过小票 Nothing printed yet"))
        if self.jobs.count():
            self.jobs.setCurrentRow(0)
        self.show()
        self.raise_()
        self.jobs.setFocus()

    def _show_selected(self) -> None:
        item = self.jobs.currentItem()
        if item is None:
            return
        job = item.data(Qt.ItemDataRole.UserRole)
        paper_mm = self._queue.settings.profile.paper_mm
        self._runner.run(
            Operation(lambda: job_png(job.data, paper_mm), self._show_png, self._show_error, lane="printer")
        )

    def _show_png(self, png: bytes) -> None:
        self.picture.setPixmap(QPixmap.fromImage(QImage.fromData(png)))

    def reprint_selected(self) -> None:
        item = self.jobs.currentItem()
        if item is None:
            return
        job = item.data(Qt.ItemDataRole.UserRole)
        self._runner.run(
            Operation(
                lambda: self._queue.reprint(job.job_id),
                lambda _id: self.message.setText(self.tr("已重打 Reprint queued: ") + job.title),
                self._show_error,
                lane="printer",
            )
        )

    def _show_error(self, error: PosError) -> None:
        self.message.setText(f"{error.title}: {error.message}")
