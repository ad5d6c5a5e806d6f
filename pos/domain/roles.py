"""Who may do what: the one role matrix the till's screens and the backend both enforce.

attendant (加油员): write-offs only. cashier (收银员): sales, members, write-offs. manager (店长): what a
cashier does, plus voids, refunds, shift handover and reports. support (技术支持): settings and
diagnostics, never money.
"""

from __future__ import annotations

from enum import StrEnum

from pos.domain.errors import PosError


class Permission(StrEnum):
    SELL = "sell"  # lock, clear, record sales, complete mini-program orders
    MEMBERS = "members"
    WRITE_OFF = "write_off"
    VOID = "void"
    REFUND = "refund"
    HANDOVER = "handover"  # open, cut and close shifts
    REPORTS = "reports"  # shift history and reports, the audit log
    SETTINGS = "settings"
    DIAGNOSTICS = "diagnostics"


class Role(StrEnum):
    ATTENDANT = "attendant"
    CASHIER = "cashier"
    MANAGER = "manager"
    SUPPORT = "support"

    @property
    def label(self) -> str:
        return {"attendant": "加油员", "cashier": "收银员", "manager": "店长", "support": "技术支持"}[
            self.value
        ]


P = Permission
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ATTENDANT: frozenset({P.WRITE_OFF}),
    Role.CASHIER: frozenset({P.SELL, P.MEMBERS, P.WRITE_OFF}),
    Role.MANAGER: frozenset({P.SELL, P.MEMBERS, P.WRITE_OFF, P.VOID, P.REFUND, P.HANDOVER, P.REPORTS}),
    Role.SUPPORT: frozenset({P.SETTINGS, P.DIAGNOSTICS}),
}


def may(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str, permission: Permission) -> None:
    """Refuse with ``role_forbidden`` (the backend's code too) unless ``role`` holds ``permission``."""
    if not may(role, permission):
        raise PosError(
            "role_forbidden",
            "无权操作 / Not allowed",
            "当前岗位无权执行此操作 / Your role may not do this.",
            {"role": role, "needs": permission.value},
        )
