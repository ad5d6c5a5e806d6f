"""SettlementDesk's mini-program order exceptions over a fake backend: what is refused before a call."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from pos.domain.errors import PosError
from pos.domain.order import Order, OrderException, OrderState
from pos.services.settlement import SettlementDesk
from tests.unit.domain.factories import order

from .fakes import ATTENDANT, CASHIER, FakeBackend, FakeJournal

UNDER_RUN = order(state=OrderState.REFUND_REQUESTED, exception=OrderException.UNDER_RUN, prepaid_fen=20_000)
WRONG_NOZZLE = replace(UNDER_RUN, exception=OrderException.WRONG_NOZZLE)


@dataclass
class OrderBackend(FakeBackend):
    sent: list[tuple[str, object]] = field(default_factory=list)

    def request_order_refund(self, order_id: str, amount_fen: int, reason: str) -> Order:
        self._maybe_fail(f"refund-request {order_id}")
        self.sent.append(("refund", (amount_fen, reason)))
        return UNDER_RUN

    def rebind_order(self, order_id: str, nozzle_number: int) -> Order:
        self._maybe_fail(f"rebind {order_id}")
        self.sent.append(("rebind", nozzle_number))
        return replace(WRONG_NOZZLE, state=OrderState.BOUND, exception=None, nozzle_number=nozzle_number)


@pytest.fixture
def backend() -> OrderBackend:
    return OrderBackend()


@pytest.fixture
def desk(backend: OrderBackend) -> SettlementDesk:
    journal = FakeJournal()
    return SettlementDesk(backend, journal, journal)


def test_a_refund_request_sends_the_amount_and_the_trimmed_reason(
    desk: SettlementDesk, backend: OrderBackend
) -> None:
    desk.request_order_refund(UNDER_RUN, 3_550, "  未加满 ", CASHIER)
    assert backend.sent == [("refund", (3_550, "未加满"))]


@pytest.mark.parametrize(
    ("amount_fen", "reason", "staff"),
    [(0, "未加满", CASHIER), (20_001, "未加满", CASHIER), (100, "  ", CASHIER), (100, "x" * 201, CASHIER),
     (100, "未加满", ATTENDANT)],
)  # fmt: skip
def test_a_refund_request_is_refused_before_any_call(
    desk: SettlementDesk, backend: OrderBackend, amount_fen: int, reason: str, staff: object
) -> None:
    with pytest.raises(PosError):
        desk.request_order_refund(UNDER_RUN, amount_fen, reason, staff)  # type: ignore[arg-type]
    assert backend.calls == []


def test_only_a_wrong_nozzle_order_is_rebound(desk: SettlementDesk, backend: OrderBackend) -> None:
    with pytest.raises(PosError):
        desk.rebind_order(UNDER_RUN, 2, CASHIER)
    with pytest.raises(PosError):
        desk.rebind_order(WRONG_NOZZLE, 0, CASHIER)
    assert backend.calls == []
    assert desk.rebind_order(WRONG_NOZZLE, 2, CASHIER).nozzle_number == 2
    assert backend.sent == [("rebind", 2)]
