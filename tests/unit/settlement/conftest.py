"""The settlement desk's fakes as fixtures: one payable fill (tx-1) on a fake backend, an empty journal."""

from __future__ import annotations

import pytest

from .fakes import FakeBackend, FakeJournal, fill


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend({"tx-1": fill()})


@pytest.fixture
def journal() -> FakeJournal:
    return FakeJournal()
