"""The connectivity label and the unsent-records list in one language at a time: Chinese under zh_CN, English
under en (the bilingual source text only where no catalogue is installed, as in the other tests)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos.services.ports import ConnectionState
from pos.services.ports_outbox import Connectivity, OutboxCounts, OutboxEntry
from pos.ui.outbox_dialog import QtOutboxDialog
from pos.ui.status_bar import QtConnectivityLabel
from tests.ui.languages import speaking

DOWN_AT = datetime(2026, 11, 21, 6, 2, 30, tzinfo=UTC)

EXPECTED = {
    "zh_CN": {
        "connecting": "正在连接",
        "online": "已连接 · 1 条被拒",
        "degraded": "连接不稳定 06:02",
        "offline": "离线 06:02 · 3 条未上传",
        "dialog": ("未上传记录", "0 条未上传 · 0 条被拒", ["时间", "内容", "员工", "状态", "次数", "原因"]),
    },
    "en": {
        "connecting": "Connecting",
        "online": "Online · 1 rejected",
        "degraded": "Degraded since 06:02",
        "offline": "Offline since 06:02 · 3 unsent",
        "dialog": (
            "Unsent records",
            "0 unsent · 0 rejected",
            ["Time", "What", "Staff", "State", "Attempts", "Reason"],
        ),
    },
}


class EmptyOutbox:
    def counts(self) -> OutboxCounts:
        raise AssertionError("the dialog reads the records, not the counts")

    def unsent_and_rejected(self, limit: int = 500) -> Sequence[OutboxEntry]:
        return []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_connectivity_label_speaks_the_chosen_language(
    qtbot: QtBot, qapp: QApplication, language: str
) -> None:
    states = {
        "connecting": Connectivity(ConnectionState.OFFLINE, DOWN_AT, reason="connecting"),
        "online": Connectivity(ConnectionState.ONLINE, DOWN_AT, rejected=1),
        "degraded": Connectivity(ConnectionState.DEGRADED, DOWN_AT, reason="backend_error"),
        "offline": Connectivity(ConnectionState.OFFLINE, DOWN_AT, unsent=3),
    }
    seen, tooltips = {}, {}
    with speaking(qapp, language):
        label = QtConnectivityLabel(zone=lambda: UTC)
        qtbot.addWidget(label)
        for name, connectivity in states.items():
            label.show_connectivity(connectivity)
            seen[name], tooltips[name] = label.plain_text(), label.toolTip()
    assert seen == {name: EXPECTED[language][name] for name in states}
    hint = {"zh_CN": "点击查看未上传记录", "en": "Click for unsent records"}[language]
    assert tooltips["degraded"] == f"backend_error\n{hint}"  # the code of the last failure, then the hint
    assert tooltips["offline"] == hint


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_unsent_records_list_speaks_the_chosen_language(
    qtbot: QtBot, qapp: QApplication, language: str
) -> None:
    with speaking(qapp, language):
        dialog = QtOutboxDialog(EmptyOutbox())
        qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(i).text() for i in range(dialog.table.columnCount())]
    assert (dialog.windowTitle(), dialog.summary.text(), headers) == EXPECTED[language]["dialog"]
