"""Members for the tills: search (phone, phone suffix, card) and the change feed that keeps caches current."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from pos_backend import members
from pos_backend.api.deps import Ctx, CurrentTill
from pos_backend.api.tills import ERRORS
from pos_backend.errors import ApiError
from pos_backend.schemas_sales import MemberChangesOut, MembersOut

router = APIRouter(prefix="/members")


@router.get("/search", response_model=MembersOut, responses=ERRORS)
def search(
    ctx: Ctx,
    till: CurrentTill,
    phone: Annotated[str | None, Query(pattern=r"^[0-9]{11}$")] = None,
    phone_suffix: Annotated[str | None, Query(pattern=r"^[0-9]{4,10}$")] = None,
    card_no: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
) -> dict[str, Any]:
    """Exactly one of ``phone``, ``phone_suffix`` (4 to 10 last digits) or ``card_no``; at most 20."""
    given = [
        name
        for name, value in (("phone", phone), ("phone_suffix", phone_suffix), ("card_no", card_no))
        if value is not None
    ]
    if len(given) != 1:
        raise ApiError(
            422,
            "validation_failed",
            "请只提供手机号、尾号或卡号中的一项 / Give exactly one of phone, phone_suffix, card_no",
            {"errors": [{"loc": ["query"], "msg": f"got {given or 'none'}", "type": "one_of"}]},
        )
    query = members.MemberQuery(phone=phone, phone_suffix=phone_suffix, card_no=card_no)
    with ctx.db.read() as session:
        return {"members": members.search(session, query)}


@router.get("/changes", response_model=MemberChangesOut, responses=ERRORS)
def changes(
    ctx: Ctx,
    till: CurrentTill,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> dict[str, Any]:
    """Members changed after version ``after``, by version; ``more`` says another page is waiting."""
    with ctx.db.read() as session:
        page = members.changes(session, after, limit)
    return {"members": page.members, "last_version": page.last_version, "more": page.more}
