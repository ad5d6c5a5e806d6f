"""The member lookup dialog: online and offline answers, disambiguation, masking, and F3 in the app."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.app import StationApp, build_station_app
from pos.domain.errors import PosError
from pos.services.members import MemberLookup
from pos.services.ports import MemberQuery, MemberRecord, StaffMember
from pos.settings import Settings
from pos.sync.client import BackendClient
from pos.sync.members import MemberCache, MemberChanges
from pos.sync.store import LocalStore
from pos.ui.member_lookup import RECORD_ROLE, QtMemberLookupDialog
from tests.unit.sync.member_factories import coupon_wire, record

WANG = record("1", "13812345678", 5, coupons=(coupon_wire("c1"), coupon_wire("c2", state="used")))
LI = record("2", "13900005678", 6, name="李雷")
SYNCED = datetime.now(UTC).replace(second=0, microsecond=0)


class Backend:
    def __init__(self, error: str | None = None) -> None:
        self.error = error

    def search_members(self, query: MemberQuery) -> Sequence[MemberRecord]:
        if self.error:
            raise PosError(self.error, "t", "m")
        return [r for r in (WANG, LI) if r.member.phone.endswith(query.value)]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[MemberCache]:
    store = LocalStore(tmp_path / "cache.sqlite3")
    filled = MemberCache(store, clock=lambda: SYNCED)
    filled.apply_changes(MemberChanges([WANG, LI], 6, False))
    yield filled
    store.close()


def open_dialog(qtbot: QtBot, lookup: MemberLookup) -> QtMemberLookupDialog:
    dialog = QtMemberLookupDialog(lookup, UTC)
    qtbot.addWidget(dialog)
    dialog.open_for_search()
    return dialog


def search(qtbot: QtBot, dialog: QtMemberLookupDialog, text: str) -> None:
    dialog.search_box.clear()
    qtbot.keyClicks(dialog.search_box, text)
    with qtbot.waitSignal(dialog.result_shown, timeout=5000):
        qtbot.keyClick(dialog.search_box, Qt.Key.Key_Return)


def shown_texts(dialog: QtMemberLookupDialog) -> list[str]:
    return [dialog.results.item(i).text() for i in range(dialog.results.count())]


def test_online_answer_shows_the_member_with_a_masked_phone(qtbot: QtBot, cache: MemberCache) -> None:
    dialog = open_dialog(qtbot, MemberLookup(Backend(), cache))
    search(qtbot, dialog, "13812345678")
    (text,) = shown_texts(dialog)
    assert "王芳" in text and "138****5678" in text and "黄金" in text
    assert "¥275.00" in text and "6070" in text and "粤B·12345" in text
    assert "优惠券 1 张" in text  # the used coupon is not offered
    assert "13812345678" not in text
    assert dialog.source_label.text() == "在线数据 Online"
    dialog.shutdown()


def test_offline_answer_says_so_with_the_cache_time_and_asks_to_pick(
    qtbot: QtBot, cache: MemberCache
) -> None:
    dialog = open_dialog(qtbot, MemberLookup(Backend("backend_unreachable"), cache))
    search(qtbot, dialog, "5678")
    assert dialog.source_label.text() == f"离线数据 data from {SYNCED:%H:%M}"
    assert dialog.source_label.property("offline") == "true"
    assert len(shown_texts(dialog)) == 2
    assert "2" in dialog.message_label.text()  # "找到 2 位会员，请核对后选择"
    with qtbot.waitSignal(dialog.member_chosen) as chosen:
        dialog.results.itemActivated.emit(dialog.results.item(1))
    assert chosen.args == [dialog.results.item(1).data(RECORD_ROLE)]
    dialog.shutdown()


def test_bad_input_and_no_match_are_said_plainly(qtbot: QtBot, cache: MemberCache) -> None:
    dialog = open_dialog(qtbot, MemberLookup(Backend(), cache))
    search(qtbot, dialog, "0000")
    assert shown_texts(dialog) == [] and "未找到" in dialog.message_label.text()
    dialog.search_box.setText("王")
    dialog.search()
    qtbot.waitUntil(lambda: dialog.search_button.isEnabled())
    assert "手机号" in dialog.message_label.text()
    dialog.shutdown()


@pytest.fixture
def offline_app(tmp_path: Path, qtbot: QtBot) -> Iterator[StationApp]:
    """The whole till against a backend that is not there (port 9 on loopback refuses)."""
    settings = Settings(data_dir=tmp_path, poll_wait_seconds=1)
    client = BackendClient("http://127.0.0.1:9", device_token="not-a-real-token", read_retries=0)
    app = build_station_app(settings, client, StaffMember("1001", "王芳", "cashier"))
    qtbot.addWidget(app.window)
    yield app
    app.stop()


def test_f3_opens_the_lookup_which_answers_from_the_cache_when_offline(
    qtbot: QtBot, offline_app: StationApp
) -> None:
    MemberCache(offline_app.store, clock=lambda: SYNCED).apply_changes(MemberChanges([WANG, LI], 6, False))
    offline_app.start()
    with qtbot.waitActive(offline_app.window):
        offline_app.window.activateWindow()
    qtbot.keyClick(offline_app.window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: offline_app._lookup_dialog is not None and offline_app._lookup_dialog.isVisible())
    dialog = offline_app._lookup_dialog
    assert dialog is not None
    search(qtbot, dialog, "13900005678")
    assert [t.split()[0] for t in shown_texts(dialog)] == ["李雷"]
    assert dialog.source_label.text().startswith("离线数据 data from")
