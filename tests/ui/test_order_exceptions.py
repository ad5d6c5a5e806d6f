"""Mini-program order exceptions from the inbox, keyboard only, against the real backend on loopback:
Ctrl+R asks a refund for an under-run (prefilled, refusals inline), Ctrl+B rebinds a wrong-nozzle order."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.services.settlement import under_run_fen
from pos.ui.order_exception_dialog import QtOrderRebindDialog, QtOrderRefundDialog
from pos_backend.models import Nozzle, Order
from pos_backend.models_counter import OrderRefundRequest
from pos_backend.orders import place_order, set_order_state
from pos_backend.seed import STATION_ID
from pos_backend.server import RunningBackend
from tests.unit.domain.factories import order, transaction

from .counter_support import (
    CounterTill,
    activate,
)

WAIT_MS = 15_000
PREPAID_FEN = 20_000


def flagged_order(
    qtbot: QtBot, till: CounterTill, backend: RunningBackend, nozzle: int, exception: str
) -> str:
    """A prepaid order on ``nozzle`` the backend flagged, published as the simulator would (once the till
    follows the event stream: a flagged order is not in the snapshot)."""
    qtbot.waitUntil(lambda: till.app.board.last_seq is not None, timeout=WAIT_MS)
    nozzle_number = nozzle
    now = datetime.now(UTC)
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None
        order = place_order(session, nozzle, PREPAID_FEN, now)
        set_order_state(session, order, "refund_requested", now, exception=exception)
        return order.id


def select_order(qtbot: QtBot, till: CounterTill, order_id: str) -> None:
    inbox = till.feature.inbox
    activate(qtbot, till.app.window)
    qtbot.waitUntil(lambda: inbox.select_key(f"order:{order_id}"), timeout=WAIT_MS)
    inbox.list.setFocus()
    inbox.select_key(f"order:{order_id}")


def confirm_with(
    qtbot: QtBot, dialog: QtOrderRefundDialog | QtOrderRebindDialog, box: object, text: str
) -> None:
    box.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_under_run_refund_request_is_prefilled_and_refusals_show_inline(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill
) -> None:
    order_id = flagged_order(qtbot, till, backend, 3, "under_run")
    select_order(qtbot, till, order_id)
    qtbot.keyClick(till.feature.inbox.list, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = till.feature.counter.order_dialog
    assert isinstance(dialog, QtOrderRefundDialog)
    assert dialog.amount_box.text() == "200.00"  # no fill known: all of the prepayment

    confirm_with(qtbot, dialog, dialog.amount_box, "200.01")  # the desk refuses before anything is sent
    qtbot.waitUntil(lambda: "预付" in dialog.banner_text, timeout=WAIT_MS)
    confirm_with(qtbot, dialog, dialog.amount_box, "35.50")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert "已申请退款" in till.feature.inbox.message_text
    with backend.db.read() as session:
        request = session.get(OrderRefundRequest, order_id)
        assert request is not None and request.amount_fen == 3_550 and request.staff_no == "1001"

    select_order(qtbot, till, order_id)  # a second request: the backend's refusal shows in the dialog
    qtbot.keyClick(till.feature.inbox.list, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    again = till.feature.counter.order_dialog
    assert isinstance(again, QtOrderRefundDialog)
    qtbot.keyClick(again.amount_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已申请退款" in again.banner_text, timeout=WAIT_MS)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert till.feature.counter.order_dialog is None


def test_wrong_nozzle_order_is_rebound_and_an_unknown_nozzle_is_refused(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill
) -> None:
    order_id = flagged_order(qtbot, till, backend, 1, "wrong_nozzle")
    select_order(qtbot, till, order_id)
    qtbot.keyClick(till.feature.inbox.list, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = till.feature.counter.order_dialog
    assert isinstance(dialog, QtOrderRebindDialog)

    confirm_with(qtbot, dialog, dialog.nozzle_box, "99")
    qtbot.waitUntil(lambda: dialog.banner_text != "", timeout=WAIT_MS)
    assert dialog.isVisible()
    confirm_with(qtbot, dialog, dialog.nozzle_box, "2")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert "已改绑到 2号油枪" in till.feature.inbox.message_text
    with backend.db.read() as session:
        order = session.get(Order, order_id)
        assert order is not None
        assert (order.state, order.nozzle_number, order.exception) == ("bound", 2, None)


def test_rebind_is_refused_for_an_order_without_a_wrong_nozzle(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill
) -> None:
    order_id = flagged_order(qtbot, till, backend, 4, "under_run")
    select_order(qtbot, till, order_id)
    qtbot.keyClick(till.feature.inbox.list, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert till.feature.counter.order_dialog is None
    assert "油枪不符" in till.feature.inbox.message_text


def test_under_run_is_prepaid_less_what_that_orders_fill_took() -> None:
    prepaid = order(prepaid_fen=PREPAID_FEN, transaction_id="tx-1")
    assert under_run_fen(prepaid, transaction(id="tx-1", amount_fen=16_450)) == 3_550
    assert under_run_fen(prepaid, transaction(id="tx-2", amount_fen=16_450)) == PREPAID_FEN  # another fill
    assert under_run_fen(prepaid, None) == PREPAID_FEN  # the fill is no longer on the board
    assert under_run_fen(prepaid, transaction(id="tx-1", amount_fen=PREPAID_FEN + 5)) == 0
