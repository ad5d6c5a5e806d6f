"""Event parsing: types the till does not know are kept in sequence, never refused."""

from __future__ import annotations

import pytest

from pos.domain.errors import PosError
from pos.services.station_board import StationBoard
from pos.sync.wire import parse_events


def test_unknown_event_type_is_kept_with_its_seq_and_no_payload() -> None:
    body = {
        "events": [{"seq": 41, "type": "sale.recorded", "at": "2026-11-21T06:00:00+00:00", "data": {"x": 1}}],
        "last_seq": 41,
    }
    batch = parse_events(body)
    assert [(e.seq, e.type, e.payload) for e in batch.events] == [(41, "sale.recorded", None)]
    board = StationBoard()
    board.last_seq = 40
    board.apply_events(batch.events)
    assert board.last_seq == 41


def test_known_event_type_with_a_bad_payload_is_still_refused() -> None:
    body = {
        "events": [{"seq": 1, "type": "nozzle.updated", "at": "2026-11-21T06:00:00+00:00", "data": {}}],
        "last_seq": 1,
    }
    with pytest.raises(PosError) as refused:
        parse_events(body)
    assert refused.value.code == "bad_response"
