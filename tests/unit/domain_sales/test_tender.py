from __future__ import annotations

import pytest

from pos.domain.errors import InvalidValue, PosError
from pos.domain.tender import Tender, TenderMethod, cash_change, points_for, settle

CASH, CARD, WECHAT, ALIPAY, WALLET = (
    TenderMethod.CASH,
    TenderMethod.CARD,
    TenderMethod.WECHAT,
    TenderMethod.ALIPAY,
    TenderMethod.WALLET,
)


def tenders(*pairs: tuple[TenderMethod, int]) -> list[Tender]:
    return [Tender(method, fen) for method, fen in pairs]


@pytest.mark.parametrize(
    ("due", "paid", "balance", "change"),
    [
        (28_165, [(CASH, 30_000)], None, 1_835),
        (28_165, [(CASH, 28_165)], None, 0),
        (28_165, [(CARD, 28_165)], None, 0),
        (28_165, [(WECHAT, 20_000), (CASH, 10_000)], None, 1_835),
        (28_165, [(WALLET, 8_165), (ALIPAY, 20_000)], 10_000, 0),
        (28_165, [(WALLET, 10_000), (CARD, 10_000), (CASH, 10_000)], 10_000, 1_835),
        (0, [], None, 0),
    ],
)
def test_settle_covers_the_amount_exactly_with_change_from_cash(
    due: int, paid: list[tuple[TenderMethod, int]], balance: int | None, change: int
) -> None:
    settlement = settle(due, tenders(*paid), balance)
    assert settlement.change_fen == change
    assert settlement.paid_fen - settlement.change_fen == due
    assert settlement.opens_drawer == any(method is CASH for method, _ in paid)


@pytest.mark.parametrize(
    ("due", "paid", "balance", "code"),
    [
        (28_165, [(CASH, 28_000)], None, "cash_insufficient"),
        (28_165, [(CARD, 20_000), (CASH, 8_000)], None, "cash_insufficient"),
        (28_165, [(CARD, 28_000)], None, "tender_insufficient"),
        (28_165, [(CARD, 28_166)], None, "tender_exceeds_due"),
        (28_165, [(CARD, 20_000), (WECHAT, 10_000), (CASH, 100)], None, "tender_exceeds_due"),
        (28_165, [(WALLET, 28_165)], 28_164, "wallet_insufficient"),
        (28_165, [(WALLET, 10_000), (WALLET, 10_000), (CASH, 10_000)], 19_999, "wallet_insufficient"),
        (28_165, [(WALLET, 28_165)], None, "wallet_needs_member"),
        (100, [], None, "tender_insufficient"),
    ],
)
def test_settle_refusals(
    due: int, paid: list[tuple[TenderMethod, int]], balance: int | None, code: str
) -> None:
    with pytest.raises(PosError) as refused:
        settle(due, tenders(*paid), balance)
    assert refused.value.code == code


def test_cash_insufficient_says_how_much_is_short() -> None:
    with pytest.raises(PosError) as refused:
        cash_change(28_165, 20_000)
    assert refused.value.detail == {"due_fen": 28_165, "short_fen": 8_165}
    assert "¥81.65" in refused.value.message


def test_cash_change() -> None:
    assert cash_change(28_165, 30_000) == 1_835
    with pytest.raises(InvalidValue):
        cash_change(28_165, 0)


def test_mini_program_is_not_a_till_tender() -> None:
    with pytest.raises(InvalidValue):
        settle(100, [Tender(TenderMethod.MINI_PROGRAM, 100)])


def test_net_by_method_takes_change_off_cash() -> None:
    settlement = settle(28_165, tenders((WECHAT, 20_000), (CASH, 5_000), (CASH, 5_000)))
    assert settlement.net_by_method() == {WECHAT: 20_000, CASH: 8_165}


@pytest.mark.parametrize(("paid", "points"), [(0, 0), (99, 0), (100, 1), (19_999, 199), (20_000, 200)])
def test_one_point_per_whole_yuan(paid: int, points: int) -> None:
    assert points_for(paid) == points


@pytest.mark.parametrize("bad", [0, -5, True])
def test_tender_amounts_are_positive_fen(bad: int) -> None:
    with pytest.raises(InvalidValue):
        Tender(CASH, bad)
