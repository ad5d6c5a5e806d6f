"""Payable transactions at the tills: lock (claim), unlock, clear (settled by a sale), lock expiry.

Each claim is one conditional UPDATE, so two tills racing for the same sale cannot both win, on SQLite
or on PostgreSQL alike; the loser's answer is worked out afterwards from the row as it now stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pos_backend.errors import ApiError, not_found
from pos_backend.forecourt import emit_transaction, release_paid_nozzle
from pos_backend.models import PumpTransaction
from pos_backend.wire import transaction_json

DEFAULT_LOCK_TTL = timedelta(seconds=120)
T = PumpTransaction


def _claimed(
    session: Session,
    txn_id: str,
    station_id: str,
    condition: ColumnElement[bool],
    values: Mapping[str, object],
) -> bool:
    statement = (
        update(T)
        .where(T.id == txn_id, T.station_id == station_id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0)) == 1


def _reload(session: Session, txn_id: str) -> PumpTransaction:
    txn = session.get(T, txn_id, populate_existing=True)
    assert txn is not None
    return txn


def _refusal(session: Session, txn_id: str, station_id: str, till_id: str, now: datetime) -> ApiError:
    """Why a claim did not apply, read from the row as it stands after the failed UPDATE."""
    txn = session.get(T, txn_id, populate_existing=True)
    if txn is None or txn.station_id != station_id:
        return not_found("加油交易 / transaction")
    if txn.state == "cleared":
        return ApiError(409, "transaction_cleared", "该笔加油已结算 / This fill is already settled")
    shown = transaction_json(txn, now)
    if shown["state"] == "locked" and txn.locked_till_id != till_id:
        holder = shown["locked_by"]
        return ApiError(
            409,
            "transaction_locked",
            f"该笔加油已被{holder['till_name']}（{holder['staff_name']}）锁定 / Locked by another till",
            {"locked_by": holder, "lock_expires_at": shown["lock_expires_at"]},
        )
    return ApiError(409, "transaction_not_locked", "本机未锁定该笔加油 / This till does not hold this fill")


def lock(
    session: Session, txn_id: str, station_id: str, till_id: str, staff_id: int, now: datetime, ttl: timedelta
) -> PumpTransaction:
    """Claim a payable fill for this till; the holder re-locking extends; an expired lock is free."""
    free_or_mine = or_(
        T.state == "payable",
        and_(T.state == "locked", or_(T.locked_till_id == till_id, T.lock_expires_at <= now)),
    )
    values = {
        "state": "locked",
        "locked_till_id": till_id,
        "locked_staff_id": staff_id,
        "lock_expires_at": now + ttl,
    }
    if not _claimed(session, txn_id, station_id, free_or_mine, values):
        raise _refusal(session, txn_id, station_id, till_id, now)
    txn = _reload(session, txn_id)
    emit_transaction(session, txn, now)
    return txn


_UNLOCKED: dict[str, object] = {
    "state": "payable",
    "locked_till_id": None,
    "locked_staff_id": None,
    "lock_expires_at": None,
}


def unlock(session: Session, txn_id: str, station_id: str, till_id: str, now: datetime) -> PumpTransaction:
    mine = and_(T.state == "locked", T.locked_till_id == till_id)
    if not _claimed(session, txn_id, station_id, mine, _UNLOCKED):
        raise _refusal(session, txn_id, station_id, till_id, now)
    txn = _reload(session, txn_id)
    emit_transaction(session, txn, now)
    return txn


def clear(
    session: Session, txn_id: str, station_id: str, till_id: str, now: datetime, sale_ref: str | None
) -> PumpTransaction:
    """Settle a fill this till holds by a live lock: only the locker may clear."""
    mine_and_live = and_(T.state == "locked", T.locked_till_id == till_id, T.lock_expires_at > now)
    values = {"state": "cleared", "cleared_at": now, "sale_ref": sale_ref, "lock_expires_at": None}
    if not _claimed(session, txn_id, station_id, mine_and_live, values):
        raise _refusal(session, txn_id, station_id, till_id, now)
    txn = _reload(session, txn_id)
    emit_transaction(session, txn, now)
    release_paid_nozzle(session, station_id, txn.nozzle_number, now)
    return txn


def clear_by_sale(
    session: Session, txn_id: str, station_id: str, till_id: str, now: datetime, sale_ref: str
) -> PumpTransaction:
    """Settle a fill with a sale from the outbox, possibly recorded long ago while offline.

    Payable, or locked by this till even if that lock has run out since (the sale happened while it
    was held), or held by another till whose lock has expired: settled. Live lock of another till:
    ``transaction_locked``; already settled: ``transaction_cleared``.
    """
    claimable = or_(
        T.state == "payable",
        and_(T.state == "locked", or_(T.locked_till_id == till_id, T.lock_expires_at <= now)),
    )
    values = {"state": "cleared", "cleared_at": now, "sale_ref": sale_ref, "lock_expires_at": None}
    if not _claimed(session, txn_id, station_id, claimable, values):
        raise _refusal(session, txn_id, station_id, till_id, now)
    txn = _reload(session, txn_id)
    emit_transaction(session, txn, now)
    release_paid_nozzle(session, station_id, txn.nozzle_number, now)
    return txn


def expire_locks(session: Session, now: datetime) -> int:
    """Release locks whose time ran out and publish it, so every till sees the fill free again."""
    expired_ids = session.scalars(select(T.id).where(T.state == "locked", T.lock_expires_at <= now)).all()
    released = 0
    for txn_id in expired_ids:
        txn = session.get(T, txn_id)
        still_expired = and_(T.state == "locked", T.lock_expires_at <= now)
        if txn is not None and _claimed(session, txn_id, txn.station_id, still_expired, _UNLOCKED):
            emit_transaction(session, _reload(session, txn_id), now)
            released += 1
    return released
