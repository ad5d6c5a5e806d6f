"""One seeded backend database for the whole integration run; each test works on a copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import make_seeded_template


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeded once per session (seeding takes seconds); tests copy it with ``copied_db_url``."""
    return make_seeded_template(tmp_path_factory.mktemp("seeded-template"))
