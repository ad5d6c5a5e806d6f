"""The handover's direct backend calls (``ShiftRoutes``) and PIN checks for the sign-off (``PinVerifier``).

The close is NOT here: it goes through the outbox (``StoreShiftLedger.close_shift``) so it reaches the
backend exactly once, online or not. Reports and history need the signed-in manager's staff session,
which the client passed in carries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from pos.domain.errors import PosError
from pos.domain.meters import MeterSnapshot
from pos.domain.shift_totals import ShiftWindow
from pos.domain.wire import parse_rfc3339
from pos.services.counter_ports import StaffDirectory
from pos.services.handover_figures import ShiftExtras
from pos.services.handover_ports import CutAnswer, ShiftInfo
from pos.services.ports import StaffMember
from pos.services.staff_auth import StaffAuth
from pos.sync.client import BackendClient
from pos.sync.shift_wire import cut_from_wire, extras_from_wire, meters_from_wire, shift_from_wire
from pos.sync.wire import bad_response

log = logging.getLogger(__name__)
_MAX_DAYS = 7  # write-off days asked for one shift: a shift is hours long, a stale one at most a week


class HttpShiftRoutes:
    """Use from one thread at a time: the UI runs it on the handover lane.

    ``client`` is a client, or a function returning the client that carries the signed-in manager's
    session (the counter signs staff in on its own client): each call then runs on a twin of it, so that
    client's requests session is never used from two threads.
    """

    def __init__(self, client: BackendClient | Callable[[], BackendClient]) -> None:
        self._source = client

    @property
    def _client(self) -> BackendClient:
        source = self._source
        return source if isinstance(source, BackendClient) else source().twin()

    def current_shift(self) -> ShiftInfo | None:
        body = self._client.get_json("/shifts/current")
        raw = body.get("shift") if isinstance(body, dict) else None
        return None if raw is None else shift_from_wire(raw)

    def open_shift(self, opening_float_fen: int) -> ShiftInfo:
        body = self._client._write("POST", "/shifts/open", {"opening_float_fen": opening_float_fen})
        return shift_from_wire(body)

    def cut(self) -> CutAnswer:
        return cut_from_wire(self._client._write("POST", "/shifts/current/cut", None))

    def opening_meters(self, shift_id: str) -> MeterSnapshot | None:
        report = self._client.get_json(f"/shifts/{shift_id}/report")
        if not isinstance(report, dict):
            raise bad_response("report is not an object")
        shift = shift_from_wire(report.get("shift"))
        opening, _ = meters_from_wire(report.get("meters"), shift, _report_end(report, shift))
        return opening

    def extras(self, shift_id: str, start: datetime, end: datetime, zone: tzinfo | None) -> ShiftExtras:
        client = self._client
        report = client.get_json(f"/shifts/{shift_id}/report")
        days = [
            client.get_json("/writeoffs", {"date": day.isoformat()}) for day in _local_days(start, end, zone)
        ]
        return extras_from_wire(report, days).in_window(ShiftWindow(start, end))

    def history(self, limit: int) -> Sequence[ShiftInfo]:
        body = self._client.get_json("/shifts", {"limit": max(1, min(200, limit))})
        shifts = body.get("shifts") if isinstance(body, dict) else None
        if not isinstance(shifts, list):
            raise bad_response("shift history is not a list")
        return [shift_from_wire(raw) for raw in shifts]


def _local_days(start: datetime, end: datetime, zone: tzinfo | None) -> list[date]:
    """The station-local days the window touches, one either side spare (the backend's zone may differ
    from the one the till knows), at most ``_MAX_DAYS`` back from the end."""
    last = end.astimezone(zone or UTC).date() + timedelta(days=1)
    first = max(start.astimezone(zone or UTC).date() - timedelta(days=1), last - timedelta(days=_MAX_DAYS))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _report_end(report: dict[str, Any], shift: ShiftInfo) -> Any:
    window = report.get("window")
    end = window.get("end") if isinstance(window, dict) else None
    return parse_rfc3339(end) if isinstance(end, str) else shift.cut_at or shift.opened_at


class StaffPinVerifier:
    """Checks a sign-off PIN through ``pos.services.staff_auth.StaffAuth`` on a twin client (so the
    manager's own session is untouched) and ends that session at once. With ``directory`` (the staff
    verifier cache) a PIN is checked offline against the cached verifier when the backend is unreachable,
    with the same lockout; without it the backend must answer.
    """

    def __init__(self, client: BackendClient, directory: StaffDirectory | None = None) -> None:
        self._client = client
        self._directory = directory

    def verify(self, staff_no: str, pin: str) -> StaffMember:
        twin = self._client.twin(with_staff=False)
        try:
            if self._directory is None:
                staff = twin.sign_in(staff_no, pin).staff
            else:
                staff = StaffAuth(twin, self._directory).sign_in(staff_no, pin).staff
            self._end_session(twin, staff_no)
            return staff
        finally:
            twin.close()

    @staticmethod
    def _end_session(twin: BackendClient, staff_no: str) -> None:
        try:
            twin.sign_out()
        except PosError:  # the check succeeded; a lingering session expires by itself
            log.info("could not end the sign-off session of %s", staff_no)
