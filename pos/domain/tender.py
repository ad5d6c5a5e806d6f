"""Tenders (支付方式) and settling an amount due with one or a split of them.

Rules:

* A sale completes only when the tenders cover the amount due **exactly**; cash alone may exceed it, and
  the excess is the change. Change therefore only ever comes out of cash: card, WeChat, Alipay and wallet
  together may not exceed the amount due (``tender_exceeds_due``).
* Cash below what is still due is refused with ``cash_insufficient`` (the error says how much is short);
  non-cash tenders short of the amount with no cash at all are ``tender_insufficient``.
* The member wallet pays at most the member's balance (``wallet_insufficient``) and needs a member.
* ``mini_program`` is not a till tender: it records what a mini-program order prepaid online and is added
  by the sale itself, never typed by the cashier.
* Points: 1 point per whole yuan the member paid at the till for the sale (after discounts, any tender
  including wallet); wallet top-ups are not sales and earn nothing here; a mini-program order's prepaid
  fuel earns its points online, so it is left out here to be counted once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos.domain.checks import optional_text, require_int
from pos.domain.errors import InvalidValue, PosError
from pos.domain.member import InsufficientBalance
from pos.domain.money import FEN_PER_YUAN, format_fen

FEN_PER_POINT = FEN_PER_YUAN


class TenderMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    WALLET = "wallet"
    MINI_PROGRAM = "mini_program"  # prepaid online; never entered at the till

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def at_till(self) -> bool:
        return self is not TenderMethod.MINI_PROGRAM


_LABELS = {
    TenderMethod.CASH: "现金",
    TenderMethod.CARD: "银行卡",
    TenderMethod.WECHAT: "微信支付",
    TenderMethod.ALIPAY: "支付宝",
    TenderMethod.WALLET: "会员钱包",
    TenderMethod.MINI_PROGRAM: "小程序预付",
}


@dataclass(frozen=True, slots=True)
class Tender:
    method: TenderMethod
    amount_fen: int  # for cash: the amount given, change included
    reference: str | None = None  # terminal or QR payment reference, last digits only

    def __post_init__(self) -> None:
        if not isinstance(self.method, TenderMethod):
            raise InvalidValue(f"tender method must be a TenderMethod, got {self.method!r}")
        require_int("tender amount_fen", self.amount_fen, minimum=1)
        optional_text("tender reference", self.reference, max_length=40)


class TenderRefused(PosError):
    def __init__(self, code: str, message: str, **detail: int) -> None:
        super().__init__(code, "付款不符 / Payment does not match", message, dict(detail))


def _yuan(fen: int) -> str:
    return format_fen(fen)


def check_wallet(tenders: Iterable[Tender], wallet_balance_fen: int | None) -> None:
    """The wallet share is paid by a member and within their balance."""
    wanted = sum(t.amount_fen for t in tenders if t.method is TenderMethod.WALLET)
    if not wanted:
        return
    if wallet_balance_fen is None:
        raise TenderRefused("wallet_needs_member", "钱包支付需先关联会员 / attach a member to pay by wallet")
    if wanted > wallet_balance_fen:
        raise InsufficientBalance(wallet_balance_fen, wanted)


def check_not_over(due_fen: int, tenders: Sequence[Tender]) -> None:
    """Non-cash tenders never exceed the amount due (there is no change out of a card)."""
    if any(not t.method.at_till for t in tenders):
        raise InvalidValue("a mini-program prepayment is not a till tender")
    non_cash = sum(t.amount_fen for t in tenders if t.method is not TenderMethod.CASH)
    if non_cash > due_fen:
        raise TenderRefused(
            "tender_exceeds_due",
            f"非现金支付 {_yuan(non_cash)} 超过应收 {_yuan(due_fen)} / "
            f"non-cash {_yuan(non_cash)} exceeds {_yuan(due_fen)} due; change is given from cash only",
            due_fen=due_fen,
            non_cash_fen=non_cash,
        )


@dataclass(frozen=True, slots=True)
class Settlement:
    """Tenders that cover ``due_fen`` exactly once the change is handed back from the cash."""

    due_fen: int
    tenders: tuple[Tender, ...]
    change_fen: int

    @property
    def paid_fen(self) -> int:
        return sum(t.amount_fen for t in self.tenders)

    @property
    def cash_fen(self) -> int:
        return sum(t.amount_fen for t in self.tenders if t.method is TenderMethod.CASH)

    @property
    def opens_drawer(self) -> bool:
        """Cash changed hands: kick the drawer."""
        return self.cash_fen > 0

    def net_by_method(self) -> dict[TenderMethod, int]:
        """What each method really took: cash net of change. Methods in the order first tendered."""
        net: dict[TenderMethod, int] = {}
        for tender in self.tenders:
            net[tender.method] = net.get(tender.method, 0) + tender.amount_fen
        if self.change_fen:
            net[TenderMethod.CASH] -= self.change_fen
        return {method: fen for method, fen in net.items() if fen}


def settle(due_fen: int, tenders: Sequence[Tender], wallet_balance_fen: int | None = None) -> Settlement:
    """Check a complete set of till tenders against ``due_fen``; TenderRefused when they do not cover it."""
    require_int("amount due", due_fen)
    check_not_over(due_fen, tenders)
    check_wallet(tenders, wallet_balance_fen)
    paid = sum(t.amount_fen for t in tenders)
    if paid < due_fen:
        short = due_fen - paid
        if any(t.method is TenderMethod.CASH for t in tenders):
            raise TenderRefused(
                "cash_insufficient",
                f"收款不足，还差 {_yuan(short)} / {_yuan(short)} short of {_yuan(due_fen)} due",
                due_fen=due_fen,
                short_fen=short,
            )
        raise TenderRefused(
            "tender_insufficient",
            f"支付金额不足，还差 {_yuan(short)} / {_yuan(short)} still to pay",
            due_fen=due_fen,
            short_fen=short,
        )
    return Settlement(due_fen, tuple(tenders), paid - due_fen)


def cash_change(due_fen: int, given_fen: int) -> int:
    """Change for ``given_fen`` of cash against ``due_fen``; cash_insufficient when it is not enough."""
    require_int("amount given", given_fen)
    if given_fen == 0:
        raise InvalidValue("no cash was given")
    return settle(due_fen, [Tender(TenderMethod.CASH, given_fen)]).change_fen


def points_for(paid_at_till_fen: int) -> int:
    """1 point per whole yuan paid at the till (``¥199.99`` earns 199)."""
    return require_int("amount paid", paid_at_till_fen) // FEN_PER_POINT
