"""BackendProcess failure paths: a child that dies or never gets ready gives a clear PosError."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pos.demo import BackendProcess
from pos.domain.errors import PosError


class ScriptedProcess(BackendProcess):
    """The real process handling, running a stand-in script instead of the backend."""

    def __init__(self, tmp_path: Path, script: str) -> None:
        super().__init__(tmp_path / "b.db", tmp_path, stop_timeout=0.5)
        self.script = script

    def command(self) -> list[str]:
        return [sys.executable, "-c", self.script]


def test_a_child_that_dies_reports_its_exit_code_and_output(tmp_path: Path) -> None:
    process = ScriptedProcess(tmp_path, "import sys; print('port 8765 already in use'); sys.exit(3)")
    with pytest.raises(PosError) as caught:
        process.start(timeout=10)
    assert caught.value.code == "demo_backend_failed"
    assert "code 3" in caught.value.message
    assert "port 8765 already in use" in caught.value.detail["stderr_tail"]


def test_a_child_that_never_gets_ready_times_out_and_is_stopped(tmp_path: Path) -> None:
    process = ScriptedProcess(tmp_path, "import sys, time; print('migrating', flush=True); time.sleep(60)")
    with pytest.raises(PosError) as caught:
        process.start(timeout=1)
    assert "not ready within 1 s" in caught.value.message
    assert "migrating" in caught.value.detail["stderr_tail"]
    assert process._process is None  # stopped, not left running


def test_a_malformed_ready_file_is_refused(tmp_path: Path) -> None:
    script = (
        "import pathlib, sys, time; "
        f"pathlib.Path({str(tmp_path / 'backend.ready.json')!r}).write_text('{{\"url\": 1}}'); time.sleep(60)"
    )
    with pytest.raises(PosError, match="malformed"):
        ScriptedProcess(tmp_path, script).start(timeout=10)


def test_the_ready_file_gives_url_and_activation_code(tmp_path: Path) -> None:
    ready = '{"url": "http://127.0.0.1:1", "port": 1, "pid": 2, "activation_code": "123456"}'
    script = (
        "import pathlib, sys; "
        f"pathlib.Path({str(tmp_path / 'backend.ready.json')!r}).write_text({ready!r}); sys.stdin.read()"
    )
    with ScriptedProcess(tmp_path, script) as process:
        info = process.start(timeout=10)
    assert (info.url, info.activation_code) == ("http://127.0.0.1:1", "123456")
    assert process._process is None  # closing stdin ended the child (--exit-with-stdin behaviour)
