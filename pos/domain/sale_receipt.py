"""The receipt (小票) of a completed sale, as a ``receipt.FuelSaleReceipt`` document for the printer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pos.domain.errors import IllegalTransition
from pos.domain.money import format_fen
from pos.domain.receipt import (
    DiscountLine,
    FuelLine,
    FuelSaleReceipt,
    ItemLine,
    MemberLine,
    QrPayload,
    ReceiptHeader,
    TenderKind,
    TenderLine,
)
from pos.domain.sale import Sale
from pos.domain.sale_lines import GoodsItem
from pos.domain.tender import TenderMethod

# The mini program is WeChat's: its prepayment prints as a WeChat tender marked as prepaid online.
TENDER_KINDS = {
    TenderMethod.CASH: TenderKind.CASH,
    TenderMethod.CARD: TenderKind.UNIONPAY,
    TenderMethod.WECHAT: TenderKind.WECHAT,
    TenderMethod.ALIPAY: TenderKind.ALIPAY,
    TenderMethod.WALLET: TenderKind.WALLET,
    TenderMethod.MINI_PROGRAM: TenderKind.WECHAT,
}
PREPAID_REFERENCE = "小程序预付"
_DIGIT_RUN = re.compile(r"[0-9]{7,}")


def printable_reference(reference: str | None) -> str | None:
    """A payment reference as paper may carry it: a long number shrinks to its last four digits."""
    if reference is None or not _DIGIT_RUN.search(reference):
        return reference
    return f"尾号{reference[-4:]}"


def _goods_line(item: GoodsItem) -> ItemLine:
    detail = None if item.quantity == 1 else f"{item.quantity} × {format_fen(item.unit_price_fen)}"
    return ItemLine(item.name, item.amount_fen, detail)


def _tender_lines(sale: Sale) -> list[TenderLine]:
    lines = []
    if sale.pricing.prepaid_fen:
        lines.append(TenderLine(TenderKind.WECHAT, sale.pricing.prepaid_fen, PREPAID_REFERENCE))
    for tender in sale.tenders:
        lines.append(
            TenderLine(TENDER_KINDS[tender.method], tender.amount_fen, printable_reference(tender.reference))
        )
    return lines


def _member_line(sale: Sale) -> MemberLine | None:
    member = sale.member
    if member is None:
        return None
    wallet_paid = sum(t.amount_fen for t in sale.tenders if t.method is TenderMethod.WALLET)
    return MemberLine(
        masked_id=member.masked_phone,
        tier=member.effective_tier(sale.created_at).label,
        points_earned=sale.points_earned,
        points_balance=member.points + sale.points_earned,
        wallet_balance_fen=member.wallet_fen - wallet_paid,
    )


def fuel_sale_receipt(
    sale: Sale,
    header: ReceiptHeader,
    qr: QrPayload | None = None,
    footer: Sequence[str] = (),
) -> FuelSaleReceipt:
    """The receipt of a completed sale: fuel and goods, each saving, every tender, change and member."""
    if not sale.state.is_settled:
        raise IllegalTransition("sale", sale.state.value, "receipt printed")
    fuel = sale.fuel
    return FuelSaleReceipt(
        header=header,
        sale_no=sale.sale_id,
        fuel=()
        if fuel is None
        else (
            FuelLine(
                fuel.grade.display_name,
                fuel.nozzle_number,
                fuel.volume_ml,
                fuel.unit_price_fen,
                fuel.amount_fen,
            ),
        ),
        tenders=_tender_lines(sale),
        goods=tuple(_goods_line(item) for item in sale.goods),
        discounts=tuple(DiscountLine(s.label, s.amount_fen) for s in sale.pricing.savings),
        member=_member_line(sale),
        qr=qr,
        footer=footer,
    )
