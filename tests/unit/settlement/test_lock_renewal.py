"""Keeping the lock while the tender screen is open: the renewal pace, renewals over fakes, and what a
refused renewal means for settling (another till holds it, the link is down)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pos.domain.errors import PosError
from pos.domain.tender import Tender, TenderMethod
from pos.domain.transaction import DEFAULT_LOCK_TTL, TransactionState
from pos.services.settlement import (
    MAX_RENEWAL_INTERVAL,
    MIN_RENEWAL_INTERVAL,
    SettlementDesk,
    Settling,
    draft_sale,
    renewal_interval,
)

from .fakes import CASHIER, HERE, OTHER, T0, FakeBackend, FakeJournal, fill, unreachable

CASH = TenderMethod.CASH


def desk_at(backend: FakeBackend, journal: FakeJournal, now: datetime = T0) -> SettlementDesk:
    backend.now = now
    return SettlementDesk(backend, journal, journal, clock=lambda: now)


def settle(desk: SettlementDesk, settling: Settling) -> None:
    desk.settle(settling, draft_sale(settling, None, T0), [Tender(CASH, 22_260)])


def test_the_pace_is_a_third_of_the_time_the_backend_granted(
    backend: FakeBackend, journal: FakeJournal
) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER)
    assert settling.granted_at == T0 and settling.lock_expires_at == T0 + DEFAULT_LOCK_TTL
    assert renewal_interval(settling) == DEFAULT_LOCK_TTL / 3
    short = Settling(fill().lock(HERE, T0, timedelta(seconds=90)), CASHIER, T0 + timedelta(seconds=30))
    assert renewal_interval(short) == timedelta(seconds=20)  # what is left when this till heard it


def test_no_pace_without_a_lock_and_never_faster_than_the_floor() -> None:
    assert renewal_interval(Settling(fill(), CASHIER, T0)) is None
    locked = fill().lock(HERE, T0)
    assert renewal_interval(Settling(locked, CASHIER)) is None  # not known when it was granted
    skewed = Settling(locked, CASHIER, T0 + DEFAULT_LOCK_TTL + timedelta(minutes=5))
    assert renewal_interval(skewed) == MIN_RENEWAL_INTERVAL


def test_a_backend_clock_ahead_never_stretches_the_pace_past_the_lock() -> None:
    """The expiry is on the backend's clock: 5 minutes ahead, (TTL + 5 min) / 3 would outlast the lock."""
    ahead = Settling(fill().lock(HERE, T0 + timedelta(minutes=5)), CASHIER, T0)
    assert renewal_interval(ahead) == MAX_RENEWAL_INTERVAL < DEFAULT_LOCK_TTL / 2


def test_a_renewal_extends_the_lock_from_now(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER)
    later = T0 + timedelta(seconds=40)
    renewed = desk_at(backend, journal, later).renew(settling)
    assert renewed is not None and renewed.granted_at == later
    assert renewed.lock_expires_at == later + DEFAULT_LOCK_TTL and renewed.staff == CASHIER
    assert backend.calls == ["lock tx-1", "lock tx-1"]


def test_a_renewal_the_link_did_not_carry_is_none(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER)
    backend.fail = unreachable()
    assert desk_at(backend, journal, T0 + timedelta(seconds=40)).renew(settling) is None


def test_a_renewal_finding_another_till_names_it(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER)
    later = T0 + DEFAULT_LOCK_TTL + timedelta(seconds=10)
    backend.transactions["tx-1"] = backend.transactions["tx-1"].lock(OTHER, later)
    with pytest.raises(PosError) as lost:
        desk_at(backend, journal, later + timedelta(seconds=1)).renew(settling)
    assert lost.value.code == "lock_lost"
    assert "前台2" in lost.value.message and "李强" in lost.value.message
    assert lost.value.detail["transaction_id"] == "tx-1"


def test_any_other_refusal_is_raised_as_given(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER)
    backend.fail = PosError("transaction_cleared", "已结算", "already settled")
    with pytest.raises(PosError) as refused:
        desk_at(backend, journal).renew(settling)
    assert refused.value.code == "transaction_cleared"


def test_settling_a_lost_lock_still_held_by_another_till_is_refused(
    backend: FakeBackend, journal: FakeJournal
) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER).mark_lost()
    backend.transactions["tx-1"] = fill().lock(OTHER, T0)
    with pytest.raises(PosError) as refused:
        settle(desk_at(backend, journal, T0 + timedelta(seconds=1)), settling)
    assert refused.value.code == "lock_expired" and "前台2" in refused.value.message
    assert journal.records == []


def test_a_lost_lock_the_other_till_let_go_is_taken_again_and_settles(
    backend: FakeBackend, journal: FakeJournal
) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER).mark_lost()
    backend.transactions["tx-1"] = fill()  # the other till backed out
    settle(desk_at(backend, journal, T0 + timedelta(seconds=1)), settling)
    assert backend.transactions["tx-1"].state is TransactionState.LOCKED
    assert backend.transactions["tx-1"].locked_by == HERE and len(journal.records) == 1


def test_a_lost_lock_is_never_recorded_blind_while_offline(
    backend: FakeBackend, journal: FakeJournal
) -> None:
    settling = desk_at(backend, journal).select("tx-1", CASHIER).mark_lost()
    backend.fail = unreachable()
    with pytest.raises(PosError) as refused:
        settle(desk_at(backend, journal, T0 + timedelta(seconds=1)), settling)
    assert refused.value.code == "lock_needs_backend" and journal.records == []


def test_a_live_renewed_lock_settles_without_asking_again(backend: FakeBackend, journal: FakeJournal) -> None:
    desk = desk_at(backend, journal)
    renewed = desk.renew(desk.select("tx-1", CASHIER))
    assert renewed is not None
    settle(desk, renewed)
    assert backend.calls == ["lock tx-1", "lock tx-1"] and len(journal.records) == 1
