"""SettlementDesk over fakes: locking, settling through the journal, refusals, void and refund."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos.domain.errors import PosError
from pos.domain.tender import Tender, TenderMethod
from pos.services.counter_ports import LocalSale
from pos.services.settlement import SettlementDesk, Settling, checkout, draft_sale

from .fakes import (
    ATTENDANT,
    CASHIER,
    MANAGER,
    OTHER,
    T0,
    FakeBackend,
    FakeJournal,
    coupon,
    fill,
    member,
    unreachable,
)

CASH = TenderMethod.CASH


def desk_with(backend: FakeBackend, journal: FakeJournal, now=T0) -> SettlementDesk:
    ids = iter(f"id-{n}" for n in range(100))
    return SettlementDesk(backend, journal, journal, clock=lambda: now, new_id=lambda: next(ids))


def test_a_cash_sale_with_member_and_coupon_is_queued_with_its_savings(
    backend: FakeBackend, journal: FakeJournal
) -> None:
    desk = desk_with(backend, journal)
    settling = desk.select("tx-1", CASHIER)
    sale = draft_sale(settling, member(), T0).apply_coupon(coupon())
    settled = desk.settle(settling, sale, [Tender(CASH, 30_000)])
    path, body = journal.records[0]
    assert path == "/api/v1/sales"
    assert body["transaction_id"] == "tx-1" and body["member_id"] == "m-1"
    assert body["total_fen"] == 22_260 - 1_500 == settled.sale.due_fen
    assert [d["coupon_id"] for d in body["discounts"]] == ["c-1"]
    assert body["change_fen"] == 30_000 - 20_760 == settled.change_fen
    assert settled.opens_drawer


def test_cash_below_due_records_nothing(backend: FakeBackend, journal: FakeJournal) -> None:
    desk = desk_with(backend, journal)
    settling = desk.select("tx-1", CASHIER)
    with pytest.raises(PosError) as refused:
        desk.settle(settling, draft_sale(settling, None, T0), [Tender(CASH, 20_000)])
    assert refused.value.code == "cash_insufficient" and "2.60" in refused.value.message
    assert journal.records == []


def test_wallet_below_due_is_refused(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_with(backend, journal).select("tx-1", CASHIER)
    sale = draft_sale(settling, member(wallet_fen=1_000), T0)
    with pytest.raises(PosError) as refused:
        checkout(sale, [Tender(TenderMethod.WALLET, sale.due_fen)], T0)
    assert refused.value.code == "wallet_insufficient"


@pytest.mark.parametrize(
    ("offered", "code"),
    [
        (coupon(grades=["95"]), "coupon_grade_mismatch"),
        (coupon(threshold=30_000, reduction=3_000), "coupon_below_minimum"),
    ],
)
def test_a_coupon_that_does_not_match_is_refused(
    backend: FakeBackend, journal: FakeJournal, offered, code
) -> None:
    settling = desk_with(backend, journal).select("tx-1", CASHIER)
    with pytest.raises(PosError) as refused:
        draft_sale(settling, member(), T0).apply_coupon(offered)
    assert refused.value.code == code


def test_a_split_of_card_and_cash_settles_exactly(backend: FakeBackend, journal: FakeJournal) -> None:
    desk = desk_with(backend, journal)
    settling = desk.select("tx-1", CASHIER)
    settled = desk.settle(
        settling, draft_sale(settling, None, T0), [Tender(TenderMethod.CARD, 10_000), Tender(CASH, 20_000)]
    )
    assert settled.change_fen == 30_000 - 22_260
    assert journal.records[0][1]["tenders"] == [
        {"method": "card", "amount_fen": 10_000},
        {"method": "cash", "amount_fen": 20_000},
    ]


def test_an_attendant_may_not_lock(backend: FakeBackend, journal: FakeJournal) -> None:
    with pytest.raises(PosError) as refused:
        desk_with(backend, journal).select("tx-1", ATTENDANT)
    assert refused.value.code == "role_forbidden"
    assert backend.calls == []


def test_locking_offline_fails_clearly(backend: FakeBackend, journal: FakeJournal) -> None:
    backend.fail = unreachable()
    with pytest.raises(PosError) as refused:
        desk_with(backend, journal).select("tx-1", CASHIER)
    assert refused.value.code == "lock_needs_backend"


def test_a_fill_held_by_another_till_names_who(journal: FakeJournal) -> None:
    backend = FakeBackend({"tx-1": fill().lock(OTHER, T0)})
    with pytest.raises(PosError) as refused:
        desk_with(backend, journal).select("tx-1", CASHIER)
    assert refused.value.code == "transaction_locked"
    assert "前台2" in refused.value.message and "李强" in refused.value.message


def test_an_expired_lock_is_taken_again_before_recording(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_with(backend, journal).select("tx-1", CASHIER)
    later = T0 + timedelta(minutes=5)
    backend.now = later
    desk_with(backend, journal, now=later).settle(
        settling, draft_sale(settling, None, T0), [Tender(CASH, 22_260)]
    )
    assert backend.calls == ["lock tx-1", "lock tx-1"] and len(journal.records) == 1


def test_an_expired_lock_taken_by_another_till_refuses_the_sale(
    backend: FakeBackend, journal: FakeJournal
) -> None:
    settling = desk_with(backend, journal).select("tx-1", CASHIER)
    later = T0 + timedelta(minutes=5)
    backend.transactions["tx-1"] = fill().lock(OTHER, later)
    backend.now = later
    with pytest.raises(PosError) as refused:
        desk_with(backend, journal, now=later).settle(
            settling, draft_sale(settling, None, T0), [Tender(CASH, 22_260)]
        )
    assert refused.value.code == "lock_expired" and "前台2" in refused.value.message
    assert journal.records == []


def test_an_expired_lock_while_offline_still_records(backend: FakeBackend, journal: FakeJournal) -> None:
    settling = desk_with(backend, journal).select("tx-1", CASHIER)
    backend.fail = unreachable()
    later = T0 + timedelta(minutes=5)
    desk_with(backend, journal, now=later).settle(
        settling, draft_sale(settling, None, T0), [Tender(CASH, 22_260)]
    )
    assert len(journal.records) == 1


def test_cancel_unlocks_and_survives_being_offline(backend: FakeBackend, journal: FakeJournal) -> None:
    desk = desk_with(backend, journal)
    settling = desk.select("tx-1", CASHIER)
    assert desk.cancel(settling) is True
    backend.fail = unreachable()
    assert desk.cancel(Settling(backend.transactions["tx-1"], CASHIER)) is False


def test_void_needs_a_manager_and_a_reason(backend: FakeBackend, journal: FakeJournal) -> None:
    desk = desk_with(backend, journal)
    locked = desk.select("tx-1", CASHIER).transaction
    for staff, reason, code in ((CASHIER, "x", "role_forbidden"), (MANAGER, "  ", "invalid_value")):
        with pytest.raises(PosError) as refused:
            desk.void(locked, reason, staff)
        assert refused.value.code == code
    assert desk.void(locked, "客户离开", MANAGER).reason == "客户离开"


def _recorded(body_tenders: list[dict[str, object]], change: int, total: int) -> LocalSale:
    return LocalSale("s-1", T0, "1001", {"tenders": body_tenders, "change_fen": change, "total_fen": total})


def test_refund_goes_back_to_the_last_tender_first_and_is_queued() -> None:
    journal = FakeJournal()
    desk = desk_with(FakeBackend(), journal)
    sale = _recorded(
        [{"method": "card", "amount_fen": 10_000}, {"method": "cash", "amount_fen": 20_000}], 7_740, 22_260
    )
    queued = desk.refund(sale, 15_000, "油品问题", MANAGER)
    assert [(p.method.value, p.amount_fen) for p in queued.parts] == [("cash", 12_260), ("card", 2_740)]
    path, body = journal.records[0]
    assert path == "/api/v1/sales/s-1/refund"
    assert body == {
        "refund_id": "id-0",
        "staff_no": "2001",
        "reason": "油品问题",
        "amount_fen": 15_000,
        "tenders": [{"method": "cash", "amount_fen": 12_260}, {"method": "card", "amount_fen": 2_740}],
    }


def test_refund_refusals() -> None:
    desk = desk_with(FakeBackend(), FakeJournal())
    sale = _recorded([{"method": "cash", "amount_fen": 10_000}], 0, 10_000)
    for staff, amount, reason, code in (
        (CASHIER, 100, "x", "role_forbidden"),
        (MANAGER, 100, "", "invalid_value"),
        (MANAGER, 10_001, "x", "refund_exceeds_paid"),
    ):
        with pytest.raises(PosError) as refused:
            desk.refund(sale, amount, reason, staff)
        assert refused.value.code == code
