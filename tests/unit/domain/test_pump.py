from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.pump import Nozzle, NozzleState, Pump
from pos.domain.transaction import TransactionState
from pos.domain.wire import format_rfc3339
from tests.unit.domain.factories import T0, TILL_1, nozzle, transaction

S = NozzleState


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"state": S.CLOSED, "current_volume_ml": 100}, "closed"),
        ({"state": S.OFFLINE, "current_amount_fen": 79}, "offline"),
        ({"state": S.IDLE, "current_volume_ml": 1}, "idle"),
        ({"number": 0}, "nozzle number"),
        ({"pump_number": -1}, "pump_number"),
        ({"unit_price_fen": 0}, "unit_price_fen"),
        ({"state": S.FUELLING, "current_volume_ml": -5}, "current_volume_ml"),
        ({"totalizer_amount_fen": -1}, "totalizer_amount_fen"),
        ({"totalizer_volume_ml": 1.5}, "totalizer_volume_ml"),
        ({"updated_at": datetime(2026, 11, 21, 14, 0)}, "updated_at"),
        ({"totalizer_read_at": "2026-11-21T14:00:00Z"}, "totalizer_read_at"),
        ({"grade": "95"}, "grade"),
        ({"state": "idle"}, "state"),
        ({"order_id": ""}, "order_id"),
        ({"number": True}, "nozzle number"),
    ],
)
def test_nozzle_refuses_bad_values(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidValue, match=words):
        nozzle(**changes)


@pytest.mark.parametrize("state", [S.FUELLING, S.SUSPENDED, S.PAYABLE, S.CALLING, S.AUTHORIZED, S.ERROR])
def test_running_fill_is_allowed_where_a_fill_can_show(state: NozzleState) -> None:
    assert (
        nozzle(state=state, current_volume_ml=20_000, current_amount_fen=15_780).current_volume_ml == 20_000
    )


def test_with_state_checks_the_transition_and_stamps_the_time() -> None:
    later = T0 + timedelta(seconds=5)
    calling = nozzle().with_state(S.CALLING, later)
    assert (calling.state, calling.updated_at) == (S.CALLING, later)
    with pytest.raises(IllegalTransition) as refused:
        nozzle().with_state(S.FUELLING, later)
    assert refused.value.detail == {"from": "idle", "to": "fuelling"}


def test_entering_a_no_fill_state_clears_the_display_and_the_order() -> None:
    payable = nozzle(state=S.PAYABLE, current_volume_ml=30_000, current_amount_fen=23_670, order_id="ord-1")
    idle = payable.with_state(S.IDLE, T0)
    assert (idle.current_volume_ml, idle.current_amount_fen, idle.order_id) == (0, 0, None)
    suspended = payable.with_state(S.CALLING, T0)
    assert suspended.current_volume_ml == 30_000 and suspended.order_id == "ord-1"
    bound = nozzle().with_state(S.AUTHORIZED, T0, order_id="ord-7")
    assert bound.order_id == "ord-7"


def test_progress_only_while_fuelling_and_never_backwards() -> None:
    fuelling = nozzle(state=S.FUELLING, current_volume_ml=1_000, current_amount_fen=789)
    assert fuelling.with_progress(2_000, 1_578, T0).current_volume_ml == 2_000
    with pytest.raises(InvalidValue, match="backwards"):
        fuelling.with_progress(500, 395, T0)
    with pytest.raises(IllegalTransition):
        nozzle().with_progress(100, 79, T0)


def test_totalizer_never_goes_down() -> None:
    read = nozzle().with_totalizer(12_400_000, 9_800_000, T0 + timedelta(minutes=1))
    assert read.totalizer_volume_ml == 12_400_000
    with pytest.raises(InvalidValue, match="totalizer went down"):
        read.with_totalizer(12_399_999, 9_800_000, T0 + timedelta(minutes=2))


def test_is_stale() -> None:
    fresh = nozzle(updated_at=T0)
    assert not fresh.is_stale(T0 + timedelta(seconds=30), timedelta(seconds=30))
    assert fresh.is_stale(T0 + timedelta(seconds=31), timedelta(seconds=30))
    with pytest.raises(InvalidValue):
        fresh.is_stale(datetime(2026, 11, 21, 6, 1), timedelta(seconds=30))


def _wire_nozzle(**changes: Any) -> dict[str, Any]:
    raw = {
        "number": 3,
        "pump_number": 2,
        "grade": "95",
        "state": "fuelling",
        "unit_price_fen": 789,
        "current_volume_ml": 12_000,
        "current_amount_fen": 9_468,
        "totalizer_volume_ml": 5_000_000,
        "totalizer_amount_fen": 3_900_000,
        "totalizer_read_at": "2026-11-21T14:02:03.120+08:00",
        "updated_at": "2026-11-21T06:02:04Z",
        "order_id": None,
    }
    raw.update(changes)
    return raw


def test_nozzle_from_wire_and_back() -> None:
    parsed = Nozzle.from_wire(_wire_nozzle())
    assert parsed.grade is GradeCode.G95 and parsed.state is S.FUELLING
    assert format_rfc3339(parsed.totalizer_read_at) == "2026-11-21T06:02:03.120+00:00"
    assert Nozzle.from_wire(parsed.to_wire()) == parsed


@pytest.mark.parametrize(
    "changes",
    [
        {"state": "pumping"},
        {"grade": "93"},
        {"number": "3"},
        {"current_volume_ml": None},
        {"updated_at": "2026-11-21T06:02:04"},
        {"updated_at": 1_763_704_924},
        {"order_id": 7},
        {"state": "idle"},  # idle with a running volume
    ],
)
def test_nozzle_from_wire_refuses_bad_fields(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        Nozzle.from_wire(_wire_nozzle(**changes))


def test_nozzle_from_wire_names_a_missing_field() -> None:
    raw = _wire_nozzle()
    del raw["totalizer_read_at"]
    with pytest.raises(InvalidValue, match="totalizer_read_at"):
        Nozzle.from_wire(raw)


def test_pump_checks_its_nozzles() -> None:
    pump = Pump(2, (nozzle(number=3), nozzle(number=4, grade=GradeCode.G92)))
    assert pump.nozzle(4).grade is GradeCode.G92
    with pytest.raises(InvalidValue):
        pump.nozzle(5)
    with pytest.raises(InvalidValue, match="twice"):
        Pump(2, (nozzle(number=3), nozzle(number=3)))
    with pytest.raises(InvalidValue, match="another pump"):
        Pump(1, (nozzle(pump_number=2),))
    with pytest.raises(InvalidValue):
        Pump(2, ())


def test_pump_refuses_a_third_unpaid_fill() -> None:
    pump = Pump(2, (nozzle(),))
    first = transaction(id="a")
    second = transaction(id="b").lock(TILL_1, T0)
    elsewhere = transaction(id="c", pump_number=1)
    settled = transaction(id="d").lock(TILL_1, T0).clear(TILL_1, T0)
    assert pump.accepts_another_fill([first, elsewhere, settled])
    assert pump.stacked_count([first, second, elsewhere, settled]) == 2
    assert not pump.accepts_another_fill([first, second])
    assert second.state is TransactionState.LOCKED
