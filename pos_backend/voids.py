"""Voids: a manager abandons a sale before completion, with a reason.

A sale not yet completed holds its pump transaction by a lock; voiding it releases that lock (any till's,
e.g. a till that died mid-tender) so the fill is payable again, and records who, why and whose sale it
was for the audit log and the shift report. The fuel was dispensed, so the fill itself stays owed.
A fill not locked has no sale to void: ``409 transaction_not_locked``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_backend.errors import ApiError, not_found
from pos_backend.forecourt import emit_transaction
from pos_backend.models import PumpTransaction, Staff
from pos_backend.models_counter import TransactionVoid

log = logging.getLogger(__name__)
T = PumpTransaction


def void_locked(
    session: Session, txn_id: str, station_id: str, manager: Staff, reason: str, now: datetime
) -> tuple[PumpTransaction, TransactionVoid]:
    txn = session.get(T, txn_id)
    if txn is None or txn.station_id != station_id:
        raise not_found("加油交易 / transaction")
    till_id, staff_id = txn.locked_till_id, txn.locked_staff_id
    released = session.execute(
        update(T)
        .where(T.id == txn_id, T.state == "locked", T.locked_till_id == till_id)
        .values(state="payable", locked_till_id=None, locked_staff_id=None, lock_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(released, "rowcount", 0)) != 1:
        if txn.state == "cleared":
            raise ApiError(409, "transaction_cleared", "该笔加油已结算 / This fill is already settled")
        raise ApiError(409, "transaction_not_locked", "该笔加油未被锁定，无可作废的销售 / Nothing to void")
    cashier = None if staff_id is None else session.scalar(select(Staff.staff_no).where(Staff.id == staff_id))
    entry = TransactionVoid(
        station_id=station_id,
        transaction_id=txn_id,
        amount_fen=txn.amount_fen,
        locked_till_id=till_id,
        cashier_no=cashier,
        manager_no=manager.staff_no,
        manager_name=manager.name,
        reason=reason,
        at=now,
    )
    session.add(entry)
    txn = session.get(T, txn_id, populate_existing=True)
    assert txn is not None
    emit_transaction(session, txn, now)
    log.info("transaction %s voided by %s", txn_id, manager.staff_no)
    return txn, entry


def voids_between(session: Session, station_id: str, start: datetime, end: datetime) -> list[TransactionVoid]:
    """Voids approved in ``(start, end]``, oldest first."""
    return list(
        session.scalars(
            select(TransactionVoid)
            .where(
                TransactionVoid.station_id == station_id,
                TransactionVoid.at > start,
                TransactionVoid.at <= end,
            )
            .order_by(TransactionVoid.at, TransactionVoid.id)
        )
    )
