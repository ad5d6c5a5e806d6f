"""Support for the counter UI tests: an in-process backend whose simulator the test steps by hand, the
whole till built on it, and look-ups into the backend's database for a fill and a member to use."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos.app import StationApp, build_station_app
from pos.services.ports import StaffMember
from pos.settings import Settings
from pos.sync.client import BackendClient
from pos.ui.counter_wiring import CounterFeature
from pos_backend.db import Database
from pos_backend.models import Coupon, Member, PumpTransaction
from pos_backend.seed import seed
from pos_backend.server import RunningBackend, start_backend
from pos_backend.simulator import Simulator

SIM_STEP_SECONDS = 5.0
MAX_SIM_SECONDS = 3_600.0


def seeded_copy(template_dir: Path, target: Path) -> str:
    template = template_dir / "counter-seeded.sqlite3"
    if not template.exists():
        db = Database(f"sqlite:///{template}")
        seed(db)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def step_until_payable(backend: RunningBackend, simulator: Simulator, minimum_fen: int) -> PumpTransaction:
    """Step the simulated forecourt until a fill paid at the till ends at ``minimum_fen`` or more."""
    simulated = 0.0
    while simulated < MAX_SIM_SECONDS:
        simulator.step(SIM_STEP_SECONDS)
        simulated += SIM_STEP_SECONDS
        with backend.db.read() as session:
            found = session.scalars(
                select(PumpTransaction).where(
                    PumpTransaction.state == "payable",
                    PumpTransaction.order_id.is_(None),
                    PumpTransaction.amount_fen >= minimum_fen,
                )
            ).first()
            if found is not None:
                session.expunge(found)
                return found
    raise AssertionError("the simulator produced no payable fill")


def member_with_coupon(
    backend: RunningBackend, client: BackendClient, title: str = "满200减15"
) -> tuple[str, Any]:
    """A member holding an any-grade ``title`` coupon whose last four phone digits are theirs alone."""
    with backend.db.read() as session:
        rows = session.execute(
            select(Member.phone, Member.id)
            .join(Coupon, Coupon.member_id == Member.id)
            .where(Coupon.title == title, Coupon.state == "available", Coupon.grade_code.is_(None))
            .order_by(Member.id)
        ).all()
    for phone, member_id in rows:
        matches = client.get_json("/members/search", {"phone_suffix": phone[-4:]})["members"]
        if len(matches) == 1:
            return phone[-4:], str(member_id)
    raise AssertionError(f"no member with a unique last four and a {title} coupon")


@dataclass
class CounterTill:
    app: StationApp
    client: BackendClient

    @property
    def feature(self) -> CounterFeature:
        assert self.app.counter is not None
        return self.app.counter

    def visible_actions(self) -> set[str]:
        return {a.objectName() for a in self.app.window.findChildren(QAction) if a.isVisible()}


def build_till(tmp_path: Path, qtbot: QtBot, client: BackendClient, staff: StaffMember | None) -> CounterTill:
    settings = Settings(data_dir=tmp_path, poll_wait_seconds=1, idle_lock_minutes=60)
    app = build_station_app(settings, client, staff, tmp_path / "till-cache.sqlite3")
    qtbot.addWidget(app.window)
    app.start()
    return CounterTill(app, client)


def activate(qtbot: QtBot, widget: QWidget) -> None:
    with qtbot.waitActive(widget):
        widget.activateWindow()


def paired_client(backend_url: str, till_name: str, code: Callable[[], str]) -> BackendClient:
    client = BackendClient(backend_url, read_retries=0, connect_timeout=1.0, read_timeout=10.0)
    client.pair(code(), till_name)
    return client


def start_in_process_backend(db_url: str) -> RunningBackend:
    return start_backend(db_url, seed=False)
