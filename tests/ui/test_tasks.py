"""The task runner: work off the GUI thread, outcomes on it, in order per lane."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from pos.domain.errors import PosError
from pos.ui.tasks import Operation, QtTaskRunner


def test_work_runs_off_the_gui_thread_and_outcomes_arrive_on_it_in_order(qtbot: QtBot) -> None:
    runner = QtTaskRunner()
    gui = threading.get_ident()
    seen: list[tuple[int, bool, bool]] = []
    for i in range(20):
        runner.run(
            Operation(
                work=lambda i=i: (i, threading.get_ident() != gui),
                on_done=lambda r: seen.append((r[0], r[1], threading.get_ident() == gui)),
                on_error=lambda e: None,
            )
        )
    qtbot.waitUntil(lambda: len(seen) == 20)
    assert seen == [(i, True, True) for i in range(20)]
    runner.shutdown()


def test_errors_reach_on_error_as_pos_errors_even_when_untranslated(qtbot: QtBot) -> None:
    runner = QtTaskRunner()
    errors: list[str] = []

    def refuse() -> None:
        raise PosError("transaction_locked", "t", "m")

    def crash() -> None:
        raise KeyError("boom")

    for work in (refuse, crash):
        runner.run(Operation(work=work, on_done=lambda r: None, on_error=lambda e: errors.append(e.code)))
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert errors == ["transaction_locked", "internal_error"]
    runner.shutdown()
