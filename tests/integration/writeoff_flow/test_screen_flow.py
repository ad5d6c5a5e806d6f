"""The write-off screen end to end: an attendant types a seeded code, sees it, confirms, gets a slip; the
same code on a second till is refused with where and when."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from pos.domain.codes import WriteOffKind
from pos.services.ports_outbox import OutboxState
from pos.services.writeoff import Candidate, DaySummary, OfflinePolicy, Redeemed
from pos.sync.client import BackendClient
from pos.ui.writeoff_screen import QtWriteOffScreen
from tests.integration.writeoff_flow.conftest import RestartableBackend, Till, TillFactory

ATTENDANT = ("3001", "3333")  # 刘洋
CASHIER = ("1002", "2222")  # 李强


def type_code(qtbot: QtBot, screen: QtWriteOffScreen, code: str) -> None:
    screen.open_screen()
    screen.code_edit.clear()
    qtbot.keyClicks(screen.code_edit, code)
    qtbot.keyClick(screen.code_edit, "\r")


def wait_acked(qtbot: QtBot, till: Till, code: str) -> None:
    def acked() -> bool:
        local = till.journal.find_code(code)
        return local is not None and local.outbox_state is OutboxState.ACKED

    qtbot.waitUntil(acked, timeout=10_000)


def test_attendant_redeems_a_pickup_and_a_second_till_is_refused(
    qtbot: QtBot, backend: RestartableBackend, make_till: TillFactory, printer: object
) -> None:
    till = make_till("前台1", ATTENDANT)
    assert till.staff.role == "attendant"
    till.sync.start()
    [code] = backend.open_codes("pickup")
    screen = till.screen

    with qtbot.waitSignal(screen.candidate_shown, timeout=10_000) as shown:
        type_code(qtbot, screen, code)
    candidate: Candidate = shown.args[0]
    assert candidate.reserved and candidate.info is not None
    assert candidate.info.kind is WriteOffKind.PICKUP
    assert "自提 Pickup" in screen.kind_label.text()
    details = screen.detail_label.text()
    for item in candidate.info.items:
        assert f"{item.name} × {item.quantity} {item.unit}" in details
    assert candidate.info.order_no and candidate.info.order_no in details

    with qtbot.waitSignal(screen.redeemed, timeout=10_000) as done:
        qtbot.keyClick(screen.code_edit, "\r")  # Enter confirms the code on screen
    redeemed: Redeemed = done.args[0]
    assert redeemed.print_error is None
    assert "核销成功" in screen.banner.text()

    [receipt] = printer.wait_for(1)  # type: ignore[attr-defined]
    lines = receipt.lines
    assert any(code in line for line in lines)
    assert any("已核销" in line for line in lines)
    assert any("前台1" in line and "刘洋" in line for line in lines)
    assert any(candidate.info.order_no in line for line in lines)

    wait_acked(qtbot, till, code)
    screen.refresh_today()  # an earlier refresh (queued at the confirm) may still be on its way

    def confirmed_row_shown() -> bool:
        item = screen.today.table.item(0, 5)
        return item is not None and "已确认" in item.text()

    qtbot.waitUntil(confirmed_row_shown, timeout=5000)
    summary = screen.today.summary
    assert isinstance(summary, DaySummary)
    assert [r.record.code for r in summary.records] == [code]
    assert summary.totals[WriteOffKind.PICKUP].count == 1
    assert summary.totals[WriteOffKind.PICKUP].value_fen == candidate.info.value_fen
    assert "自提 1 笔" in screen.today.totals.text()

    second = make_till("前台2", CASHIER)
    with qtbot.waitSignal(second.screen.refused, timeout=10_000) as refused:
        type_code(qtbot, second.screen, code)
    assert refused.args[0].code == "code_already_redeemed"
    banner = second.screen.banner.text()
    assert f"核销码 {code} 已于 " in banner and "在 前台1 (刘洋) 核销" in banner
    assert second.screen.candidate is None and not second.screen.confirm_button.isEnabled()
    screen.grab().save("/tmp/writeoff_screen.png")
    second.screen.grab().save("/tmp/writeoff_refused.png")


def test_escape_gives_the_reservation_back_so_another_till_may_take_it(
    qtbot: QtBot, backend: RestartableBackend, make_till: TillFactory
) -> None:
    [code] = backend.open_codes("coupon")
    first, second = make_till("前台1", ATTENDANT), make_till("前台2", CASHIER)
    with qtbot.waitSignal(first.screen.candidate_shown, timeout=10_000):
        type_code(qtbot, first.screen, code)
    assert "满" in first.screen.detail_label.text()  # the coupon's conditions are shown
    with qtbot.waitSignal(second.screen.refused, timeout=10_000) as refused:
        type_code(qtbot, second.screen, code)
    assert refused.args[0].code == "code_reserved"

    qtbot.keyClick(first.screen.code_edit, "\x1b")  # Esc: cancel and release
    assert first.screen.candidate is None
    qtbot.waitUntil(lambda: first.client.get_json(f"/writeoffs/{code}")["state"] == "issued", timeout=5000)
    with qtbot.waitSignal(second.screen.candidate_shown, timeout=10_000):
        type_code(qtbot, second.screen, code)


def test_offline_redemption_under_the_policy_is_queued_then_flagged_on_conflict(
    qtbot: QtBot, backend: RestartableBackend, make_till: TillFactory, printer: object
) -> None:
    [code] = backend.open_codes("service")
    offline = make_till("前台1", ATTENDANT, OfflinePolicy(limit_fen=5000))
    other = make_till("前台2", CASHIER)
    other.sync.start()
    backend.stop()  # the link is down for 前台1 (前台2 serves its customer once it is back)

    with qtbot.waitSignal(offline.screen.candidate_shown, timeout=10_000) as shown:
        type_code(qtbot, offline.screen, code)
    candidate: Candidate = shown.args[0]
    assert candidate.offline and candidate.info is None
    assert "¥50.00" in offline.screen.banner.text()
    assert offline.screen.offline_panel.isVisibleTo(offline.screen)
    qtbot.keyClicks(offline.screen.value_edit, "15")
    [service] = [b for b in offline.screen.kind_buttons.buttons() if b.property("kind") == "service"]
    service.click()
    with qtbot.waitSignal(offline.screen.redeemed, timeout=10_000) as done:
        qtbot.keyClick(offline.screen.code_edit, "\r")
    redeemed: Redeemed = done.args[0]
    assert redeemed.local.record.offline and redeemed.local.record.value_fen == 1500
    assert redeemed.local.outbox_state is OutboxState.PENDING
    [receipt] = printer.wait_for(1)  # type: ignore[attr-defined]
    assert any("离线核销" in line for line in receipt.lines)

    backend.start()
    with qtbot.waitSignal(other.screen.candidate_shown, timeout=10_000):
        type_code(qtbot, other.screen, code)
    with qtbot.waitSignal(other.screen.redeemed, timeout=10_000):
        qtbot.keyClick(other.screen.code_edit, "\r")
    wait_acked(qtbot, other, code)

    assert offline.sync.drainer.drain_until_idle() is None  # the link is back: the queued record goes
    [flagged] = offline.desk.flagged()
    assert flagged.record.code == code and flagged.rejection_code == "code_already_redeemed"
    offline.screen.refresh_today()
    qtbot.waitUntil(lambda: "待店长复核" in (offline.screen.today.table.item(0, 5) or _empty()).text())
    assert "待复核 1 笔" in offline.screen.today.totals.text()
    assert "服务 0 笔" in offline.screen.today.totals.text()  # a refused redemption is not counted

    manager = BackendClient(backend.url, read_retries=0)
    assert backend.running is not None
    manager.pair(backend.running.issue_activation_code(), "后台")
    manager.sign_in("2001", "8888")
    conflicts = manager.get_json("/writeoffs/conflicts")["conflicts"]
    assert [(c["code"], c["staff_no"]) for c in conflicts] == [(code, "3001")]
    manager.close()


def _empty() -> QTableWidgetItem:
    return QTableWidgetItem("")
