"""The print spool on disk: jobs waiting for the printer, and a bounded history for reprints.

One file per job, ``pending/00000042.job``: a JSON header line, a newline, then the ESC/POS bytes. A job
is written to a temporary name and renamed into place (atomic), so a crash never leaves half a job; after
printing it is renamed into ``history/`` and the oldest history beyond the limit is deleted. The sequence
number in the name keeps print order across restarts.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".job"


@dataclass(frozen=True, slots=True)
class SpoolJob:
    seq: int
    title: str  # what it is, for the staff: 加油小票 S20250501-0042
    created_at: datetime
    data: bytes
    path: Path

    @property
    def job_id(self) -> str:
        return f"{self.seq:08d}"


class Spool:
    def __init__(self, directory: Path, history_limit: int = 50) -> None:
        self.pending_dir = directory / "pending"
        self.history_dir = directory / "history"
        self.history_limit = history_limit
        self.pending_dir.mkdir(parents=True, exist_ok=True)
        self.history_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        existing = [_seq_of(p) for d in (self.pending_dir, self.history_dir) for p in d.glob(f"*{SUFFIX}")]
        self._last_seq = max(existing, default=0)

    def add(self, data: bytes, title: str) -> SpoolJob:
        """Write a new pending job durably and return it."""
        with self._lock:
            self._last_seq += 1
            seq = self._last_seq
        created = datetime.now(UTC)
        header = json.dumps({"seq": seq, "title": title, "created_at": created.isoformat()})
        path = self.pending_dir / f"{seq:08d}{SUFFIX}"
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as file:
            file.write(header.encode("utf-8") + b"\n" + data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
        return SpoolJob(seq, title, created, data, path)

    def pending(self) -> list[SpoolJob]:
        """Waiting jobs, oldest first. A damaged file is set aside rather than blocking the queue."""
        return self._load_all(self.pending_dir)

    def history(self) -> list[SpoolJob]:
        """Printed jobs still kept, oldest first."""
        return self._load_all(self.history_dir)

    def find(self, job_id: str) -> SpoolJob | None:
        for directory in (self.history_dir, self.pending_dir):
            path = directory / f"{job_id}{SUFFIX}"
            if path.is_file():
                return _load(path)
        return None

    def complete(self, job: SpoolJob) -> None:
        """The job printed: move it to the history and trim the history to its limit."""
        os.replace(job.path, self.history_dir / job.path.name)
        kept = sorted(self.history_dir.glob(f"*{SUFFIX}"), key=_seq_of)
        for old in kept[: max(0, len(kept) - self.history_limit)]:
            old.unlink(missing_ok=True)

    def _load_all(self, directory: Path) -> list[SpoolJob]:
        jobs = []
        for path in sorted(directory.glob(f"*{SUFFIX}"), key=_seq_of):
            try:
                jobs.append(_load(path))
            except (OSError, ValueError, KeyError) as error:
                log.error("damaged spool file %s set aside: %s", path.name, error)
                os.replace(path, path.with_suffix(".damaged"))
        return jobs


def _seq_of(path: Path) -> int:
    try:
        return int(path.stem)
    except ValueError:
        return 0


def _load(path: Path) -> SpoolJob:
    raw = path.read_bytes()
    header_line, _, data = raw.partition(b"\n")
    header = json.loads(header_line)
    return SpoolJob(
        int(header["seq"]), str(header["title"]), datetime.fromisoformat(header["created_at"]), data, path
    )
