"""扫码 Camera dialog: live preview with the scan box, the decoded code highlighted, a beep, a rate meter.

The scanner works on its own thread (pos.hardware.scanning.CameraScanner) and calls back there; the
callbacks only queue what they got and emit the argument-free ``_wake`` (see pos.ui.bridge for why), and
the queue is drained on the GUI thread. Only the newest preview frame is kept, so a slow paint never
builds a backlog. Camera trouble (no camera, busy, lost) is a line of text in the dialog, never a crash.

Signals:
    code_scanned(str): a code passed the scanner's consensus; the composition root routes it.
    state_changed(str): the scanner's state (a ScannerState value).
"""

from __future__ import annotations

import contextlib
import logging
import queue
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor, QImage, QPainter, QPen, QPixmap, QPolygon
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from pos.hardware.scanning import CameraScanner, CameraSettings, DecodeStats, PreviewFrame, ScannerState

if TYPE_CHECKING:  # the decoders (NumPy, zxing-cpp) load only when the camera starts
    from pos.hardware.scanning.decoders import DecodedSymbol

log = logging.getLogger(__name__)
ScannerFactory = Callable[..., CameraScanner]
STATE_TEXT = {
    ScannerState.STARTING: "正在打开摄像头… Opening the camera",
    ScannerState.SCANNING: "请将二维码或条码放入框内 / Hold the code inside the box",
    ScannerState.NO_CAMERA: "未找到摄像头 No camera: 请检查连接和设置 / check the cable and settings",
    ScannerState.CAMERA_BUSY: "摄像头被占用 Camera busy: 请关闭其他使用摄像头的程序 / close other apps",
    ScannerState.CAMERA_LOST: "摄像头已断开，正在重连 / Camera lost, reconnecting",
    ScannerState.STOPPED: "已停止 Stopped",
}
STYLE_SHEET = """
QLabel#preview { background: #111; }
QLabel#codeLabel { font-size: 36px; font-weight: bold; padding: 6px; }
QLabel#codeLabel[hit="true"] { background: #E7F5EC; color: #14612F; border: 2px solid #1E9448; }
QLabel#stateLabel { font-size: 16px; }
QLabel#meterLabel { font-size: 13px; color: #52606D; font-family: monospace; }
QPushButton { font-size: 18px; min-height: 48px; }
"""


def meter_text(stats: DecodeStats) -> str:
    """For support staff: camera rate, decode rate and time, totals."""
    return (
        f"{stats.frames_per_s:4.1f} fps · 解码 {stats.decodes_per_s:4.1f}/s · "
        f"{stats.last_decode_ms:5.1f} ms · "
        f"帧 {stats.frames_read} / 解码 {stats.frames_decoded} / 识别 {stats.codes_accepted}"
    )


