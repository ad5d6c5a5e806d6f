"""The camera dialog fed a generated video file: it shows the decoded code and routes it to the flow."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from pos.domain.codes import WriteOffKind, WriteOffPayload, build_qr_payload
from pos.hardware.demo_media import write_demo_clip
from pos.hardware.scanning import CameraSettings
from pos.services.writeoff import Candidate
from pos.ui.camera_dialog import QtCameraDialog
from pos.ui.writeoff_wiring import route_scan
from tests.integration.writeoff_flow.conftest import RestartableBackend, TillFactory


def test_the_camera_reads_a_video_and_the_code_opens_in_the_write_off_screen(
    qtbot: QtBot, backend: RestartableBackend, make_till: TillFactory, tmp_path: Path
) -> None:
    [code] = backend.open_codes("pickup")
    video = write_demo_clip(tmp_path / "camera.avi", [(code, WriteOffKind.PICKUP)], seconds_per_code=1.5)
    assert video is not None
    till = make_till("前台1", ("3001", "3333"))
    settings = CameraSettings(source=str(video), width=640, height=480, realtime=True, required_reads=2)
    dialog = QtCameraDialog(settings, None, close_after_code_ms=-1)
    qtbot.addWidget(dialog)
    dialog.code_scanned.connect(lambda text: route_scan(text, till.screen.open_code, None, lambda _: None))

    with qtbot.waitSignal(till.screen.candidate_shown, timeout=15_000) as shown:
        dialog.start()
    candidate: Candidate = shown.args[0]
    assert candidate.code == code and candidate.reserved
    assert dialog.last_code == build_qr_payload(WriteOffPayload(code, WriteOffKind.PICKUP))
    assert dialog.code_label.text() == dialog.last_code and dialog.code_label.property("hit") == "true"
    qtbot.waitUntil(lambda: not dialog.preview.pixmap().isNull(), timeout=5000)
    assert "fps" in dialog.meter_label.text()
    assert till.screen.code_edit.text() == code
    dialog.grab().save(str(tmp_path / "camera.png"))
    dialog.grab().save("/tmp/camera_dialog.png")
    dialog.stop()
