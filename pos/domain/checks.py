"""Small validators shared by the domain's ``__post_init__`` methods.

Each raises InvalidValue with a message that names the field and the bad value, so a refusal can be read
in a log or shown to staff without a traceback.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from pos.domain.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)


def require_int(name: str, value: object, minimum: int = 0) -> int:
    """A whole number at least ``minimum``; ``bool`` is refused although Python counts it as an int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{name} must be a whole number, got {value!r}", {"field": name})
    if value < minimum:
        raise InvalidValue(f"{name} must be at least {minimum}, got {value}", {"field": name})
    return value


def require_text(name: str, value: object, max_length: int = 200) -> str:
    """A non-blank string of at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise InvalidValue(f"{name} must be text, got {value!r}", {"field": name})
    if not value or value.isspace():  # what strip() would empty, without building the copy
        raise InvalidValue(f"{name} cannot be blank", {"field": name})
    if len(value) > max_length:
        raise InvalidValue(
            f"{name} is longer than {max_length} characters: {value[:40]!r}...", {"field": name}
        )
    return value


def optional_text(name: str, value: object, max_length: int = 200) -> str | None:
    return None if value is None else require_text(name, value, max_length)


def require_aware(name: str, value: object) -> datetime:
    """A timezone-aware datetime. A naive one is refused: the domain never guesses a zone."""
    if not isinstance(value, datetime):
        raise InvalidValue(f"{name} must be a datetime, got {value!r}", {"field": name})
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(f"{name} must carry a timezone, got naive {value.isoformat()}", {"field": name})
    return value


def optional_aware(name: str, value: object) -> datetime | None:
    return None if value is None else require_aware(name, value)


def require_positive_duration(name: str, value: object) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidValue(f"{name} must be a positive duration, got {value!r}", {"field": name})
    return value


def require_member(name: str, value: object, enum: type[E]) -> E:
    """``value`` must already be a member of ``enum`` (constructors take enums, the wire takes strings)."""
    if not isinstance(value, enum):
        allowed = ", ".join(m.value for m in enum)
        raise InvalidValue(f"{name} must be one of {allowed}, got {value!r}", {"field": name})
    return value


def require_order(earlier_name: str, earlier: datetime, later_name: str, later: datetime) -> None:
    if later < earlier:
        raise InvalidValue(
            f"{later_name} ({later.isoformat()}) is before {earlier_name} ({earlier.isoformat()})",
            {"field": later_name},
        )
