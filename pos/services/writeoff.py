"""The write-off flow (核销): code → lookup → reserve → staff confirms → redeemed, with a slip printed.

Lookup and reserve are direct calls: staff must see now what the code is and that this till holds it.
The redemption itself is recorded through the outbox, in one local transaction with the till's own
write-off record, so it reaches the backend exactly once even if the link drops right after the confirm;
the slip is queued for printing once that transaction has committed.

Offline (the backend unreachable), the station policy decides: off, or accept codes worth up to a limit
in fen. The till cannot ask what an unknown code is worth, so staff read the value (and the kind, when a
bare code does not say) off the customer's phone. Such redemptions go out with ``offline: true``; if the
backend later refuses one (409: redeemed elsewhere meanwhile), its outbox record is rejected and the
local record shows as flagged for a manager.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from pos.domain.codes import MemberPayload, Unrecognised, WriteOffKind, WriteOffPayload, parse_scan
from pos.domain.errors import InvalidValue, PosError
from pos.domain.money import format_fen
from pos.domain.receipt import ItemLine, ReceiptHeader, WriteOffSlip
from pos.domain.roles import Permission, require
from pos.domain.wire import format_rfc3339
from pos.services.ports import StaffMember
from pos.services.ports_writeoff import (
    CodeInfo,
    CodeRefused,
    LocalWriteOff,
    NewWriteOff,
    RedeemedBy,
    SlipPrinter,
    WriteOffJournal,
    WriteOffRoutes,
)

log = logging.getLogger(__name__)

# Failures that mean "the backend cannot answer now", not "the backend said no".
OFFLINE_CODES = frozenset({"backend_unreachable", "backend_timeout", "backend_error"})
KIND_LABELS = {WriteOffKind.COUPON: "优惠券", WriteOffKind.PICKUP: "自提", WriteOffKind.SERVICE: "服务"}
OFFLINE_FOOTER = "离线核销，待后台确认 / Offline write-off, to be confirmed"
HeaderSource = Callable[[StaffMember, datetime], ReceiptHeader]


def redeem_path(code: str) -> str:
    return f"/api/v1/writeoffs/{code}/redeem"


def redeemed_line(redeemed: RedeemedBy, zone: tzinfo | None) -> str:
    """ "已于 11-21 14:02 在 前台2 (李强) 核销": when in the station's zone, where, who."""
    when = "?" if redeemed.at is None else f"{redeemed.at.astimezone(zone):%m-%d %H:%M}"
    return f"已于 {when} 在 {redeemed.till_name} ({redeemed.staff_name}) 核销"


