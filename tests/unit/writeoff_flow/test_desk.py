"""WriteOffDesk over fake routes, a real local journal (SQLite) and a recording printer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pos.domain.codes import WriteOffKind
from pos.domain.errors import PosError
from pos.domain.receipt import ReceiptDocument, ReceiptHeader, WriteOffSlip
from pos.services.ports import StaffMember
from pos.services.ports_outbox import OutboxState
from pos.services.ports_writeoff import CodeInfo, CodeRefused, RedeemedBy
from pos.services.writeoff import OfflinePolicy, WriteOffDesk, redeemed_line
from pos.sync.outbox import Outbox
from pos.sync.store import LocalStore
from pos.sync.writeoff_journal import StoreWriteOffJournal

NOW = datetime(2025, 11, 21, 6, 2, tzinfo=UTC)  # 14:02 in Shanghai
ATTENDANT = StaffMember("3001", "刘洋", "attendant")
INFO = CodeInfo("123456", WriteOffKind.SERVICE, "issued", "精致洗车券", "免费洗车一次", 3000)


class Routes:
    def __init__(self, info: CodeInfo = INFO, error: str | None = None) -> None:
        self.info, self.error = info, error
        self.calls: list[str] = []

    def look_up(self, code: str) -> CodeInfo:
        self.calls.append(f"look_up {code}")
        if self.error:
            raise PosError(self.error, "t", "m")
        return self.info

    def reserve(self, code: str) -> CodeInfo:
        self.calls.append(f"reserve {code}")
        return self.info

    def release(self, code: str) -> None:
        self.calls.append(f"release {code}")


class Printer:
    def __init__(self) -> None:
        self.documents: list[ReceiptDocument] = []

    def print_document(self, document: ReceiptDocument) -> str:
        self.documents.append(document)
        return "job"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


def desk_for(store: LocalStore, routes: Routes, printer: Printer, limit_fen: int = 0) -> WriteOffDesk:
    def header(staff: StaffMember, at: datetime) -> ReceiptHeader:
        return ReceiptHeader("测试站", "前台1", staff.name, at, UTC)

    journal = StoreWriteOffJournal(store)
    return WriteOffDesk(routes, journal, printer, header, OfflinePolicy(limit_fen), lambda: NOW, "前台1")


def test_online_redemption_is_recorded_queued_and_printed(store: LocalStore) -> None:
    routes, printer = Routes(), Printer()
    desk = desk_for(store, routes, printer)
    candidate = desk.open(" 123456\r\n", ATTENDANT)
    assert routes.calls == ["look_up 123456", "reserve 123456"] and candidate.reserved
    done = desk.confirm(candidate, ATTENDANT)
    assert done.local.outbox_state is OutboxState.PENDING and not done.local.record.offline
    [slip] = printer.documents
    assert isinstance(slip, WriteOffSlip) and slip.code == "123456" and slip.value_fen == 3000
    with store.read() as conn:
        path, body = conn.exec_driver_sql("SELECT path, body FROM outbox").one()
    assert path == "/api/v1/writeoffs/123456/redeem" and '"staff_no":"3001"' in body
    with pytest.raises(CodeRefused) as again:  # this till already did it, whatever the backend says
        desk.open("123456", ATTENDANT)
    assert again.value.redeemed is not None and again.value.redeemed.till_name == "前台1"
    summary = desk.today(UTC)
    assert (
        summary.totals[WriteOffKind.SERVICE].count == 1
        and summary.totals[WriteOffKind.SERVICE].value_fen == 3000
    )


def test_a_redeemed_code_is_refused_naming_who_where_and_when(store: LocalStore) -> None:
    first = RedeemedBy(NOW, "前台2", "测试站", "1002", "李强")
    routes = Routes(
        CodeInfo("123456", WriteOffKind.COUPON, "redeemed", "满200减15", "d", 1500, redeemed=first)
    )
    with pytest.raises(CodeRefused) as refused:
        desk_for(store, routes, Printer()).open("123456", ATTENDANT)
    assert refused.value.code == "code_already_redeemed" and routes.calls == ["look_up 123456"]
    assert redeemed_line(first, ZoneInfo("Asia/Shanghai")) == "已于 11-21 14:02 在 前台2 (李强) 核销"


def test_offline_follows_the_station_policy(store: LocalStore) -> None:
    with pytest.raises(PosError) as off:
        desk_for(store, Routes(error="backend_unreachable"), Printer()).open("123456", ATTENDANT)
    assert off.value.code == "writeoff_offline_off"

    printer = Printer()
    desk = desk_for(store, Routes(error="backend_unreachable"), printer, limit_fen=2000)
    candidate = desk.open("123456", ATTENDANT)
    assert candidate.offline and candidate.info is None
    with pytest.raises(PosError) as above:
        desk.confirm(candidate, ATTENDANT, 2001, WriteOffKind.COUPON)
    assert above.value.code == "writeoff_offline_limit" and printer.documents == []
    done = desk.confirm(candidate, ATTENDANT, 2000, WriteOffKind.COUPON)
    assert done.local.record.offline and '"offline":true' in _body(store)
    [slip] = printer.documents
    assert isinstance(slip, WriteOffSlip) and any("离线" in line for line in slip.footer)


def test_a_refusal_from_the_backend_that_is_not_about_the_link_is_not_offline(store: LocalStore) -> None:
    with pytest.raises(PosError) as unknown:
        desk_for(store, Routes(error="code_unknown"), Printer(), limit_fen=5000).open("123456", ATTENDANT)
    assert unknown.value.code == "code_unknown"
    for text, code in (("12345", "not_redeemable"), ("13812345678", "member_code")):
        with pytest.raises(PosError) as refused:
            desk_for(store, Routes(), Printer()).open(text, ATTENDANT)
        assert refused.value.code == code
    with pytest.raises(PosError) as forbidden:
        desk_for(store, Routes(), Printer()).open("123456", StaffMember("9001", "陈静", "support"))
    assert forbidden.value.code == "role_forbidden"


def test_a_rejected_record_is_flagged_and_left_out_of_the_totals(store: LocalStore) -> None:
    desk = desk_for(store, Routes(error="backend_timeout"), Printer(), limit_fen=5000)
    done = desk.confirm(desk.open("123456", ATTENDANT), ATTENDANT, 1500, WriteOffKind.PICKUP)
    answer = {"error": {"code": "code_already_redeemed", "message": "已核销"}}
    with store.write() as conn:
        Outbox().mark_rejected(conn, done.local.outbox_id, 409, answer, "code_already_redeemed")
    [flagged] = desk.flagged()
    assert flagged.flagged and flagged.rejection_code == "code_already_redeemed"
    summary = desk.today(UTC)
    assert summary.flagged == 1 and summary.totals[WriteOffKind.PICKUP].count == 0
    assert desk.open("123456", ATTENDANT).offline  # a flagged record does not block a new attempt


def _body(store: LocalStore) -> str:
    with store.read() as conn:
        return str(conn.exec_driver_sql("SELECT body FROM outbox ORDER BY id DESC").first()[0])
