"""Picking seeded write-off codes, and redeeming them over HTTP as a till's outbox would."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from pos_backend.clock import to_wire, utc_now
from pos_backend.models import WriteoffCode
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, new_key, pair_till

WO = "/api/v1/writeoffs"


def issued_codes(backend: RunningBackend, kind: str, count: int = 1) -> list[str]:
    """Seeded codes of ``kind`` still open and valid for a while."""
    with backend.db.read() as session:
        codes = session.scalars(
            select(WriteoffCode.code)
            .where(WriteoffCode.kind == kind, WriteoffCode.state == "issued")
            .where(WriteoffCode.expires_at > utc_now())
            .order_by(WriteoffCode.code)
            .limit(count)
        ).all()
    assert len(codes) == count, f"the seed has fewer than {count} open {kind} codes"
    return list(codes)


def code_in_state(backend: RunningBackend, state: str) -> str:
    with backend.db.read() as session:
        code = session.scalar(select(WriteoffCode.code).where(WriteoffCode.state == state).limit(1))
    assert code is not None, f"the seed has no {state} code"
    return code


def set_code(backend: RunningBackend, code: str, **values: Any) -> None:
    with backend.db.write() as session:
        row = session.get(WriteoffCode, code)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


def redeem_body(staff_no: str, at: datetime | None = None, offline: bool = False) -> dict[str, Any]:
    return {"staff_no": staff_no, "redeemed_at": to_wire(at or utc_now()), "offline": offline}


def redeem(till: TillClient, code: str, staff_no: str, key: str | None = None, **options: Any) -> Any:
    return till.post(f"{WO}/{code}/redeem", redeem_body(staff_no, **options), key=key, staff=False)


def signed_in_till(backend: RunningBackend, name: str, staff_no: str, pin: str) -> TillClient:
    till = pair_till(backend, name)
    till.sign_in(staff_no, pin)
    return till


def error_code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def release(till: TillClient, code: str, key: str | None = None) -> Any:
    headers = till.headers(key or new_key(), staff=True)
    return till.http.delete(f"{till.base}{WO}/{code}/reservation", headers=headers, timeout=10)
