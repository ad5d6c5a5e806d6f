"""The one error type staff ever see, and the domain's refusal of invalid values."""

from __future__ import annotations

from typing import Any


class PosError(Exception):
    """An error meant for a person: a short title, what to do next, and a stable code.

    Library exceptions (requests, SQLAlchemy, escpos, OpenCV) are translated into this at the
    boundary where they occur, so nothing above an adapter handles a foreign exception type.
    """

    def __init__(self, code: str, title: str, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {title}: {message}")
        self.code = code
        self.title = title
        self.message = message
        self.detail = detail or {}


class InvalidValue(PosError, ValueError):
    """A value the domain refuses at construction (negative money, seven-digit code...)."""

    def __init__(self, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__("invalid_value", "无效的数据 / Invalid value", message, detail)


class IllegalTransition(PosError):
    """A state change the state model does not allow.

    Refusals with their own stable code in the REST contract (``transaction_locked``,
    ``code_already_redeemed``...) are subclasses that pass ``code``, a more precise ``message`` and extra
    ``detail``; catching IllegalTransition still catches them all.
    """

    def __init__(
        self,
        what: str,
        current: str,
        target: str,
        *,
        code: str = "illegal_transition",
        message: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            code,
            "操作与当前状态不符 / Not allowed now",
            message or f"{what} cannot go from {current} to {target}.",
            {"from": current, "to": target, **(detail or {})},
        )
        self.current = current
        self.target = target
