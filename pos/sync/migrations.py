"""Schema of the till's local SQLite store, versioned with ``PRAGMA user_version``.

``MIGRATIONS[i]`` takes a file from version ``i`` to ``i + 1``; ``migrate`` runs the missing ones in order
inside the caller's write transaction, so a crash mid-way leaves the file at its old version (SQLite DDL
and the user_version header are both transactional). Never edit a released migration: append a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection

Migration = Callable[[Connection], None]

# The outbox and sales_local DDL is fixed by the issue 3 interface (engineer C writes the outbox logic).
_V1_OUTBOX = (
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT NOT NULL,
        staff_no TEXT,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_error TEXT,
        response_status INTEGER,
        response_body TEXT,
        acked_at TEXT,
        lease_owner TEXT,
        lease_until TEXT
    )
    """,
    "CREATE INDEX ix_outbox_state_id ON outbox (state, id)",
    """
    CREATE TABLE sales_local (
        sale_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        staff_no TEXT,
        body TEXT NOT NULL,
        outbox_id INTEGER REFERENCES outbox (id)
    )
    """,
)

# The station snapshot as last known: one row per object, its wire JSON plus the columns we look up by.
_V1_STATION_CACHE = (
    "CREATE TABLE cache_grades (code TEXT PRIMARY KEY, json TEXT NOT NULL)",
    """
    CREATE TABLE cache_nozzles (
        number INTEGER PRIMARY KEY, pump_number INTEGER NOT NULL, state TEXT NOT NULL, json TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE cache_transactions (
        id TEXT PRIMARY KEY, pump_number INTEGER NOT NULL, state TEXT NOT NULL, json TEXT NOT NULL
    )
    """,
    "CREATE TABLE cache_orders (id TEXT PRIMARY KEY, state TEXT NOT NULL, json TEXT NOT NULL)",
    # One row (id = 1). last_seq is NULL until a first snapshot was stored; times are RFC 3339 UTC;
    # backend_url names the backend the cached data came from (a till re-paired elsewhere starts over).
    """
    CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        station_json TEXT,
        last_seq INTEGER,
        snapshot_at TEXT,
        last_contact_at TEXT,
        member_version INTEGER NOT NULL DEFAULT 0,
        members_synced_at TEXT,
        backend_url TEXT
    )
    """,
    "INSERT INTO sync_state (id) VALUES (1)",
    "CREATE TABLE current_shift (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)",
)

_V1_MEMBERS = (
    """
    CREATE TABLE members (
        id TEXT PRIMARY KEY,
        card_no TEXT NOT NULL,
        phone TEXT NOT NULL,
        phone_suffix4 TEXT NOT NULL,
        name TEXT NOT NULL,
        tier TEXT NOT NULL,
        version INTEGER NOT NULL,
        json TEXT NOT NULL
    )
    """,
    "CREATE INDEX ix_members_phone ON members (phone)",
    "CREATE INDEX ix_members_phone_suffix4 ON members (phone_suffix4)",
    "CREATE INDEX ix_members_card_no ON members (card_no)",
)


def _v1_everything(conn: Connection) -> None:
    for statement in (*_V1_OUTBOX, *_V1_STATION_CACHE, *_V1_MEMBERS):
        conn.exec_driver_sql(statement)


# The till's own write-offs (issue 6): one row per redemption, committed with its outbox record; its
# state (sent, acknowledged, refused and flagged) is the outbox record's.
_V2_WRITEOFFS = (
    """
    CREATE TABLE writeoffs_local (
        record_id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        value_fen INTEGER NOT NULL,
        redeemed_at TEXT NOT NULL,
        staff_no TEXT NOT NULL,
        staff_name TEXT NOT NULL,
        offline INTEGER NOT NULL,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id)
    )
    """,
    "CREATE INDEX ix_writeoffs_local_code ON writeoffs_local (code)",
    "CREATE INDEX ix_writeoffs_local_redeemed_at ON writeoffs_local (redeemed_at)",
)


def _v2_writeoffs(conn: Connection) -> None:
    for statement in _V2_WRITEOFFS:
        conn.exec_driver_sql(statement)


# Shift handover (issue 7): the till's shift history with its meters and the figures at the close (the
# close itself is an outbox record committed with it), the fills it heard of (an offline handover's sold
# volumes) and the X/Z reports it printed.
_V3_SHIFTS = (
    """
    CREATE TABLE shifts_local (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL,
        state TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        shift_json TEXT NOT NULL,
        opening_json TEXT,
        closing_json TEXT,
        summary_json TEXT,
        pending_upload INTEGER NOT NULL DEFAULT 0,
        outbox_id INTEGER REFERENCES outbox (id)
    )
    """,
    "CREATE INDEX ix_shifts_local_opened_at ON shifts_local (opened_at)",
    """
    CREATE TABLE fills_local (
        id TEXT PRIMARY KEY,
        nozzle_number INTEGER NOT NULL,
        grade TEXT NOT NULL,
        volume_ml INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL,
        ended_at TEXT NOT NULL,
        order_id TEXT
    )
    """,
    "CREATE INDEX ix_fills_local_ended_at ON fills_local (ended_at)",
    "CREATE INDEX ix_sales_local_created_at ON sales_local (created_at)",
    """
    CREATE TABLE shift_reports_local (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        shift_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        printed_at TEXT NOT NULL,
        lines_json TEXT NOT NULL
    )
    """,
    "CREATE INDEX ix_shift_reports_local_shift ON shift_reports_local (shift_id)",
)


def _v3_shifts(conn: Connection) -> None:
    for statement in _V3_SHIFTS:
        conn.exec_driver_sql(statement)


# Staff sign-in (issue 4): the verifiers of GET /staff/verifiers for offline sign-in, and this till's own
# count of wrong PINs per staff number (the lockout also holds while the backend is away).
_V4_STAFF_VERIFIERS = (
    """
    CREATE TABLE staff_verifiers (
        staff_no TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        verifier_json TEXT,
        failed_count INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        fetched_at TEXT NOT NULL
    )
    """,
)


def _v4_staff_verifiers(conn: Connection) -> None:
    for statement in _V4_STAFF_VERIFIERS:
        conn.exec_driver_sql(statement)


# Voids (issue 7): a void is a direct call, so the till keeps its own copy of each one it obtained, for the
# shift report's "voids with who and why" when the handover has to run offline.
_V5_VOIDS = (
    """
    CREATE TABLE voids_local (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        transaction_id TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        cashier_no TEXT,
        staff_no TEXT NOT NULL,
        staff_name TEXT NOT NULL,
        reason TEXT NOT NULL,
        voided_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX ix_voids_local_voided_at ON voids_local (voided_at)",
)


def _v5_voids(conn: Connection) -> None:
    for statement in _V5_VOIDS:
        conn.exec_driver_sql(statement)


MIGRATIONS: Sequence[Migration] = (
    _v1_everything,
    _v2_writeoffs,
    _v3_shifts,
    _v4_staff_verifiers,
    _v5_voids,
)
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def migrate(conn: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the file up to ``len(migrations)``; returns the version it had. The caller checked that it
    is not newer and holds a write transaction."""
    found = user_version(conn)
    for version in range(found, len(migrations)):
        migrations[version](conn)
        # PRAGMA takes no bound parameters; ``version`` is our own integer.
        conn.exec_driver_sql(f"PRAGMA user_version = {version + 1}")
    return found
