"""会员查询 / Member lookup dialog (F3): search by phone, last four digits or card number.

The search runs on one background worker so a slow or unreachable backend never freezes the till; the
answer comes back to the GUI thread the same way the event bridge does it (a queue and an argument-less
queued signal). Results show the masked phone only. An answer from the member cache says so, with the
time the cache last heard from the backend: "离线数据 data from 14:02".
"""

from __future__ import annotations

import logging
import queue
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.coupon import CouponState
from pos.domain.errors import PosError
from pos.domain.member import plate_to_wire
from pos.domain.money import format_fen
from pos.services.members import MemberLookup, MemberLookupResult
from pos.services.ports import MemberRecord

log = logging.getLogger(__name__)

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
STYLE_SHEET = """
QLabel#sourceLabel[offline="true"] { color: #B35C00; font-weight: bold; }
QLabel#sourceLabel[offline="false"] { color: #1E9448; }
QLabel#messageLabel { color: #1F2933; }
QLabel#messageLabel[error="true"] { color: #C62828; }
QListWidget { font-size: 15px; }
"""


def member_lines(record: MemberRecord) -> str:
    """Two lines for the results list: who, then what they hold."""
    member = record.member
    coupons = [c.title for c in record.coupons if c.state is CouponState.AVAILABLE]
    plates = " ".join(plate_to_wire(p) for p in member.plates) or "—"
    first = f"{member.name}  {member.masked_phone}  {member.tier.label}会员  卡号 {member.card_no}"
    second = (
        f"钱包 {format_fen(member.wallet_fen)} · 积分 {member.points} · "
        f"优惠券 {len(coupons)} 张{'（' + '、'.join(coupons) + '）' if coupons else ''} · 车牌 {plates}"
    )
    return f"{first}\n{second}"


def source_text(result: MemberLookupResult, zone: tzinfo | None) -> str:
    if not result.from_cache:
        return "在线数据 Online"
    if result.as_of is None:
        return "离线数据（从未同步）Offline data, never synced"
    local = result.as_of.astimezone(zone)
    today = datetime.now(UTC).astimezone(zone).date()
    stamp = f"{local:%H:%M}" if local.date() == today else f"{local:%m-%d %H:%M}"
    return f"离线数据 data from {stamp}"


class QtMemberLookupDialog(QDialog):
    """Search box, results list, and where the answer came from.

    Signals:
        result_shown(MemberLookupResult): a search answer was put on screen.
        member_chosen(MemberRecord): the cashier picked a member (double click or Enter on a row).
    """

    result_shown = Signal(object)
    member_chosen = Signal(object)
    _wake = Signal()

    def __init__(
        self, lookup: MemberLookup, zone: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._lookup = lookup
        self._zone = zone
        self._answers: queue.SimpleQueue[MemberLookupResult | PosError] = queue.SimpleQueue()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="member-lookup")
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.setWindowTitle(self.tr("会员查询 Member lookup"))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(720, 480)
        self._build()

    def _build(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("手机号 / 手机后四位 / 会员卡号"))
        self.search_box.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("查询 Search"))
        self.search_button.clicked.connect(self.search)
        row = QHBoxLayout()
        row.addWidget(self.search_box, 1)
        row.addWidget(self.search_button)
        self.source_label = QLabel()
        self.source_label.setObjectName("sourceLabel")
        self.message_label = QLabel()
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.results = QListWidget()
        self.results.itemActivated.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.source_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.results, 1)

    # -- searching -------------------------------------------------------------------------------------

    @Slot()
    def search(self) -> None:
        text = self.search_box.text()
        self.search_button.setEnabled(False)
        self._say(self.tr("正在查询… Searching"))
        self._worker.submit(self._run, text)

    def _run(self, text: str) -> None:
        """On the worker thread: never touches a widget."""
        try:
            answer: MemberLookupResult | PosError = self._lookup.lookup(text)
        except PosError as error:
            answer = error
        except Exception as exc:  # a bug must not leave the dialog waiting forever
            log.exception("member lookup failed")
            answer = PosError("internal_error", "查询失败 / Lookup failed", str(type(exc).__name__))
        self._answers.put(answer)
        try:
            self._wake.emit()
        except RuntimeError:  # the dialog was destroyed while we searched (the app is closing)
            log.debug("member lookup answered after its dialog closed")

    @Slot()
    def _deliver(self) -> None:
        while True:
            try:
                answer = self._answers.get_nowait()
            except queue.Empty:
                return
            self.search_button.setEnabled(True)
            if isinstance(answer, PosError):
                self._say(answer.message, error=True)
            else:
                self.show_result(answer)

    def _say(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("error", "true" if error else "false")
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)

    def show_result(self, result: MemberLookupResult) -> None:
        self.results.clear()
        for record in result.records:
            item = QListWidgetItem(member_lines(record))
            item.setData(RECORD_ROLE, record)
            self.results.addItem(item)
        self.source_label.setText(source_text(result, self._zone))
        self.source_label.setProperty("offline", "true" if result.from_cache else "false")
        self.source_label.style().unpolish(self.source_label)
        self.source_label.style().polish(self.source_label)
        self._say(self._summary(result))
        if result.records:
            self.results.setCurrentRow(0)
        self.result_shown.emit(result)

    def _summary(self, result: MemberLookupResult) -> str:
        if not result.records:
            return self.tr("未找到会员 No member found")
        if result.needs_choice:
            return self.tr("找到 {0} 位会员，请核对后选择 / {0} members match: pick one").format(
                len(result.records)
            )
        return ""

    @Slot(QListWidgetItem)
    def _choose(self, item: QListWidgetItem) -> None:
        self.member_chosen.emit(item.data(RECORD_ROLE))

    def open_for_search(self) -> None:
        """Show (again) with the search box focused and selected, ready for the next customer."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.search_box.setFocus()
        self.search_box.selectAll()

    def shutdown(self) -> None:
        """Stop the worker without waiting: a search in flight ends by the client's own timeouts."""
        self._worker.shutdown(wait=False, cancel_futures=True)
