"""Tables of the write-off flow beside ``writeoff_codes``: services, the redemption ledger, conflicts.

The code row itself (``models.WriteoffCode``) carries the state and who redeemed it: its single-use rule
is one conditional UPDATE on that row. The ledger is written in the same transaction, so today's list
and its totals never disagree with the codes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pos_backend.models import Base


class WriteoffService(Base):
    """What a service code (kind ``service``, e.g. a free car wash 洗车券) is worth and to whom."""

    __tablename__ = "writeoff_services"
    code: Mapped[str] = mapped_column(ForeignKey("writeoff_codes.code"), primary_key=True)
    title: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(200))
    value_fen: Mapped[int]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class WriteoffRedemption(Base):
    """One accepted redemption, as listed in today's write-offs (title and value as at redemption)."""

    __tablename__ = "writeoff_redemptions"
    __table_args__ = (Index("ix_writeoff_redemptions_day", "station_id", "redeemed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("writeoff_codes.code"), unique=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(64))
    value_fen: Mapped[int]
    redeemed_at: Mapped[datetime]  # the till's time: when the customer was served, perhaps offline
    accepted_at: Mapped[datetime]  # the backend's time
    offline: Mapped[bool] = mapped_column(default=False)
    reservation: Mapped[str | None] = mapped_column(String(100))  # as the till sent it, for the record


class WriteoffConflict(Base):
    """An offline redemption the backend refused (409): the goods or service were already handed out, so
    a manager reviews it. The first redemption's till, staff and time are copied for the review."""

    __tablename__ = "writeoff_conflicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("writeoff_codes.code"), index=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(32))  # the refusal's error code, e.g. code_already_redeemed
    attempted_at: Mapped[datetime]  # the till's time
    received_at: Mapped[datetime]
    first_till_id: Mapped[str | None] = mapped_column(String(40))
    first_staff_id: Mapped[int | None]
    first_redeemed_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
