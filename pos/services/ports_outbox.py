"""Ports and plain data of the outbox: what services and the UI see of unsent changes and connectivity.

The sync layer implements ``SaleJournal`` over the local SQLite store; the UI only reads ``OutboxEntry``
lists and ``Connectivity`` values. Nothing in here knows about SQLAlchemy, requests or Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pos.services.ports import ConnectionState


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting for its turn (never sent, or the last attempt got no verdict)
    SENT = "sent"  # on the wire, or the answer was lost: it will be resent with the same key
    ACKED = "acked"  # the backend accepted it (2xx); its answer is stored
    REJECTED = "rejected"  # the backend refused it (4xx); a manager reviews it, nothing else waits on it


UNSENT_STATES = (OutboxState.PENDING, OutboxState.SENT)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One outbox record as read back from the store."""

    id: int
    idempotency_key: str
    method: str
    path: str
    body: Mapping[str, Any]
    staff_no: str | None
    created_at: datetime
    state: OutboxState
    attempts: int = 0
    last_attempt_at: datetime | None = None
    last_error: str | None = None
    response_status: int | None = None
    response_body: Mapping[str, Any] | None = None
    acked_at: datetime | None = None

    @property
    def rejection_code(self) -> str | None:
        """The backend's stable error code when it refused the record."""
        error = (self.response_body or {}).get("error")
        return str(error.get("code")) if isinstance(error, Mapping) else None

    @property
    def rejection_message(self) -> str | None:
        error = (self.response_body or {}).get("error")
        return str(error.get("message")) if isinstance(error, Mapping) else None


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int = 0
    sent: int = 0
    acked: int = 0
    rejected: int = 0

    @property
    def unsent(self) -> int:
        """Records the backend has not given a verdict on yet."""
        return self.pending + self.sent


@dataclass(frozen=True, slots=True)
class Connectivity:
    """What the status bar shows: the link's state, since when, and what waits in the outbox."""

    state: ConnectionState
    since: datetime
    unsent: int = 0
    rejected: int = 0
    reason: str = ""  # the PosError code of the last failure, for a tooltip


class SaleJournal(Protocol):
    """Keeps the till's own record of a sale and queues it for the backend, in one local transaction."""

    def record_sale(
        self, sale_id: str, created_at: datetime, staff_no: str, body: Mapping[str, Any]
    ) -> OutboxEntry:
        """Store the sale and its outbox record atomically; returns the queued record."""
        ...


class ConnectivitySource(Protocol):
    """Where the UI gets ``Connectivity`` (pos.sync.connectivity.ConnectivityMonitor)."""

    @property
    def current(self) -> Connectivity: ...

    def subscribe(self, listener: Callable[[Connectivity], None]) -> None: ...

    def unsubscribe(self, listener: Callable[[Connectivity], None]) -> None: ...

    def refresh_counts(self) -> None: ...


class OutboxReader(Protocol):
    """Read side for the status bar and the unsent-records list."""

    def counts(self) -> OutboxCounts: ...

    def unsent_and_rejected(self, limit: int = 500) -> Sequence[OutboxEntry]: ...
