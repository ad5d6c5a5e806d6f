"""Manager approvals, and refunds of a completed sale back to the tenders that paid it.

A void (before completion) and a refund (after) both need a manager's approval carrying a reason; both
are kept on the sale for the audit trail and the shift report ("voids and refunds with who and why").

Refund rule: a refund returns money to the methods that took it at the till, the last-tendered method
first, each at most what it took net of change and of earlier refunds; so refunds of a sale never exceed
what was paid, per method or in total, and always add up to the amount refunded. A mini-program order's
prepayment is refunded through the mini program (order refund request), never from the till.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pos.domain.checks import require_aware, require_int, require_text
from pos.domain.errors import PosError
from pos.domain.money import format_fen
from pos.domain.tender import TenderMethod

MANAGER_ROLE = "manager"


@dataclass(frozen=True, slots=True)
class Approval:
    """Who authorised a void, a refund or a cash variance, when, and the reason they gave."""

    staff_no: str
    staff_name: str
    role: str  # attendant | cashier | manager | support
    reason: str
    at: datetime

    def __post_init__(self) -> None:
        require_text("approval staff_no", self.staff_no, max_length=50)
        require_text("approval staff_name", self.staff_name, max_length=50)
        require_text("approval role", self.role, max_length=20)
        require_text("approval reason", self.reason, max_length=200)
        require_aware("approval at", self.at)

    def describe(self) -> str:
        return f"{self.staff_name}({self.staff_no}): {self.reason}"


def require_manager(approval: Approval, action: str) -> Approval:
    """PosError ``manager_required`` unless a manager approved ``action`` (void, refund, variance)."""
    if approval.role != MANAGER_ROLE:
        raise PosError(
            "manager_required",
            "需要店长授权 / Manager approval needed",
            f"{action} 需要店长 / {action} needs a manager; {approval.staff_no} is {approval.role}.",
            {"action": action, "role": approval.role},
        )
    return approval


@dataclass(frozen=True, slots=True)
class RefundPart:
    method: TenderMethod
    amount_fen: int

    def __post_init__(self) -> None:
        require_int("refund part amount_fen", self.amount_fen, minimum=1)


@dataclass(frozen=True, slots=True)
class Refund:
    refund_id: str
    approval: Approval
    parts: tuple[RefundPart, ...]

    def __post_init__(self) -> None:
        require_text("refund id", self.refund_id, max_length=100)
        if not self.parts:
            raise PosError(
                "refund_empty", "退款金额为零 / Nothing to refund", "a refund returns at least 1 fen"
            )

    @property
    def amount_fen(self) -> int:
        return sum(part.amount_fen for part in self.parts)

    @property
    def at(self) -> datetime:
        return self.approval.at


def refunded_by_method(refunds: tuple[Refund, ...]) -> dict[TenderMethod, int]:
    totals: dict[TenderMethod, int] = {}
    for refund in refunds:
        for part in refund.parts:
            totals[part.method] = totals.get(part.method, 0) + part.amount_fen
    return totals


def plan_refund(
    taken: Mapping[TenderMethod, int], already: Mapping[TenderMethod, int], amount_fen: int
) -> tuple[RefundPart, ...]:
    """Split ``amount_fen`` over the methods in ``taken`` (net of change, in tender order), last first."""
    require_int("refund amount", amount_fen, minimum=1)
    left_by_method = {method: fen - already.get(method, 0) for method, fen in taken.items() if method.at_till}
    refundable = sum(left_by_method.values())
    if amount_fen > refundable:
        raise PosError(
            "refund_exceeds_paid",
            "退款超过实收 / Refund above what was paid",
            f"最多可退 {format_fen(refundable)} / at most {format_fen(refundable)} can be refunded.",
            {"refundable_fen": refundable, "wanted_fen": amount_fen},
        )
    parts: list[RefundPart] = []
    still = amount_fen
    for method in reversed(list(left_by_method)):
        share = min(still, left_by_method[method])
        if share:
            parts.append(RefundPart(method, share))
            still -= share
    return tuple(parts)
