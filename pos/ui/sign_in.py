"""登录 / 锁屏 Sign-in and lock screen: staff number and PIN, from the keyboard or the on-screen pad.

The check runs off the GUI thread (``sign_in(staff_no, pin, on_done, on_error)`` is the counter's, which
uses the task runner; the offline check is a deliberately slow scrypt). Wrong PIN, lockout (with until
when) and "signed in offline" are shown in the screen itself. The PIN box is cleared after every attempt
and never logged.

``QtIdleWatcher`` watches the application's input and asks for the lock screen after the idle time.

Signals:
    signed_in(SignedIn): the staff member is in (online or offline).
    idle(): no input for the idle time (QtIdleWatcher).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.errors import PosError
from pos.services.staff_auth import IdleLock, SignedIn

SignInCall = Callable[[str, str, Callable[[SignedIn], None], Callable[[PosError], None]], None]
STYLE_SHEET = """
QDialog { background: #1F2933; }
QLabel { color: #E9ECEF; font-size: 18px; }
QLabel#signInTitle { font-size: 28px; font-weight: bold; }
QLabel#signInMessage[error="true"] { color: #FF8A80; font-weight: bold; }
QLabel#signInMessage[error="false"] { color: #FFE08A; }
QLineEdit { font-size: 26px; min-height: 52px; }
QPushButton { font-size: 24px; min-height: 64px; min-width: 88px; }
"""
PAD_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK")
INPUT_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
)


class QtSignInScreen(QDialog):
    signed_in = Signal(object)

    def __init__(self, sign_in: SignInCall, till_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self.setWindowTitle(self.tr("登录 Sign in"))
        self.setStyleSheet(STYLE_SHEET)
        self.setModal(True)
        self._sign_in = sign_in
        self.busy = False
        title = QLabel(self.tr("{0} · 请登录 Sign in").format(till_name))
        title.setObjectName("signInTitle")
        self.staff_box = QLineEdit()
        self.staff_box.setPlaceholderText(self.tr("工号 Staff number"))
        self.pin_box = QLineEdit()
        self.pin_box.setPlaceholderText(self.tr("密码 PIN"))
        self.pin_box.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (title, self.staff_box, self.pin_box, self.message):
            layout.addWidget(widget)
        layout.addLayout(self._pad())
        self.resize(460, 620)

    def _pad(self) -> QGridLayout:
        grid = QGridLayout()
        for index, key in enumerate(PAD_KEYS):
            button = QPushButton(key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, index // 3, index % 3)
        return grid

    def press(self, key: str) -> None:
        """A pad key goes to the box with the focus (the pad buttons never take it); OK moves on."""
        box = self.pin_box if self.pin_box.hasFocus() else self.staff_box
        if key == "OK":
            self._enter()
        elif key == "⌫":
            box.backspace()
        else:
            box.insert(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._enter()
        elif event.key() == Qt.Key.Key_Escape:
            return  # the lock screen cannot be backed out of
        else:
            super().keyPressEvent(event)

    def _enter(self) -> None:
        if not self.staff_box.text().strip():
            self.staff_box.setFocus()
        elif not self.pin_box.text():
            self.pin_box.setFocus()
        else:
            self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        self.busy = True
        staff_no, pin = self.staff_box.text().strip(), self.pin_box.text()
        self.pin_box.clear()
        self._say(self.tr("正在验证… Checking"), error=False)
        self._sign_in(staff_no, pin, self._done, self._refused)

    def _done(self, signed: SignedIn) -> None:
        self.busy = False
        self._say(signed.note, error=False)
        self.signed_in.emit(signed)
        self.accept()

    def _refused(self, error: PosError) -> None:
        self.busy = False
        self._say(f"{error.title}\n{error.message}", error=True)
        self.pin_box.setFocus()

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("error", "true" if error else "false")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    @property
    def message_text(self) -> str:
        return self.message.text()

    def open_locked(self, staff_no: str = "") -> None:
        """Show as the lock screen: the last staff number filled in, the PIN box focused."""
        self.staff_box.setText(staff_no)
        self.pin_box.clear()
        self.message.clear()
        self.show()
        self.raise_()
        self.activateWindow()
        (self.pin_box if staff_no else self.staff_box).setFocus()


class QtIdleWatcher(QObject):
    """Counts any key or mouse input in the application as activity; emits ``idle`` once per idle spell."""

    idle = Signal()

    def __init__(self, lock: IdleLock, check_ms: int = 1_000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock = lock
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.lock.touch()
            self._fired = False
        return False

    def check(self) -> None:
        if not self._fired and self.lock.should_lock():
            self._fired = True
            self.idle.emit()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
