"""A database made by an older reference backend: refused plainly, or kept aside for the demo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_backend.__main__ import start_replacing_outdated
from pos_backend.db import OutdatedSchema


def old_database(path: Path) -> None:
    """The members table as it was before the sync columns (phone_suffix4, version, updated_at)."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE members (id TEXT PRIMARY KEY, card_no TEXT, name TEXT, phone TEXT)")
        conn.execute("INSERT INTO members VALUES ('m1', '88001', '老会员', '13800000000')")


def test_an_outdated_database_is_refused_with_a_plain_reason(tmp_path: Path) -> None:
    path = tmp_path / "backend.db"
    old_database(path)
    with pytest.raises(OutdatedSchema, match="predates the member columns"):
        start_replacing_outdated(f"sqlite:///{path}", False)
    assert path.exists()


def test_the_demo_keeps_the_outdated_file_aside_and_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "backend.db"
    old_database(path)
    backend = start_replacing_outdated(f"sqlite:///{path}", True)
    try:
        assert backend.url.startswith("http://127.0.0.1:")
    finally:
        backend.stop()
    [kept] = tmp_path.glob("backend.db.outdated-*")
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT name FROM members").fetchall() == [("老会员",)]  # nothing lost
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(members)")}
    assert {"phone_suffix4", "version", "updated_at"} <= columns
