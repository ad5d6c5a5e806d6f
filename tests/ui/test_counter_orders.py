"""A new mini-program order rings and flashes the inbox until acknowledged; the cashier completes it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos.ui.chime import SOUND_FILE, announcement_text, chime_samples, write_chime
from pos_backend.models import Order
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator

from .counter_support import (
    CounterTill,
    activate,
)

WAIT_MS = 15_000


def step_until_completed_order(backend: RunningBackend, simulator: Simulator) -> str:
    for _ in range(1_500):
        simulator.step(5.0)
        with backend.db.read() as session:
            done = session.scalars(select(Order.id).where(Order.state == "completed")).first()
        if done is not None:
            return str(done)
    raise AssertionError("no mini-program order completed")


def test_a_new_order_rings_flashes_and_is_completed(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill
) -> None:
    inbox, counter = till.feature.inbox, till.feature.counter
    qtbot.waitUntil(lambda: till.app.board.last_seq is not None, timeout=WAIT_MS)
    order_id = step_until_completed_order(backend, Simulator(backend.db, seed=11))
    qtbot.waitUntil(lambda: inbox.announcer.played >= 1, timeout=WAIT_MS)  # the chime for order.created
    assert inbox.is_flashing
    activate(qtbot, till.app.window)
    qtbot.keyClick(till.app.window, Qt.Key.Key_F1)  # acknowledged: the list stops flashing
    assert not inbox.is_flashing

    def completed_row_selected() -> bool:
        row = inbox.current_item() if inbox.select_key(f"order:{order_id}") else None
        return row is not None and row.order is not None and row.order.state.value == "completed"

    qtbot.waitUntil(completed_row_selected, timeout=WAIT_MS)  # the till has heard of the completion
    qtbot.keyClick(inbox.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "订单已完成" in inbox.message_text, timeout=WAIT_MS)
    assert not any(item.key == f"order:{order_id}" for item in inbox.model.items)
    assert counter.tender is None


def test_the_chime_file_is_the_generated_two_tone_wav(tmp_path: Path) -> None:
    written = write_chime(tmp_path / "chime.wav")
    assert written.read_bytes() == SOUND_FILE.read_bytes()
    samples = chime_samples()
    assert max(samples) < 32767 * 0.5 and min(samples) > -32767 * 0.5 and len(samples) > 10_000
    assert announcement_text(3, "200") == "3号油枪 小程序订单 200元"
