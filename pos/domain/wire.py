"""Strict reading of the REST contract's JSON objects (docs/api-v1.md) into domain values.

A backend answer that is missing a field, has the wrong type or a time without an offset is refused with
InvalidValue naming the object and the field; no KeyError or TypeError leaks to the caller.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pos.domain.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)

# RFC 3339 date-time: the offset is mandatory, fractions of a second optional.
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})",
    re.ASCII,
)


def parse_rfc3339(text: str) -> datetime:
    """``2026-11-21T14:02:03.120+08:00`` -> an aware datetime in UTC. Refuses anything without an offset."""
    if not isinstance(text, str) or not _RFC3339.fullmatch(text):
        raise InvalidValue(f"not an RFC 3339 time with offset: {text!r}")
    try:  # the shape is checked: Python reads most of RFC 3339 as is, in a tenth of the time below
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass  # lower-case t/z, or a date that does not exist: the long way, which says which
    else:  # "Z" and "+00:00" come back in UTC itself: converting would only copy them
        return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)
    normalised = text.upper().replace(" ", "T")
    date_part, dot, rest = normalised.partition(".")
    if dot:  # Python keeps microseconds: cut nanoseconds rather than refuse them.
        digits = re.match(r"\d+", rest, re.ASCII)
        assert digits is not None  # guaranteed by the pattern above
        normalised = f"{date_part}.{digits.group()[:6].ljust(6, '0')}{rest[digits.end() :]}"
    try:
        parsed = datetime.fromisoformat(normalised)
    except ValueError as exc:  # e.g. month 13, hour 25
        raise InvalidValue(f"not a valid time: {text!r} ({exc})") from None
    return parsed.astimezone(UTC)


def format_rfc3339(moment: datetime) -> str:
    """An aware datetime as RFC 3339 in UTC, milliseconds when they suffice, else microseconds."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValue(f"cannot send a naive time: {moment.isoformat()}")
    utc = moment.astimezone(UTC)
    spec = "milliseconds" if utc.microsecond % 1000 == 0 else "microseconds"
    return utc.isoformat(timespec=spec)


@functools.cache
def _members_by_value(enum: type[E]) -> dict[str, E]:
    """``enum(value)`` as a dict lookup: the enum call goes through its metaclass, ten times slower."""
    return {member.value: member for member in enum}


class WireObject:
    """Typed, checked access to one JSON object; ``what`` names it in messages (``"nozzle"``)."""

    __slots__ = ("_raw", "what")

    def __init__(self, raw: object, what: str) -> None:
        # dict first: what json gives, and an exact-type check costs a fraction of the ABC one
        if not isinstance(raw, dict) and not isinstance(raw, Mapping):
            raise InvalidValue(f"{what} must be a JSON object, got {type(raw).__name__}")
        self._raw: Mapping[str, Any] = raw
        self.what = what

    def _fail(self, key: str, expected: str, value: object) -> InvalidValue:
        return InvalidValue(
            f"{self.what}.{key} must be {expected}, got {value!r}", {"object": self.what, "field": key}
        )

    def _get(self, key: str) -> object:
        if key not in self._raw:
            raise self.missing_field(key)
        return self._raw[key]

    def missing_field(self, key: str) -> InvalidValue:
        return InvalidValue(f"{self.what} has no field {key!r}", {"object": self.what, "field": key})

    # integer() and text() run for every field of every member found offline: they read the mapping
    # themselves rather than through _get, which measurably slows a 20-member answer.

    def integer(self, key: str) -> int:
        raw = self._raw
        if key not in raw:
            raise self.missing_field(key)
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "a whole number", value)
        return value

    def opt_integer(self, key: str) -> int | None:
        return None if self._get(key) is None else self.integer(key)

    def text(self, key: str) -> str:
        raw = self._raw
        if key not in raw:
            raise self.missing_field(key)
        value = raw[key]
        if not isinstance(value, str):
            raise self._fail(key, "a string", value)
        return value

    def opt_text(self, key: str) -> str | None:
        return None if self._get(key) is None else self.text(key)

    def time(self, key: str) -> datetime:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._fail(key, "an RFC 3339 time string", value)
        try:
            return parse_rfc3339(value)
        except InvalidValue:
            raise self._fail(key, "an RFC 3339 time with offset", value) from None

    def opt_time(self, key: str) -> datetime | None:
        return None if self._get(key) is None else self.time(key)

    def choice(self, key: str, enum: type[E]) -> E:
        value = self.text(key)
        members: dict[str, E] = _members_by_value(enum)  # the cache wrapper forgets the type
        found = members.get(value)
        if found is not None:
            return found
        try:  # not a plain value: the enum has the last word (a _missing_ hook), else refuse
            return enum(value)
        except ValueError:
            allowed = "|".join(m.value for m in enum)
            raise self._fail(key, f"one of {allowed}", value) from None

    def opt_choice(self, key: str, enum: type[E]) -> E | None:
        return None if self._get(key) is None else self.choice(key, enum)

    def opt_object(self, key: str) -> WireObject | None:
        value = self._get(key)
        return None if value is None else WireObject(value, f"{self.what}.{key}")
