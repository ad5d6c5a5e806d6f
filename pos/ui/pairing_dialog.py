"""配对收银台 / Pair this till: backend URL, the six-digit activation code, and the till's name.

Shown by plain ``pos`` when no device token is stored for the configured backend. The pairing itself is
handed in (``pair``), so the dialog knows nothing of the keyring or HTTP; a refusal (wrong code, backend
unreachable, no OS keyring) stays on screen with its message and the cashier can correct and retry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos.domain.errors import PosError

log = logging.getLogger(__name__)

_CODE = re.compile(r"[0-9]{6}", re.ASCII)
# (backend_url, activation_code, till_name) -> the paired client, whatever the caller uses
PairFunction = Callable[[str, str, str], object]


class QtPairingDialog(QDialog):
    """Accepted once ``pair`` succeeded; ``paired`` then holds what it returned."""

    def __init__(
        self, backend_url: str, till_name: str, pair: PairFunction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._pair = pair
        self.paired: object | None = None
        self.setWindowTitle(self.tr("配对收银台 Pair this till"))
        self.url_box = QLineEdit(backend_url)
        self.code_box = QLineEdit()
        self.code_box.setPlaceholderText(self.tr("6 位激活码 six-digit code"))
        self.code_box.setMaxLength(6)
        self.name_box = QLineEdit(till_name)
        self.message_label = QLabel(
            self.tr("请向店长索取一次性激活码 / Ask the station manager for a one-time activation code.")
        )
        self.message_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("后台地址 Backend"), self.url_box)
        form.addRow(self.tr("激活码 Code"), self.code_box)
        form.addRow(self.tr("收银台名称 Till name"), self.name_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.pair_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.pair_button.setText(self.tr("配对 Pair"))
        buttons.accepted.connect(self.try_pair)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self.code_box.setFocus()

    def problem(self) -> str | None:
        """What is wrong with the form, before anything is sent."""
        if not self.url_box.text().strip().startswith(("http://", "https://")):
            return self.tr("后台地址应以 http:// 或 https:// 开头 / The backend URL starts with http(s)://")
        if not _CODE.fullmatch(self.code_box.text().strip()):
            return self.tr("激活码为 6 位数字 / The activation code has six digits")
        if not self.name_box.text().strip():
            return self.tr("请填写收银台名称 / Name this till")
        return None

    @Slot()
    def try_pair(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.message_label.setText(problem)
            return
        # Pairing is one short request, done once per till: a wait cursor instead of a worker thread.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.paired = self._pair(
                self.url_box.text().strip(), self.code_box.text().strip(), self.name_box.text().strip()
            )
        except PosError as error:
            log.warning("pairing failed: %s", error.code)
            self.message_label.setText(f"{error.title}\n{error.message}")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