@dataclass(frozen=True, slots=True)
class OfflinePolicy:
    """Station policy for redeeming while the backend is unreachable: 0 = off, else a limit in fen."""

    limit_fen: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.limit_fen, bool) or not isinstance(self.limit_fen, int) or self.limit_fen < 0:
            raise InvalidValue(f"the offline write-off limit is whole fen >= 0, got {self.limit_fen!r}")

    @property
    def allowed(self) -> bool:
        return self.limit_fen > 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A code staff are about to confirm. ``info`` is None when the backend could not say what it is."""

    code: str
    info: CodeInfo | None
    offline: bool = False
    kind_hint: WriteOffKind | None = None  # from an SP1 QR or a URL
    offline_limit_fen: int = 0

    @property
    def reserved(self) -> bool:
        return not self.offline and self.info is not None


@dataclass(frozen=True, slots=True)
class Redeemed:
    local: LocalWriteOff
    slip: WriteOffSlip
    print_error: PosError | None = None


@dataclass(frozen=True, slots=True)
class KindTotal:
    count: int = 0
    value_fen: int = 0


@dataclass(frozen=True, slots=True)
class DaySummary:
    records: Sequence[LocalWriteOff]
    totals: dict[WriteOffKind, KindTotal] = field(default_factory=dict)
    flagged: int = 0


def _refused(code: str, title: str, message: str, redeemed: RedeemedBy | None = None) -> CodeRefused:
    return CodeRefused(code, title, message, redeemed)


def refusal_for_state(info: CodeInfo) -> CodeRefused | None:
    """A looked-up code that cannot be redeemed: why, naming the first redemption when there was one."""
    if info.state == "redeemed":
        return _refused(
            "code_already_redeemed",
            "核销码已使用 / Already redeemed",
            f"核销码 {info.code} 已被核销 / Code {info.code} was already redeemed.",
            info.redeemed,
        )
    if info.state == "expired":
        return _refused("code_expired", "核销码已过期 / Expired", f"核销码 {info.code} 已过期 / expired.")
    if info.state == "void":
        return _refused("code_void", "核销码已作废 / Void", f"核销码 {info.code} 已作废 / void.")
    return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WriteOffDesk:
    """The use cases of the write-off screen; every method may block (run them off the GUI thread)."""

    def __init__(
        self,
        routes: WriteOffRoutes,
        journal: WriteOffJournal,
        printer: SlipPrinter | None,
        header: HeaderSource,
        policy: OfflinePolicy | None = None,
        clock: Callable[[], datetime] = _utc_now,
        till_name: str = "本机",
    ) -> None:
        self._routes = routes
        self._till_name = till_name
        self._journal = journal
        self._printer = printer
        self._header = header
        self.policy = policy or OfflinePolicy()
        self._clock = clock

    # -- reading a code --------------------------------------------------------------------------------

    @staticmethod
    def read(text: str) -> WriteOffPayload:
        """A write-off payload from typed or scanned text, or a PosError saying what it is instead."""
        payload = parse_scan(text)
        if isinstance(payload, WriteOffPayload):
            return payload
        if isinstance(payload, MemberPayload):
            raise PosError(
                "member_code", "这是会员码 / A member code", "请在会员查询中使用 / Use member lookup."
            )
        assert isinstance(payload, Unrecognised)
        raise PosError("not_redeemable", "无法核销 / Cannot redeem", payload.reason)

    def open(self, text: str, staff: StaffMember) -> Candidate:
        """Look the code up and hold it for this till; offline, a candidate the policy may accept."""
        require(staff.role, Permission.WRITE_OFF)
        payload = self.read(text)
        self._refuse_if_redeemed_here(payload.code)
        try:
            info = self._routes.look_up(payload.code)
        except PosError as error:
            return self._offline_candidate(payload, None, error)
        refusal = refusal_for_state(info)
        if refusal is not None:
            raise refusal
        try:
            held = self._routes.reserve(payload.code)
        except PosError as error:
            return self._offline_candidate(payload, info, error)
        return Candidate(payload.code, held, kind_hint=payload.kind)

    def _refuse_if_redeemed_here(self, code: str) -> None:
        """This till redeemed it already (perhaps offline, not yet sent): the backend may not know yet."""
        local = self._journal.find_code(code)
        if local is None or local.flagged:
            return
        first = local.record
        raise _refused(
            "code_already_redeemed",
            "核销码已使用 / Already redeemed",
            f"核销码 {code} 已在本机核销 / Code {code} was already redeemed at this till.",
            RedeemedBy(
                first.redeemed_at, self._till_name, "", first.staff_no, first.staff_name, first.offline
            ),
        )

    def _offline_candidate(
        self, payload: WriteOffPayload, info: CodeInfo | None, error: PosError
    ) -> Candidate:
        if error.code not in OFFLINE_CODES:
            raise error
        if not self.policy.allowed:
            raise PosError(
                "writeoff_offline_off",
                "离线不能核销 / Offline write-off is off",
                "后台无法连接，本站不允许离线核销，请稍后再试 / The backend is unreachable and this "
                "station does not redeem offline; try again shortly.",
            )
        log.info("backend unreachable (%s): offline write-off candidate", error.code)
        kind = info.kind if info is not None else payload.kind
        return Candidate(payload.code, info, True, kind, self.policy.limit_fen)

    # -- confirming ------------------------------------------------------------------------------------

    def confirm(
        self,
        candidate: Candidate,
        staff: StaffMember,
        offline_value_fen: int | None = None,
        offline_kind: WriteOffKind | None = None,
    ) -> Redeemed:
        """Record the redemption and its outbox record together, then queue the slip."""
        require(staff.role, Permission.WRITE_OFF)
        now = self._clock()
        kind, title, value = self._what(candidate, offline_value_fen, offline_kind)
        record = NewWriteOff(
            str(uuid.uuid4()),
            candidate.code,
            kind,
            title,
            value,
            now,
            staff.staff_no,
            staff.name,
            candidate.offline,
        )
        held = candidate.info.reserved_until if candidate.info and candidate.reserved else None
        body = {
            "staff_no": staff.staff_no,
            "redeemed_at": format_rfc3339(now),
            "offline": candidate.offline,
            "reservation": format_rfc3339(held) if held else None,
        }
        local = self._journal.record(record, redeem_path(candidate.code), body)
        slip = self._slip(candidate, record, staff)
        return Redeemed(local, slip, self._print(slip))

    def _what(
        self, candidate: Candidate, offline_value_fen: int | None, offline_kind: WriteOffKind | None
    ) -> tuple[WriteOffKind, str, int]:
        info = candidate.info
        if not candidate.offline:
            assert info is not None
            return info.kind, info.title, info.value_fen
        value = info.value_fen if info is not None else offline_value_fen
        kind = info.kind if info is not None else (offline_kind or candidate.kind_hint)
        if value is None or kind is None:
            raise InvalidValue("离线核销需填写面值和类型 / Offline: enter the value and the kind")
        if value > self.policy.limit_fen:
            raise PosError(
                "writeoff_offline_limit",
                "超过离线核销限额 / Above the offline limit",
                f"离线时最多核销 {format_fen(self.policy.limit_fen)} / Offline, at most "
                f"{format_fen(self.policy.limit_fen)} per code.",
            )
        title = info.title if info is not None else f"离线核销 {KIND_LABELS[kind]} / offline {kind.value}"
        return kind, title, value

    def _slip(self, candidate: Candidate, record: NewWriteOff, staff: StaffMember) -> WriteOffSlip:
        info = candidate.info
        items = [ItemLine(f"{i.name} × {i.quantity}{i.unit}", 0) for i in (info.items if info else ())]
        return WriteOffSlip(
            header=self._header(staff, record.redeemed_at),
            kind=record.kind,
            code=record.code,
            title=record.title[:60],
            redeemed_at=record.redeemed_at,
            items=items,
            value_fen=record.value_fen,
            order_no=info.order_no if info else None,
            footer=(OFFLINE_FOOTER,) if record.offline else (),
        )

    def _print(self, slip: WriteOffSlip) -> PosError | None:
        if self._printer is None:
            return PosError("no_printer", "未配置打印机 / No printer", "核销已记录 / Recorded, no slip.")
        try:
            self._printer.print_document(slip)
        except PosError as error:  # recorded all the same; the queue says why it cannot print
            log.warning("write-off slip not queued: %s", error.code)
            return error
        return None

    def cancel(self, candidate: Candidate) -> None:
        """Staff backed out: give the reservation back (it lapses by itself if this fails)."""
        if not candidate.reserved:
            return
        try:
            self._routes.release(candidate.code)
        except PosError as error:
            log.info("releasing a write-off reservation failed (%s); it will lapse", error.code)

    # -- today's list ----------------------------------------------------------------------------------

    def today(self, zone: tzinfo | None) -> DaySummary:
        """This till's write-offs of the station's current day, totals per kind (flagged ones apart)."""
        local_now = self._clock().astimezone(zone)
        start = datetime.combine(local_now.date(), time.min, tzinfo=local_now.tzinfo)
        records = self._journal.between(start, start + timedelta(days=1))
        totals = {kind: KindTotal() for kind in WriteOffKind}
        for entry in records:
            if entry.flagged:
                continue
            total = totals[entry.record.kind]
            totals[entry.record.kind] = KindTotal(total.count + 1, total.value_fen + entry.record.value_fen)
        return DaySummary(records, totals, sum(1 for entry in records if entry.flagged))

    def flagged(self) -> Sequence[LocalWriteOff]:
        return self._journal.flagged()
