"""Reference central backend for the station POS (FastAPI + SQLAlchemy) and its station simulator.

Never imports the till's adapters (pos.ui, pos.sync, pos.hardware, pos.services, pos.app); it may use
the plain domain rules in pos.domain.
"""

from __future__ import annotations

from pos_backend.server import RunningBackend, create_app, start_backend

__all__ = ["RunningBackend", "create_app", "start_backend"]
