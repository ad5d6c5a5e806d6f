"""Bad input at the counter, shown inline: cash below due, coupon mismatch, wallet too low, a fill held by
another till (names who), a manager's refund, five wrong PINs, a backend answering 500 while tendering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.domain.coupon import Coupon
from pos.domain.grade import GradeCode
from pos.domain.member import Member, Tier
from pos.domain.tender import TenderMethod
from pos.services.ports import StaffMember
from pos_backend import sales as backend_sales_module
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator

from .counter_support import (
    CounterTill,
    activate,
    paired_client,
    step_until_payable,
)

WAIT_MS = 15_000
MANAGER = StaffMember("2001", "张伟", "manager")


@pytest.fixture
def fill(backend: RunningBackend) -> Any:
    return step_until_payable(backend, Simulator(backend.db, seed=11), minimum_fen=20_000)


def open_tender(qtbot: QtBot, till: CounterTill, transaction_id: str) -> Any:
    inbox, counter = till.feature.inbox, till.feature.counter
    qtbot.waitUntil(lambda: inbox.select_key(f"pump:{transaction_id}"), timeout=WAIT_MS)
    activate(qtbot, till.app.window)
    qtbot.keyClick(till.app.window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: counter.tender is not None, timeout=WAIT_MS)
    tender = counter.tender
    activate(qtbot, tender)
    return tender


def member(wallet_fen: int) -> Member:
    return Member("m-9", "886000000909", "陈静", "13812340909", Tier.REGULAR, None, wallet_fen, 0, ())


def coupon(grades: frozenset[GradeCode], threshold_fen: int) -> Coupon:
    now = datetime.now(UTC)
    return Coupon(
        "c-9",
        "会员日满300减30",
        threshold_fen,
        3_000,
        grades,
        now - timedelta(days=1),
        now + timedelta(days=9),
    )


def test_inline_refusals_in_the_tender_screen(qtbot: QtBot, till: CounterTill, fill: Any) -> None:
    tender = open_tender(qtbot, till, fill.id)
    qtbot.keyClicks(tender.given_box, "1")
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Return)
    assert "收款不足" in tender.banner_text and tender.done_sale is None

    other_grade = frozenset({GradeCode.G98})
    tender.set_member(member(100), [coupon(other_grade, 10_000)], coupon(other_grade, 10_000))
    assert "优惠券不可用" in tender.banner_text and tender.sale.coupons == ()

    too_high = coupon(frozenset(), fill.amount_fen + 100)
    tender.set_member(member(100), [too_high], too_high)
    assert "优惠券不可用" in tender.banner_text

    tender.given_box.clear()
    qtbot.keyClick(tender.given_box, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert tender.method is TenderMethod.WALLET
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Return)
    assert "余额" in tender.banner_text or "balance" in tender.banner_text.lower()
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Escape)  # backs out and unlocks
    qtbot.waitUntil(lambda: till.feature.counter.tender is None)
    qtbot.waitUntil(lambda: fill.id not in till.feature.inbox.book.my_locks)


def test_a_fill_held_by_another_till_names_who(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill, fill: Any
) -> None:
    other = paired_client(backend.url, "前台2", backend.issue_activation_code)
    try:
        other.sign_in("1002", "2222")
        other.lock_transaction(fill.id)
        inbox = till.feature.inbox
        qtbot.waitUntil(
            lambda: any(
                i.locked_by_other is not None for i in inbox.model.items if i.key == f"pump:{fill.id}"
            ),
            timeout=WAIT_MS,
        )
        inbox.select_key(f"pump:{fill.id}")
        row = inbox.current_item()
        assert row is not None and inbox.model.status(row) == "锁定: 前台2 李强 / Locked: 前台2 李强"
        inbox.focus_list()
        qtbot.keyClick(inbox.list, Qt.Key.Key_Return)
        assert "前台2" in inbox.message_text and "李强" in inbox.message_text
        assert till.feature.counter.tender is None
    finally:
        other.close()


def test_a_backend_500_during_tender_queues_the_sale_once(
    qtbot: QtBot, till: CounterTill, fill: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = backend_sales_module.record_sale

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("backend hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(backend_sales_module, "record_sale", flaky)
    tender = open_tender(qtbot, till, fill.id)
    qtbot.keyClicks(tender.given_box, str(fill.amount_fen // 100 + 1))
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Return)
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Return)  # an impatient second Enter
    qtbot.waitUntil(lambda: tender.done_sale is not None, timeout=WAIT_MS)
    sync = till.app.outbox_sync
    assert sync is not None
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=WAIT_MS)
    sync.drainer.retry_now()
    qtbot.waitUntil(lambda: sync.outbox.counts().acked == 1, timeout=WAIT_MS)
    counts = sync.outbox.counts()
    assert (counts.acked, counts.unsent, counts.rejected) == (1, 0, 0)
    sales = till.client.get_json("/sales", {"after_seq": 0, "limit": 1000})["sales"]
    assert len([s for s in sales if s["transaction_id"] == fill.id]) == 1


def test_a_manager_refunds_a_completed_sale_with_a_reason(qtbot: QtBot, till: CounterTill, fill: Any) -> None:
    tender = open_tender(qtbot, till, fill.id)
    qtbot.keyClicks(tender.given_box, str(fill.amount_fen // 100 + 1))
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tender.done_sale is not None, timeout=WAIT_MS)
    feature = till.feature
    feature._set_staff(MANAGER)  # the manager signs in at this till (sign-in has its own test)
    assert "refundAction" in till.visible_actions()
    activate(qtbot, till.app.window)
    qtbot.keyClick(till.app.window, Qt.Key.Key_F8)
    dialog = feature.counter.refund_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.sales.count() == 1, timeout=WAIT_MS)
    qtbot.keyClick(dialog.amount_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "原因" in dialog.banner_text, timeout=WAIT_MS)  # no reason: refused inline
    dialog.reason_box.insert("顾客投诉油品")  # typed through the input method (QTest sends ASCII only)
    qtbot.keyClick(dialog.reason_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已退款" in dialog.done_label.text(), timeout=WAIT_MS)
    sync = till.app.outbox_sync
    assert sync is not None
    qtbot.waitUntil(lambda: sync.outbox.counts().acked == 2, timeout=WAIT_MS)
    with till.app.store.read() as conn:
        status, body = conn.exec_driver_sql(
            "SELECT response_status, response_body FROM outbox WHERE path LIKE '%/refund'"
        ).one()
    assert status == 201 and "顾客投诉油品" in body and '"staff_no":"2001"' in body


def test_five_wrong_pins_lock_the_staff_number_on_the_sign_in_screen(qtbot: QtBot, till: CounterTill) -> None:
    feature = till.feature
    activate(qtbot, till.app.window)
    qtbot.keyClick(till.app.window, Qt.Key.Key_F12)
    screen = feature.sign_in
    qtbot.waitUntil(screen.isVisible)
    assert till.app.window.staff is None and "tenderAction" not in till.visible_actions()
    for _attempt in range(5):
        screen.pin_box.setFocus()
        qtbot.keyClicks(screen.pin_box, "0000")
        qtbot.keyClick(screen.pin_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT_MS)
    assert "锁定" in screen.message_text
    for digit in "1111":
        screen.press(digit)
    screen.press("OK")
    qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT_MS)
    assert "锁定" in screen.message_text and screen.isVisible()  # even the right PIN waits out the lockout
    screen.staff_box.setText("1002")
    screen.pin_box.setText("2222")
    screen.submit()
    qtbot.waitUntil(lambda: till.app.window.staff is not None, timeout=WAIT_MS)
    assert till.app.window.staff.staff_no == "1002" and "tenderAction" in till.visible_actions()
