from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pos.domain.errors import InvalidValue
from pos.domain.grade import Grade, GradeCode
from pos.domain.wire import format_rfc3339, parse_rfc3339


@pytest.mark.parametrize(
    ("code", "name", "diesel"),
    [
        (GradeCode.G92, "92#汽油", False),
        (GradeCode.G95, "95#汽油", False),
        (GradeCode.G98, "98#汽油", False),
        (GradeCode.D0, "0#柴油", True),
        (GradeCode.D_MINUS_10, "-10#柴油", True),
        (GradeCode.D_MINUS_20, "-20#柴油", True),
    ],
)
def test_standard_grades(code: GradeCode, name: str, diesel: bool) -> None:
    grade = Grade.standard(code, 742)
    assert grade.name == name
    assert grade.is_diesel is diesel


@pytest.mark.parametrize(
    "fields",
    [
        {"code": "92", "name": "92#汽油", "price_fen": 742},  # a str, not a GradeCode
        {"code": GradeCode.G92, "name": "", "price_fen": 742},
        {"code": GradeCode.G92, "name": "92#汽油", "price_fen": 0},
        {"code": GradeCode.G92, "name": "92#汽油", "price_fen": -742},
        {"code": GradeCode.G92, "name": "92#汽油", "price_fen": 7.42},
    ],
)
def test_grade_refuses_bad_values(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidValue):
        Grade(**fields)  # type: ignore[arg-type]


def test_grade_from_wire_round_trips() -> None:
    raw = {"code": "0", "name": "0#柴油", "price_fen": 715}
    grade = Grade.from_wire(raw)
    assert grade == Grade(GradeCode.D0, "0#柴油", 715)
    assert grade.to_wire() == raw


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        {"code": "93", "name": "93#汽油", "price_fen": 742},
        {"code": 92, "name": "92#汽油", "price_fen": 742},
        {"code": "92", "name": "92#汽油"},
        {"code": "92", "name": "92#汽油", "price_fen": "742"},
        {"code": "92", "name": "92#汽油", "price_fen": True},
    ],
)
def test_grade_from_wire_refuses_bad_input_with_invalid_value(raw: object) -> None:
    with pytest.raises(InvalidValue):
        Grade.from_wire(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-21T14:02:03.120+00:00", datetime(2026, 11, 21, 14, 2, 3, 120_000, tzinfo=UTC)),
        ("2026-11-21T22:02:03+08:00", datetime(2026, 11, 21, 14, 2, 3, tzinfo=UTC)),
        ("2026-11-21T14:02:03Z", datetime(2026, 11, 21, 14, 2, 3, tzinfo=UTC)),
        ("2026-11-21t14:02:03z", datetime(2026, 11, 21, 14, 2, 3, tzinfo=UTC)),
        ("2026-11-21T14:02:03.123456789Z", datetime(2026, 11, 21, 14, 2, 3, 123_456, tzinfo=UTC)),
        ("2026-11-21 10:32:03.5-03:30", datetime(2026, 11, 21, 14, 2, 3, 500_000, tzinfo=UTC)),
    ],
)
def test_parse_rfc3339_gives_utc(text: str, expected: datetime) -> None:
    parsed = parse_rfc3339(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-21T14:02:03",  # no offset: naive
        "2026-11-21",
        "20261121T140203Z",
        "2026-13-21T14:02:03Z",
        "2026-11-21T25:02:03Z",
        "2026-02-30T14:02:03Z",
        "yesterday",
        "",
        "2026-11-21T14:02:03+0800",
    ],
)
def test_parse_rfc3339_refuses_naive_or_malformed_times(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_rfc3339(text)


def test_format_rfc3339_uses_utc_and_round_trips() -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 21, 22, 2, 3, 120_000, tzinfo=beijing)
    assert format_rfc3339(moment) == "2026-11-21T14:02:03.120+00:00"
    precise = moment.replace(microsecond=120_001)
    assert parse_rfc3339(format_rfc3339(precise)) == precise
    with pytest.raises(InvalidValue):
        format_rfc3339(datetime(2026, 11, 21, 14, 0))
