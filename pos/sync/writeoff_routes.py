"""The write-off routes of the backend (docs/api-v1.md, "Write-off codes") as ``WriteOffRoutes``.

Lookup, reserve and release are direct calls; the redemption goes through the outbox (its path is
``pos.services.writeoff.redeem_path``). Bodies are checked here: a malformed answer is ``bad_response``;
a 409 refusal becomes ``CodeRefused`` carrying the first redemption (who, when, where) when there was one.
"""

from __future__ import annotations

from typing import Any, Protocol

from pos.domain.codes import WriteOffKind
from pos.domain.errors import PosError
from pos.domain.wire import WireObject
from pos.services.ports_writeoff import CodeInfo, CodeRefused, CouponConditions, PickupItem, RedeemedBy
from pos.sync import wire

WRITEOFFS = "/writeoffs"


class JsonClient(Protocol):
    """The slice of ``BackendClient`` used here (a twin of its own, with the staff session)."""

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any: ...

    def _write(
        self, method: str, path: str, payload: dict[str, Any] | None, expect_body: bool = True
    ) -> Any: ...


def parse_redeemed(raw: Any) -> RedeemedBy | None:
    if not isinstance(raw, dict):
        return None
    obj = WireObject(raw, "redeemed")
    return RedeemedBy(
        at=obj.opt_time("at"),
        till_name=obj.opt_text("till_name") or "?",
        station_name=obj.opt_text("station_name") or "",
        staff_no=obj.opt_text("staff_no") or "",
        staff_name=obj.opt_text("staff_name") or "?",
        offline=bool(raw.get("offline", False)),
    )


def _conditions(raw: Any) -> CouponConditions | None:
    if raw is None:
        return None
    obj = WireObject(raw, "conditions")
    grades = raw.get("grades")
    return CouponConditions(
        threshold_fen=obj.integer("threshold_fen"),
        reduction_fen=obj.integer("reduction_fen"),
        grades=tuple(str(g) for g in grades) if isinstance(grades, list) else (),
        valid_from=obj.opt_time("valid_from"),
        valid_until=obj.opt_time("valid_until"),
    )


def _items(raw: Any) -> tuple[PickupItem, ...]:
    if not isinstance(raw, list):
        return ()
    items = []
    for index, item in enumerate(raw):
        obj = WireObject(item, f"items[{index}]")
        items.append(PickupItem(obj.text("name"), obj.integer("quantity"), obj.text("unit")))
    return tuple(items)


def _parse_code(raw: dict[str, Any]) -> CodeInfo:
    obj = WireObject(raw, "writeoff")
    member = obj.opt_object("member")
    reserved = obj.opt_object("reserved_by")
    return CodeInfo(
        code=obj.text("code"),
        kind=obj.choice("kind", WriteOffKind),
        state=obj.text("state"),
        title=obj.text("title"),
        description=obj.text("description"),
        value_fen=obj.integer("value_fen"),
        valid_until=obj.opt_time("valid_until"),
        conditions=_conditions(raw.get("conditions")),
        items=_items(raw.get("items")),
        order_no=obj.opt_text("order_no"),
        member_name=member.text("name") if member else None,
        member_phone_masked=member.text("phone_masked") if member else None,
        reserved_until=reserved.opt_time("until") if reserved else None,
        redeemed=parse_redeemed(raw.get("redeemed")),
    )


def parse_code(body: Any) -> CodeInfo:
    return wire.from_wire(_parse_code, body, "writeoff")


def refined(error: PosError) -> PosError:
    """A 409 about a code as ``CodeRefused``, the first redemption parsed from ``detail.redeemed``."""
    if error.detail.get("status") != 409:
        return error
    try:
        redeemed = parse_redeemed(error.detail.get("redeemed"))
    except PosError:
        redeemed = None
    return CodeRefused(error.code, error.title, error.message, redeemed)


class WriteOffRoutesClient:
    """``WriteOffRoutes`` over the backend client (give it a twin carrying the staff session)."""

    def __init__(self, client: JsonClient) -> None:
        self._client = client

    def look_up(self, code: str) -> CodeInfo:
        return parse_code(self._call(lambda: self._client.get_json(f"{WRITEOFFS}/{code}")))

    def reserve(self, code: str) -> CodeInfo:
        return parse_code(self._call(lambda: self._client._write("POST", f"{WRITEOFFS}/{code}/reserve", {})))

    def release(self, code: str) -> None:
        self._call(lambda: self._client._write("DELETE", f"{WRITEOFFS}/{code}/reservation", None))

    @staticmethod
    def _call(request: Any) -> Any:
        try:
            return request()
        except PosError as error:
            raise refined(error) from None
