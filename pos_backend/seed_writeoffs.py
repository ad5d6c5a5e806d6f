"""Seeded write-off codes beside the pickup codes of ``seed_people``: one per member coupon, a few car-wash
service codes, and a couple already redeemed or expired so today's list and its totals are not empty.

Codes are six digits, unique across the chain (one namespace for coupon, pickup and service codes).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_backend.models import Coupon, Member, PickupOrder, Staff, Till, WriteoffCode
from pos_backend.models_writeoffs import WriteoffRedemption, WriteoffService
from pos_backend.sim_till import TILL_ID as SIMULATED_TILL_ID
from pos_backend.sim_till import TILL_NAME as SIMULATED_TILL_NAME
from pos_backend.writeoffs_view import station_zone, subject_of

SERVICES = [  # (title, description, value in fen)
    ("精致洗车券", "免费精致洗车一次（5座及以下轿车）", 3000),
    ("普通洗车券", "免费普通洗车一次", 1500),
    ("普通洗车券", "免费普通洗车一次", 1500),
    ("精致洗车券", "免费精致洗车一次（5座及以下轿车）", 3000),
    ("SUV洗车券", "免费洗车一次（SUV/MPV）", 4000),
    ("普通洗车券", "免费普通洗车一次", 1500),
]
SERVICE_VALIDITY = timedelta(days=30)
REDEEMING_STAFF = ("3001", "1002")  # the attendant and the other counter's cashier


class _Codes:
    """Draws fresh six-digit codes from the seeded generator, never one already issued."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self._rng = rng
        self._used = set(session.scalars(select(WriteoffCode.code)))

    def draw(self) -> str:
        code = f"{self._rng.randint(0, 999_999):06d}"
        while code in self._used:
            code = f"{self._rng.randint(0, 999_999):06d}"
        self._used.add(code)
        return code


def seed_writeoffs(session: Session, rng: random.Random, now: datetime, station_id: str) -> None:
    codes = _Codes(session, rng)
    _coupon_codes(session, codes, now, station_id)
    service_codes = _service_codes(session, rng, codes, now, station_id)
    _seed_history(session, rng, now, station_id, service_codes)


def _coupon_codes(session: Session, codes: _Codes, now: datetime, station_id: str) -> None:
    for coupon in session.scalars(select(Coupon).order_by(Coupon.id)):
        session.add(
            WriteoffCode(
                code=codes.draw(),
                station_id=station_id,
                kind="coupon",
                coupon_id=coupon.id,
                state="issued" if coupon.valid_to > now else "expired",
                issued_at=coupon.valid_from,
                expires_at=coupon.valid_to,
            )
        )


def _service_codes(
    session: Session, rng: random.Random, codes: _Codes, now: datetime, station_id: str
) -> list[str]:
    member_ids = list(session.scalars(select(Member.id).order_by(Member.id)))
    issued = []
    for index, (title, description, value) in enumerate(SERVICES):
        code = codes.draw()
        start = now - timedelta(days=rng.randint(1, 20))
        if index == len(SERVICES) - 1:  # one left unused past its validity
            start = now - SERVICE_VALIDITY - timedelta(days=2)
        expires = start + SERVICE_VALIDITY
        state = "issued" if expires > now else "expired"
        session.add(
            WriteoffCode(
                code=code,
                station_id=station_id,
                kind="service",
                state=state,
                issued_at=start,
                expires_at=expires,
            )
        )
        session.flush()  # the service row refers to the code
        member_id = rng.choice(member_ids)
        session.add(
            WriteoffService(
                code=code, title=title, description=description, value_fen=value, member_id=member_id
            )
        )
        issued.append(code)
    return issued


def _simulated_till(session: Session, station_id: str, now: datetime) -> str:
    """Seeded redemptions happened on the other counter, the simulated till (created here if missing)."""
    if session.get(Till, SIMULATED_TILL_ID) is None:
        session.add(
            Till(id=SIMULATED_TILL_ID, station_id=station_id, name=SIMULATED_TILL_NAME, paired_at=now)
        )
        session.flush()
    return SIMULATED_TILL_ID


def _seed_history(
    session: Session, rng: random.Random, now: datetime, station_id: str, service_codes: list[str]
) -> None:
    """Two pickups and a car wash redeemed earlier today, one pickup code expired uncollected."""
    pickups = list(
        session.scalars(select(WriteoffCode).where(WriteoffCode.kind == "pickup").order_by(WriteoffCode.code))
    )
    if len(pickups) < 3 or not service_codes:
        return
    till_id = _simulated_till(session, station_id, now)
    zone = station_zone(session, station_id)
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    redeemed = [pickups[0], pickups[1], session.get(WriteoffCode, service_codes[0])]
    for row in redeemed:
        if row is None:
            continue
        at = max(midnight, now - timedelta(minutes=rng.randint(20, 300)))
        staff_no = rng.choice(REDEEMING_STAFF)
        _redeemed(session, row, station_id, till_id, staff_no, at)
    expired = pickups[2]
    expired.state = "expired"
    expired.issued_at = now - timedelta(days=10)
    expired.expires_at = now - timedelta(days=3)


def _redeemed(
    session: Session, row: WriteoffCode, station_id: str, till_id: str, staff_no: str, at: datetime
) -> None:
    staff = session.scalar(select(Staff).where(Staff.staff_no == staff_no))
    if staff is None:
        return
    row.state = "redeemed"
    row.redeemed_at = at
    row.redeemed_staff_id = staff.id
    row.redeemed_station_id = station_id
    row.redeemed_till_id = till_id
    if row.pickup_order_id is not None:
        order = session.get(PickupOrder, row.pickup_order_id)
        if order is not None:
            order.state = "picked_up"
    subject = subject_of(session, row)
    session.add(
        WriteoffRedemption(
            code=row.code,
            station_id=station_id,
            till_id=till_id,
            staff_id=staff.id,
            kind=row.kind,
            title=subject.title,
            value_fen=subject.value_fen,
            redeemed_at=at,
            accepted_at=at,
            offline=False,
        )
    )
