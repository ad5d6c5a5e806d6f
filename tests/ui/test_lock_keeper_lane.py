"""The lock keeper and the settle share the counter lane: a settle queued behind a renewal that the backend
refuses must learn of the refusal on the lane, before the GUI hears of it, and never record blind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from pos.domain.errors import PosError
from pos.domain.tender import Tender, TenderMethod
from pos.domain.transaction import DEFAULT_LOCK_TTL
from pos.services.settlement import SettlementDesk, Settling, draft_sale
from pos.ui.lock_keeper import QtLockKeeper
from pos.ui.tasks import Operation, QtTaskRunner
from tests.unit.settlement.fakes import CASHIER, OTHER, T0, FakeBackend, FakeJournal, fill

LANE = "counter"
NOW = T0 + timedelta(seconds=40)  # the till's clock: its own lock has not run out yet


@pytest.fixture
def runner() -> Iterator[QtTaskRunner]:
    runner = QtTaskRunner()
    yield runner
    runner.shutdown()


def taken_by_another_till(backend: FakeBackend, journal: FakeJournal) -> tuple[SettlementDesk, Settling]:
    """This till locked tx-1; the backend now says 前台2 holds it (after a void, or with skewed clocks)."""
    backend.now = T0
    desk = SettlementDesk(backend, journal, journal, clock=lambda: NOW)
    settling = desk.select("tx-1", CASHIER)
    backend.transactions["tx-1"] = fill().lock(OTHER, NOW - timedelta(seconds=1))
    return desk, settling


def test_a_settle_queued_behind_a_refused_renewal_is_refused_too(qtbot: QtBot, runner: QtTaskRunner) -> None:
    backend, journal = FakeBackend({"tx-1": fill()}), FakeJournal()
    desk, settling = taken_by_another_till(backend, journal)
    lost: list[PosError] = []
    outcome: list[Any] = []
    keeper = QtLockKeeper(desk, runner, settling, LANE, lambda: False, lost.append)
    keeper.start()
    keeper._tick()  # the timer fired: a renewal is on the lane
    sale = draft_sale(settling, None, T0)
    tenders = [Tender(TenderMethod.CASH, 22_260)]  # the fill's amount, as the desk tests pay it
    # Enter pressed before the renewal's answer reached the GUI: the settle is queued right behind it.
    runner.run(
        Operation(
            lambda: desk.settle(keeper.settling_on_lane(), sale, tenders),
            outcome.append,
            outcome.append,
            LANE,
        )
    )
    qtbot.waitUntil(lambda: bool(lost) and bool(outcome))
    assert [error.code for error in lost] == ["lock_lost"]
    assert isinstance(outcome[0], PosError) and outcome[0].code == "lock_expired"
    assert "前台2" in outcome[0].message
    assert journal.records == []  # nothing recorded: the money is not taken for a sale the backend refuses
    assert keeper.settling.lost and not keeper.active


def test_a_settle_queued_behind_a_renewal_uses_the_renewed_lock(qtbot: QtBot, runner: QtTaskRunner) -> None:
    backend, journal = FakeBackend({"tx-1": fill()}), FakeJournal()
    backend.now = T0
    desk = SettlementDesk(backend, journal, journal, clock=lambda: NOW)
    settling = desk.select("tx-1", CASHIER)
    seen: list[Settling] = []
    keeper = QtLockKeeper(desk, runner, settling, LANE, lambda: False, lambda error: None)
    keeper.start()
    backend.now = NOW
    keeper._tick()
    runner.run(Operation(keeper.settling_on_lane, seen.append, seen.append, LANE))
    qtbot.waitUntil(lambda: bool(seen) and keeper.renewals == 1)
    assert seen[0].lock_expires_at == NOW + DEFAULT_LOCK_TTL == keeper.settling.lock_expires_at
    assert seen[0].lock_expires_at != settling.lock_expires_at  # the renewal's, not the first grant's
    keeper.stop()
