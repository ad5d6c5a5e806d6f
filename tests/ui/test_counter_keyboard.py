"""A cashier settles a cash sale with a member and a coupon from the keyboard only, against the real backend
with the forecourt simulator stepped to produce the payable fill; an attendant cannot reach tender."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.domain.money import format_fen
from pos.services.ports import StaffMember
from pos.sync.client import BackendClient
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator

from .counter_support import (
    CounterTill,
    activate,
    build_till,
    member_with_coupon,
    step_until_payable,
)

WAIT_MS = 15_000


def test_cash_sale_with_member_and_coupon_from_the_keyboard(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill
) -> None:
    window, feature = till.app.window, till.feature
    fill = step_until_payable(backend, Simulator(backend.db, seed=11), minimum_fen=20_000)
    suffix, member_id = member_with_coupon(backend, till.client)
    inbox = feature.inbox
    qtbot.waitUntil(lambda: any(i.key == f"pump:{fill.id}" for i in inbox.model.items), timeout=WAIT_MS)
    activate(qtbot, window)
    started = time.monotonic()
    keys = 0

    def key(widget: Any, k: Qt.Key) -> None:
        nonlocal keys
        keys += 1
        qtbot.keyClick(widget, k)

    def type_text(widget: Any, text: str) -> None:
        nonlocal keys
        keys += len(text)
        qtbot.keyClicks(widget, text)

    key(window, Qt.Key.Key_F1)
    qtbot.waitUntil(inbox.list.hasFocus)
    inbox.select_key(f"pump:{fill.id}")  # the newest row may be another kind; arrow keys would get there
    key(inbox.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: feature.counter.tender is not None, timeout=WAIT_MS)
    tender = feature.counter.tender
    assert tender is not None and tender.sale.due_fen == fill.amount_fen
    activate(qtbot, tender)
    key(tender, Qt.Key.Key_F3)
    lookup = till.app._lookup_dialog
    qtbot.waitUntil(lambda: lookup is not None or till.app._lookup_dialog is not None)
    lookup = till.app._lookup_dialog
    assert lookup is not None
    type_text(lookup.search_box, suffix)
    key(lookup.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lookup.results.count() == 1 and lookup.results.hasFocus(), timeout=WAIT_MS)
    key(lookup.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tender.member is not None)
    assert tender.member is not None and tender.member.id == member_id
    assert tender.coupon is not None and tender.coupon.reduction_fen == 1_500  # best coupon chosen
    due = tender.sale.due_fen
    assert due == fill.amount_fen - 1_500
    given_yuan = due // 10_000 * 100 + 100  # the next hundred yuan note
    type_text(tender.given_box, str(given_yuan))
    assert format_fen(given_yuan * 100 - due) in tender.change_label.text()
    key(tender.given_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tender.done_sale is not None, timeout=WAIT_MS)
    elapsed = time.monotonic() - started
    print(f"\nkeyboard cash sale with member and coupon: {keys} keystrokes, {elapsed:.2f} s")
    key(tender, Qt.Key.Key_Return)  # a second Enter closes the paid screen and records nothing more
    assert tender.done_sale is not None and tender.done_sale.change_fen == given_yuan * 100 - due

    sale = wait_for_backend_sale(qtbot, till.client, fill.id)
    assert sale["member_id"] == member_id and sale["total_fen"] == due
    assert [d["kind"] for d in sale["discounts"]] == ["coupon"]
    assert sale["tenders"] == [{"method": "cash", "amount_fen": given_yuan * 100}]
    assert sale["change_fen"] == given_yuan * 100 - due


def wait_for_backend_sale(qtbot: QtBot, client: BackendClient, transaction_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    def accepted() -> bool:
        sales = client.get_json("/sales", {"after_seq": 0, "limit": 1000})["sales"]
        found[:] = [s for s in sales if s["transaction_id"] == transaction_id]
        return bool(found)

    qtbot.waitUntil(accepted, timeout=WAIT_MS)
    assert len(found) == 1
    return found[0]


def test_an_attendant_cannot_reach_tender(qtbot: QtBot, tmp_path: Path) -> None:
    client = BackendClient("http://127.0.0.1:9", device_token="not-a-real-token", read_retries=0)
    till = build_till(tmp_path, qtbot, client, StaffMember("3001", "刘洋", "attendant"))
    try:
        assert "tenderAction" not in till.visible_actions()
        assert "inboxAction" in till.visible_actions()
        activate(qtbot, till.app.window)
        qtbot.keyClick(till.app.window, Qt.Key.Key_F2)
        qtbot.wait(200)
        assert till.feature.counter.tender is None
        till.feature.counter.open_tender()  # even called directly: the role may not sell
        assert till.feature.counter.tender is None
    finally:
        till.app.stop()