def frame_image(preview: PreviewFrame, highlight: str | None) -> QImage:
    """The BGR frame as a QImage with the scan box and the decoded symbols drawn on it."""
    frame = preview.frame
    height, width = frame.shape[:2]
    image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()
    painter = QPainter(image)
    try:
        x0, y0, x1, y1 = preview.scan_box
        painter.setPen(QPen(QColor("#FFFFFF"), max(2, width // 320), Qt.PenStyle.DashLine))
        painter.drawRect(x0, y0, x1 - x0, y1 - y0)
        for symbol in preview.symbols:
            _draw_symbol(painter, symbol, symbol.text == highlight, width)
    finally:
        painter.end()
    return image


def _draw_symbol(painter: QPainter, symbol: DecodedSymbol, accepted: bool, width: int) -> None:
    colour = QColor("#1E9448") if accepted else QColor("#E8A400")
    painter.setPen(QPen(colour, max(3, width // 200)))
    painter.drawPolygon(QPolygon([QPoint(x, y) for x, y in symbol.corners]))


class QtCameraDialog(QDialog):
    code_scanned = Signal(str)
    state_changed = Signal(str)
    _wake = Signal()

    def __init__(
        self,
        settings: CameraSettings,
        sound_path: Path | None = None,
        parent: QWidget | None = None,
        scanner_factory: ScannerFactory = CameraScanner,
        close_after_code_ms: int = 800,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._factory = scanner_factory
        self._close_after_code_ms = close_after_code_ms
        self._scanner: CameraScanner | None = None
        self._inbox: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._latest_preview: PreviewFrame | None = None
        self.last_code: str | None = None
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self.setObjectName("cameraDialog")
        self.setWindowTitle(self.tr("扫码 Scan with the camera"))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(720, 680)
        self._build()
        self._sound_path = sound_path
        self._sound: object | None = None  # loaded when the camera first starts: QtMultimedia is slow to wake

    def _build(self) -> None:
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setMinimumSize(640, 400)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label = QLabel(self.tr("等待扫码 Waiting for a code"))
        self.code_label.setObjectName("codeLabel")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.state_label.setWordWrap(True)
        self.meter_label = QLabel()
        self.meter_label.setObjectName("meterLabel")
        close = QPushButton(self.tr("关闭 Close (Esc)"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.preview, self.code_label, self.state_label, self.meter_label, close):
            layout.addWidget(widget)

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Show and start scanning (again)."""
        self.last_code = None
        self._set_hit(False)
        self.show()
        self.raise_()
        if self._sound is None:
            self._sound = _load_sound(self._sound_path, self)
        if self._scanner is None:
            self._scanner = self._factory(
                self._settings, on_code=self._on_code, on_state=self._on_state, on_preview=self._on_preview
            )
        self._scanner.start()

    def stop(self) -> None:
        if self._scanner is not None:
            self._scanner.stop()
            self._scanner = None

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)

    # -- worker-thread callbacks: queue and wake, nothing else -----------------------------------------

    def _on_code(self, symbol: DecodedSymbol) -> None:
        self._post("code", symbol.text)

    def _on_state(self, state: ScannerState, _detail: str) -> None:
        self._post("state", state)

    def _on_preview(self, preview: PreviewFrame) -> None:
        self._post("preview", preview)

    def _post(self, kind: str, item: object) -> None:
        self._inbox.put((kind, item))
        with contextlib.suppress(RuntimeError):  # the dialog is gone; the scanner is stopping
            self._wake.emit()

    # -- GUI thread ------------------------------------------------------------------------------------

    @Slot()
    def _drain(self) -> None:
        preview: PreviewFrame | None = None
        while True:
            try:
                kind, item = self._inbox.get_nowait()
            except queue.Empty:
                break
            if kind == "preview":
                assert isinstance(item, PreviewFrame)
                preview = item  # only the newest frame is painted
            elif kind == "state":
                assert isinstance(item, ScannerState)
                self.state_label.setText(self.tr(STATE_TEXT[item]))
                self.state_changed.emit(item.value)
            elif kind == "code":
                self._accept(str(item))
        if preview is not None:
            self._paint(preview)

    def _paint(self, preview: PreviewFrame) -> None:
        self._latest_preview = preview
        pixmap = QPixmap.fromImage(frame_image(preview, self.last_code))
        self.preview.setPixmap(
            pixmap.scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )
        self.meter_label.setText(meter_text(preview.stats))

    def _accept(self, text: str) -> None:
        self.last_code = text
        self.code_label.setText(text)
        self._set_hit(True)
        if self._sound is not None:
            self._sound.play()  # type: ignore[attr-defined]
        log.info("camera accepted a code of %d characters", len(text))
        self.code_scanned.emit(text)
        if self._close_after_code_ms >= 0:
            QTimer.singleShot(self._close_after_code_ms, self.accept)

    def _set_hit(self, hit: bool) -> None:
        self.code_label.setProperty("hit", "true" if hit else "false")
        self.code_label.style().unpolish(self.code_label)
        self.code_label.style().polish(self.code_label)


def _load_sound(path: Path | None, parent: QDialog) -> object | None:
    """A QSoundEffect for ``path``; None when there is no file or no multimedia backend."""
    if path is None or not path.is_file():
        return None
    try:
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError:  # a build without QtMultimedia: scanning works, silently
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(path)))
    effect.setVolume(0.8)
    return effect
