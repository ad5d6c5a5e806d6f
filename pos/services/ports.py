"""What the services need from the outside world, as typing.Protocol ports, plus the plain data they carry.

The sync layer implements ``StationBackend`` with HTTP; the UI implements ``StationListener``. Nothing in
here knows about requests or Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple, Protocol

from pos.domain.coupon import Coupon
from pos.domain.grade import Grade
from pos.domain.member import Member
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.transaction import PumpTransaction


@dataclass(frozen=True, slots=True)
class StationInfo:
    id: str
    name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class StationSnapshot:
    """The whole forecourt as the backend saw it when it had applied every event up to ``seq``."""

    station: StationInfo
    seq: int
    server_time: datetime
    grades: Sequence[Grade]
    nozzles: Sequence[Nozzle]
    transactions: Sequence[PumpTransaction]
    orders: Sequence[Order]


# Event payloads are the domain objects themselves; the event type says which one.
# None: an event type this till does not act on (e.g. sale.recorded); its seq still counts as applied,
# so a newer backend adding event types never stalls an older till.
EventPayload = Nozzle | PumpTransaction | Order | None


@dataclass(frozen=True, slots=True)
class StationEvent:
    seq: int
    type: str  # nozzle.updated, transaction.created/updated, order.created/updated
    at: datetime
    payload: EventPayload


@dataclass(frozen=True, slots=True)
class EventBatch:
    events: Sequence[StationEvent]
    last_seq: int


@dataclass(frozen=True, slots=True)
class Pairing:
    till_id: str
    till_name: str
    station_id: str
    station_name: str
    # Kept out of repr so that logging a Pairing never leaks the token.
    device_token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class StaffMember:
    staff_no: str
    name: str
    role: str  # attendant | cashier | manager | support


@dataclass(frozen=True, slots=True)
class StaffSession:
    staff: StaffMember
    expires_at: datetime
    session_token: str = field(repr=False)


class ConnectionState(StrEnum):
    ONLINE = "online"
    DEGRADED = "degraded"  # some calls fail, we keep retrying with backoff
    OFFLINE = "offline"  # nothing gets through; data shown is the last known


@dataclass(frozen=True, slots=True)
class ConnectionStatus:
    state: ConnectionState
    since: datetime
    reason: str = ""  # the PosError code of the last failure, for the status bar tooltip


class StationBackend(Protocol):
    """The central backend as the till's services see it. Every failure surfaces as ``PosError``."""

    def pair(self, activation_code: str, till_name: str) -> Pairing: ...

    def sign_in(self, staff_no: str, pin: str) -> StaffSession: ...

    def sign_out(self) -> None: ...

    def snapshot(self) -> StationSnapshot: ...

    def events_after(self, seq: int, wait_seconds: float) -> EventBatch:
        """Events with seq > ``seq``; waits up to ``wait_seconds`` when there are none yet."""
        ...

    def lock_transaction(self, transaction_id: str) -> PumpTransaction: ...

    def unlock_transaction(self, transaction_id: str) -> PumpTransaction: ...

    def clear_transaction(self, transaction_id: str, sale_ref: str | None = None) -> PumpTransaction: ...


@dataclass(frozen=True, slots=True)
class StationChange:
    """What a single update changed, so a view can repaint only that."""

    nozzles: frozenset[int] = frozenset()
    orders: frozenset[str] = frozenset()
    pumps: frozenset[int] = frozenset()  # pumps whose stacked payable count may have changed
    connection: bool = False
    stale: bool = False
    everything: bool = False  # a snapshot replaced the whole board

    def is_empty(self) -> bool:
        return not (
            self.nozzles or self.orders or self.pumps or self.connection or self.stale or self.everything
        )


class StationListener(Protocol):
    def station_changed(self, change: StationChange) -> None: ...


# -- members -----------------------------------------------------------------------------------------


class MemberRecord(NamedTuple):
    """A member as the backend sends it: the domain member plus its coupons and change counter.

    A named tuple rather than a frozen dataclass: as immutable, and an offline lookup builds one per
    cached row, where a frozen dataclass pays a call per field (a third of a microsecond here)."""

    member: Member
    coupons: tuple[Coupon, ...]
    version: int  # backend-wide counter, bumped by every change to the member or its coupons
    updated_at: datetime


class MemberQueryKind(StrEnum):
    PHONE = "phone"  # the full 11-digit mobile number
    PHONE_SUFFIX = "phone_suffix"  # its last four digits: may match several members
    CARD_NO = "card_no"


@dataclass(frozen=True, slots=True)
class MemberQuery:
    kind: MemberQueryKind
    value: str = field(repr=False)  # may be a full phone number: never in a log line

    @property
    def masked(self) -> str:
        """For logs: the kind and at most the last four characters."""
        return f"{self.kind.value}=…{self.value[-4:]}"


class MemberDirectory(Protocol):
    """Where members are found: the backend (online) or the till's member cache (offline)."""

    def search_members(self, query: MemberQuery) -> Sequence[MemberRecord]:
        """At most ``MEMBER_SEARCH_LIMIT`` matches; PosError when the source cannot answer."""
        ...


class MemberCacheDirectory(MemberDirectory, Protocol):
    def search_members_as_of(self, query: MemberQuery) -> tuple[Sequence[MemberRecord], datetime | None]:
        """``search_members`` and ``members_synced_at`` read together, so the age is that of the rows."""
        ...

    def members_synced_at(self) -> datetime | None:
        """When the cache last heard from the backend about members (None: never)."""
        ...

    def remember_members(self, records: Sequence[MemberRecord]) -> None:
        """Keep fresher copies seen online (an older version never replaces a newer one)."""
        ...


MEMBER_SEARCH_LIMIT = 20
