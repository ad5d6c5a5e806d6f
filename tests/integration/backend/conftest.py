"""A real backend on loopback (uvicorn in a thread) over a throwaway database, and a paired till.

Every test gets a fresh SQLite file in tmp_path. When PostgreSQL binaries and the psycopg driver are both
available, the same tests also run against a throwaway cluster started with initdb/pg_ctl.
"""

from __future__ import annotations

import functools
import glob
import importlib.util
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from pos.domain.pump import NozzleState
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.forecourt import authorize, end_fill, report_progress, set_nozzle_state, start_fill
from pos_backend.models import Nozzle
from pos_backend.seed import STATION_ID
from pos_backend.server import RunningBackend, start_backend
from tests.support import free_port

_keys = itertools.count(1)


def new_key() -> str:
    return f"test-key-{next(_keys)}"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields a URL template with ``{db}`` for the database name."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries not installed")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("the psycopg driver is not installed")
    as_postgres = _run_as_postgres_prefix()
    # initdb refuses to run as root: as root, the cluster runs as the postgres system user in a directory
    # it owns (pytest's tmp dirs are private to root).
    data = Path(tempfile.mkdtemp(prefix="pos-pg-")) / "data"
    if as_postgres:
        shutil.chown(data.parent, "postgres")
    port = free_port()
    run = functools.partial(subprocess.run, check=True, capture_output=True)
    run([*as_postgres, bin_dir / "initdb", "-D", data, "-U", "pos", "--auth=trust"])
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    # -l: the postmaster must not inherit our captured pipes, or pg_ctl never returns.
    log = data.parent / "server.log"
    run([*as_postgres, bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start"])
    try:
        yield f"postgresql+psycopg://pos@127.0.0.1:{port}/{{db}}"
    finally:
        subprocess.run([*as_postgres, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"])
        shutil.rmtree(data.parent, ignore_errors=True)


def _run_as_postgres_prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as its own user")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres system user to run the cluster")
    return ["runuser", "-u", "postgres", "--"]


_pg_databases = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "backend.sqlite3"
        shutil.copyfile(request.getfixturevalue("seeded_template"), target)
        return f"sqlite:///{target}"
    template: str = request.getfixturevalue("postgres_cluster")
    name = f"t{next(_pg_databases)}"
    admin = Database(template.format(db="postgres"))
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return template.format(db=name)


@pytest.fixture
def backend(db_url: str) -> Iterator[RunningBackend]:
    running = start_backend(db_url)
    yield running
    running.stop()


@dataclass
class TillClient:
    """A paired till talking real HTTP, with an optional signed-in staff session."""

    base: str
    token: str
    till_id: str
    till_name: str
    staff_session: str | None = None
    http: requests.Session = field(default_factory=requests.Session)

    def headers(self, key: str | None = None, staff: bool = False) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        if staff and self.staff_session:
            headers["X-Staff-Session"] = self.staff_session
        return headers

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.base + path, headers=self.headers(), params=params, timeout=40)

    def post(
        self, path: str, json: Any = None, key: str | None = None, staff: bool = True
    ) -> requests.Response:
        key = key if key is not None else new_key()
        return self.http.post(self.base + path, json=json, headers=self.headers(key, staff), timeout=10)

    def sign_in(self, staff_no: str, pin: str) -> None:
        response = self.post("/api/v1/staff/sessions", {"staff_no": staff_no, "pin": pin}, staff=False)
        assert response.status_code == 201, response.text
        self.staff_session = response.json()["session_token"]


def pair_till(backend: RunningBackend, name: str) -> TillClient:
    body = {"activation_code": backend.issue_activation_code(), "till_name": name}
    response = requests.post(
        backend.url + "/api/v1/tills/pair", json=body, headers={"Idempotency-Key": new_key()}, timeout=10
    )
    assert response.status_code == 201, response.text
    paired = response.json()
    return TillClient(backend.url, paired["device_token"], paired["till_id"], paired["till_name"])


@pytest.fixture
def till(backend: RunningBackend) -> TillClient:
    client = pair_till(backend, "前台1")
    client.sign_in("1001", "1111")
    return client


@pytest.fixture
def other_till(backend: RunningBackend) -> TillClient:
    client = pair_till(backend, "前台3")
    client.sign_in("2001", "8888")
    return client


def make_payable(backend: RunningBackend, nozzle_number: int = 1, volume_ml: int = 30_150) -> str:
    """Run one whole fill on a nozzle through the forecourt logic; returns the payable transaction id."""
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None and nozzle.state in (NozzleState.IDLE, NozzleState.PAYABLE)
        now = utc_now()
        if nozzle.state == NozzleState.PAYABLE:  # the next customer lifts the nozzle
            set_nozzle_state(session, nozzle, NozzleState.CALLING, now)
        authorize(session, nozzle, now)
        start_fill(session, nozzle, now)
        report_progress(session, nozzle, volume_ml, now)
        return end_fill(session, nozzle, now).id
