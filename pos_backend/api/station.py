"""The paired till's station: snapshot and the long-poll event stream."""

from __future__ import annotations

import asyncio
import contextlib
import time
from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from pos_backend.api.deps import Ctx, CurrentTill
from pos_backend.api.tills import ERRORS
from pos_backend.clock import to_wire, utc_now
from pos_backend.events import EventPage, last_seq, read_events
from pos_backend.forecourt import OPEN_STATES, nozzles_of_station
from pos_backend.models import Grade, Order, PumpTransaction, Station
from pos_backend.orders import OPEN_ORDER_STATES
from pos_backend.schemas import EventPageOut, Snapshot
from pos_backend.wire import grade_json, nozzle_json, order_json, transaction_json

router = APIRouter(prefix="/station")
MAX_WAIT_SECONDS = 30


def build_snapshot(session: Session, station_id: str) -> dict[str, Any]:
    # seq is read first: the state below is at least that new, and events carry whole objects,
    # so a till replaying events after seq converges even if a commit lands in between.
    seq = last_seq(session)
    now = utc_now()
    station = session.get(Station, station_id)
    assert station is not None
    grades = session.scalars(select(Grade).where(Grade.station_id == station_id).order_by(Grade.code)).all()
    nozzles = nozzles_of_station(session, station_id)
    pumps = [
        {"number": pump, "nozzles": [nozzle_json(n) for n in group]}
        for pump, group in groupby(
            sorted(nozzles, key=lambda n: (n.pump_number, n.number)), lambda n: n.pump_number
        )
    ]
    txns = session.scalars(
        select(PumpTransaction)
        .where(PumpTransaction.station_id == station_id, PumpTransaction.state.in_(OPEN_STATES))
        .order_by(PumpTransaction.ended_at)
    ).all()
    orders = session.scalars(
        select(Order)
        .where(Order.station_id == station_id, Order.state.in_(OPEN_ORDER_STATES))
        .order_by(Order.created_at)
    ).all()
    return {
        "station": {"id": station.id, "name": station.name, "timezone": station.timezone},
        "seq": seq,
        "server_time": to_wire(now),
        "grades": [grade_json(g) for g in grades],
        "pumps": pumps,
        "transactions": [transaction_json(t, now) for t in txns],
        "orders": [order_json(o) for o in orders],
    }


@router.get("/snapshot", response_model=Snapshot, responses=ERRORS)
def snapshot(ctx: Ctx, till: CurrentTill) -> dict[str, Any]:
    with ctx.db.read() as session:
        return build_snapshot(session, till.station_id)


@router.get("/events", response_model=EventPageOut, responses=ERRORS)
async def events(
    ctx: Ctx,
    till: CurrentTill,
    after: Annotated[int, Query(ge=0)] = 0,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> dict[str, Any]:
    """Answers at once when events after ``after`` exist, else when one commits, else after ``wait``.

    Waiting holds no worker thread: only the short reads run in the threadpool.
    """

    def read() -> EventPage:
        with ctx.db.read() as session:
            return read_events(session, till.station_id, after, limit)

    deadline = time.monotonic() + wait
    with ctx.db.notifier.waiter() as committed:
        while True:
            committed.clear()
            page = await run_in_threadpool(read)
            remaining = deadline - time.monotonic()
            if page.events or remaining <= 0 or ctx.db.notifier.closing:
                return {"events": page.events, "last_seq": page.last_seq}
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(committed.wait(), timeout=remaining)
