"""A simulated second till, "前台2 (simulated)": it settles fills nobody else took, so stacks drain."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_backend import transactions
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.errors import ApiError
from pos_backend.forecourt import OPEN_STATES
from pos_backend.models import PumpTransaction, Staff, Till

TILL_ID = "simulated-till-2"
TILL_NAME = "前台2 (simulated)"
STAFF_NO = "1002"  # 李强, on the other counter
LOCK_TTL = timedelta(seconds=120)


class SimulatedTill:
    def __init__(self, db: Database, station_id: str, rng: random.Random, delay_scale: float = 1.0) -> None:
        self._station_id = station_id
        self._rng = rng
        self._delay_scale = delay_scale
        self._take_at: dict[str, float] = {}  # transaction -> simulated time the cashier locks it
        self._clear_at: dict[str, float] = {}  # transaction -> simulated time the sale completes
        self._staff_id = self._ensure_till(db)

    def _ensure_till(self, db: Database) -> int:
        with db.write() as session:
            if session.get(Till, TILL_ID) is None:
                session.add(
                    Till(id=TILL_ID, station_id=self._station_id, name=TILL_NAME, paired_at=utc_now())
                )
            staff_id = session.scalar(select(Staff.id).where(Staff.staff_no == STAFF_NO))
        if staff_id is None:
            raise RuntimeError(f"staff {STAFF_NO} missing: seed the database first")
        return staff_id

    def tick(self, session: Session, sim_time: float, now: datetime) -> None:
        open_txns = session.scalars(
            select(PumpTransaction)
            .where(PumpTransaction.station_id == self._station_id, PumpTransaction.state.in_(OPEN_STATES))
            .order_by(PumpTransaction.ended_at, PumpTransaction.id)
        ).all()
        open_ids = {txn.id for txn in open_txns}
        for gone in set(self._take_at) - open_ids:
            del self._take_at[gone]
        for gone in set(self._clear_at) - open_ids:
            del self._clear_at[gone]
        for txn in open_txns:
            self._handle(session, txn, sim_time, now)

    def _handle(self, session: Session, txn: PumpTransaction, sim_time: float, now: datetime) -> None:
        if txn.id in self._clear_at:
            if sim_time >= self._clear_at[txn.id]:
                self._try(
                    lambda: transactions.clear(session, txn.id, self._station_id, TILL_ID, now, "SIM-2"),
                    session,
                )
                del self._clear_at[txn.id]
            return
        due = self._take_at.setdefault(txn.id, sim_time + self._rng.uniform(60.0, 120.0) * self._delay_scale)
        if sim_time >= due and self._try(
            lambda: transactions.lock(
                session, txn.id, self._station_id, TILL_ID, self._staff_id, now, LOCK_TTL
            ),
            session,
        ):
            self._clear_at[txn.id] = sim_time + self._rng.uniform(5.0, 15.0) * self._delay_scale

    def _try(self, change: object, session: Session) -> bool:
        """Attempt a lock or clear; another till holding the fill is normal, so it is not an error."""
        assert callable(change)
        try:
            with session.begin_nested():
                change()
        except ApiError:
            return False
        return True
