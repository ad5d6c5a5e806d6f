"""Deterministic demo data for station S001 (seeded random): grades, pumps, staff, members, pickups.

Seeding a database that already holds the station is a no-op.
"""

from __future__ import annotations

import logging
import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.domain.pump import NozzleState
from pos_backend.auth import hash_pin
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.models import (
    ActivationCode,
    Grade,
    Nozzle,
    Pump,
    Staff,
    Station,
)
from pos_backend.seed_people import seed_members_and_pickups
from pos_backend.seed_writeoffs import seed_writeoffs
from pos_backend.staff_auth import seed_verifiers
from pos_backend.wire import GRADE_NAMES

log = logging.getLogger(__name__)

STATION_ID = "S001"
STATION_NAME = "中石化示范加油站"
GRADE_PRICES_FEN = {"92": 742, "95": 789, "0": 705}
# pump number -> grades of its two nozzles; nozzles are numbered 1..8 across the station
PUMP_GRADES = {1: ("92", "95"), 2: ("92", "95"), 3: ("92", "95"), 4: ("0", "0")}
STAFF = [
    ("1001", "王芳", "cashier", "1111"),
    ("1002", "李强", "cashier", "2222"),
    ("2001", "张伟", "manager", "8888"),
    ("3001", "刘洋", "attendant", "3333"),
    ("9001", "陈静", "support", "9999"),
]
ACTIVATION_CODE_LIFETIME = timedelta(hours=24)


def seed(db: Database, rng_seed: int = 20261121) -> bool:
    """Create the schema and the demo station; returns False when the station was already there."""
    db.create_schema()
    with db.write() as session:
        if session.get(Station, STATION_ID) is not None:
            return False
        rng = random.Random(rng_seed)
        now = utc_now()
        _seed_forecourt(session, rng, now)
        _seed_staff(session)
        seed_verifiers(session, STATION_ID, {no: pin for no, _, _, pin in STAFF}, now)
        seed_members_and_pickups(session, rng, now, STATION_ID)
        seed_writeoffs(session, rng, now, STATION_ID)
    log.info("seeded station %s", STATION_ID)
    return True


def _seed_forecourt(session: Session, rng: random.Random, now: datetime) -> None:
    session.add(Station(id=STATION_ID, name=STATION_NAME, timezone="Asia/Shanghai"))
    session.flush()  # the station row first: grades, pumps and nozzles refer to it
    for code, price in GRADE_PRICES_FEN.items():
        session.add(Grade(station_id=STATION_ID, code=code, name=GRADE_NAMES[code], price_fen=price))
    number = 0
    for pump_number, grades in PUMP_GRADES.items():
        session.add(Pump(station_id=STATION_ID, number=pump_number))
        for grade in grades:
            number += 1
            # a few years of service: 1,000 to 3,000 cubic metres through each nozzle
            volume = rng.randint(1_000_000, 3_000_000) * 1000 + rng.randint(0, 999)
            price = GRADE_PRICES_FEN[grade]
            session.add(
                Nozzle(
                    station_id=STATION_ID,
                    number=number,
                    pump_number=pump_number,
                    grade_code=grade,
                    state=NozzleState.IDLE.value,
                    unit_price_fen=price,
                    current_volume_ml=0,
                    current_amount_fen=0,
                    totalizer_volume_ml=volume,
                    # earlier prices were lower: the amount totalizer lags the current price a little
                    totalizer_amount_fen=volume * (price - rng.randint(20, 60)) // 1000,
                    totalizer_read_at=now,
                    updated_at=now,
                )
            )


def _seed_staff(session: Session) -> None:
    for staff_no, name, role, pin in STAFF:
        session.add(
            Staff(station_id=STATION_ID, staff_no=staff_no, name=name, role=role, pin_hash=hash_pin(pin))
        )


def issue_activation_code(db: Database, station_id: str = STATION_ID) -> str:
    """Mint a fresh one-time six-digit pairing code (unique among the codes still usable)."""
    now = utc_now()
    with db.write() as session:
        while True:
            code = f"{secrets.randbelow(1_000_000):06d}"
            clash = session.scalar(
                select(ActivationCode.id).where(ActivationCode.code == code, ActivationCode.used_at.is_(None))
            )
            if clash is None:
                break
        session.add(
            ActivationCode(
                station_id=station_id, code=code, issued_at=now, expires_at=now + ACTIVATION_CODE_LIFETIME
            )
        )
    return code
