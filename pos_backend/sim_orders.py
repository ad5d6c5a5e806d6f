"""Simulated mini-program customers: who orders, how much they prepay, how much fuel that buys."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.domain.money import amount_for_volume
from pos_backend.models import Member, Nozzle
from pos_backend.orders import place_order


def prepaid_volume_ml(prepaid_fen: int, unit_price_fen: int) -> int:
    """The most fuel whose amount (the pump's rounding) does not exceed what was prepaid."""
    volume = prepaid_fen * 1000 // unit_price_fen
    while amount_for_volume(unit_price_fen, volume + 1) <= prepaid_fen:
        volume += 1
    while volume > 0 and amount_for_volume(unit_price_fen, volume) > prepaid_fen:
        volume -= 1
    return volume


def start_order(session: Session, rng: random.Random, nozzle: Nozzle, now: datetime) -> tuple[str, float]:
    """A member prepays 100 to 300 yuan for this nozzle; returns the order id and their arrival delay."""
    members = session.scalar(select(func.count()).select_from(Member)) or 0
    member = session.get(Member, rng.randint(1, members)) if members else None
    prepaid_fen = rng.randint(10, 30) * 1000
    order = place_order(
        session,
        nozzle,
        prepaid_fen,
        now,
        member_id=member.id if member is not None else None,
        plate=member.plate if member is not None else None,
    )
    return order.id, rng.uniform(5.0, 40.0)
