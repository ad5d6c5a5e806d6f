"""Strict parsing of the backend's JSON envelopes into service and domain objects.

Everything the backend sends is checked here before anything above the sync layer sees it: a missing
field, a wrong type or an unknown event type becomes ``PosError("bad_response")``, never a KeyError deep in
the UI. The objects themselves (nozzles, transactions, orders, grades) parse with their own ``from_wire``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pos.domain.errors import PosError
from pos.domain.grade import Grade
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.transaction import PumpTransaction
from pos.domain.wire import parse_rfc3339
from pos.services.ports import (
    EventBatch,
    EventPayload,
    Pairing,
    StaffMember,
    StaffSession,
    StationEvent,
    StationInfo,
    StationSnapshot,
)

T = TypeVar("T")

_PAYLOAD_PARSERS: dict[str, Callable[[dict[str, Any]], EventPayload]] = {
    "nozzle.updated": Nozzle.from_wire,
    "transaction.created": PumpTransaction.from_wire,
    "transaction.updated": PumpTransaction.from_wire,
    "order.created": Order.from_wire,
    "order.updated": Order.from_wire,
}


def bad_response(what: str, detail: dict[str, Any] | None = None) -> PosError:
    return PosError(
        "bad_response",
        "后台返回了无法识别的数据 / Unexpected answer from the backend",
        f"{what}. 请稍后重试，如持续出现请联系技术支持 / Try again; call support if it persists.",
        detail,
    )


def field(obj: Any, name: str, kind: type[T], where: str) -> T:
    """``obj[name]`` if ``obj`` is a dict and the value has type ``kind`` (bool is not an int here)."""
    if not isinstance(obj, dict):
        raise bad_response(f"{where} is not an object")
    value = obj.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise bad_response(f"{where}.{name} is missing or not {kind.__name__}", {"field": f"{where}.{name}"})
    return value


def ident(obj: Any, name: str, where: str) -> str:
    """An id the backend may send as a string or an integer; kept as text."""
    if not isinstance(obj, dict):
        raise bad_response(f"{where} is not an object")
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise bad_response(f"{where}.{name} is missing or not an id", {"field": f"{where}.{name}"})
    return str(value)


def timestamp(obj: Any, name: str, where: str) -> datetime:
    text = field(obj, name, str, where)
    try:
        return parse_rfc3339(text)
    except PosError:
        raise bad_response(
            f"{where}.{name} is not an RFC 3339 time with offset", {"field": f"{where}.{name}"}
        ) from None


def from_wire(parse: Callable[[dict[str, Any]], T], obj: Any, where: str) -> T:
    """Run a domain ``from_wire`` and turn whatever it raises on bad input into ``bad_response``."""
    if not isinstance(obj, dict):
        raise bad_response(f"{where} is not an object")
    try:
        return parse(obj)
    except (PosError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad_response(f"{where} is malformed: {exc}", {"field": where}) from exc


def parse_list(parse: Callable[[dict[str, Any]], T], obj: Any, name: str, where: str) -> list[T]:
    items = field(obj, name, list, where)
    if not items:  # most members hold no coupons: skip building the comprehension
        return []
    return [from_wire(parse, item, f"{where}.{name}[{i}]") for i, item in enumerate(items)]


def parse_snapshot(body: Any) -> StationSnapshot:
    station = field(body, "station", dict, "snapshot")
    nozzles: list[Nozzle] = []
    for i, pump in enumerate(field(body, "pumps", list, "snapshot")):
        nozzles.extend(parse_list(Nozzle.from_wire, pump, "nozzles", f"snapshot.pumps[{i}]"))
    return StationSnapshot(
        station=StationInfo(
            id=ident(station, "id", "station"),
            name=field(station, "name", str, "station"),
            timezone=field(station, "timezone", str, "station"),
        ),
        seq=field(body, "seq", int, "snapshot"),
        server_time=timestamp(body, "server_time", "snapshot"),
        grades=parse_list(Grade.from_wire, body, "grades", "snapshot"),
        nozzles=nozzles,
        transactions=parse_list(PumpTransaction.from_wire, body, "transactions", "snapshot"),
        orders=parse_list(Order.from_wire, body, "orders", "snapshot"),
    )


def parse_event(obj: Any, where: str) -> StationEvent:
    kind = field(obj, "type", str, where)
    parser = _PAYLOAD_PARSERS.get(kind)
    return StationEvent(
        seq=field(obj, "seq", int, where),
        type=kind,
        at=timestamp(obj, "at", where),
        # Types the till does not act on are kept in sequence with no payload, never refused.
        payload=None if parser is None else from_wire(parser, obj.get("data"), f"{where}.data"),
    )


def parse_events(body: Any) -> EventBatch:
    items = field(body, "events", list, "events")
    return EventBatch(
        events=[parse_event(item, f"events[{i}]") for i, item in enumerate(items)],
        last_seq=field(body, "last_seq", int, "events"),
    )


def parse_pairing(body: Any) -> Pairing:
    return Pairing(
        till_id=ident(body, "till_id", "pairing"),
        till_name=field(body, "till_name", str, "pairing"),
        station_id=ident(body, "station_id", "pairing"),
        station_name=field(body, "station_name", str, "pairing"),
        device_token=field(body, "device_token", str, "pairing"),
    )


def parse_staff_session(body: Any) -> StaffSession:
    staff = field(body, "staff", dict, "session")
    return StaffSession(
        staff=StaffMember(
            staff_no=field(staff, "staff_no", str, "session.staff"),
            name=field(staff, "name", str, "session.staff"),
            role=field(staff, "role", str, "session.staff"),
        ),
        expires_at=timestamp(body, "expires_at", "session"),
        session_token=field(body, "session_token", str, "session"),
    )
