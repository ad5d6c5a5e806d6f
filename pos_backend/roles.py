"""The role matrix (issue 4), one place for the backend to ask "may this role do that?".

attendant: write-offs only. cashier: sales, members, write-offs. manager: everything a cashier does, and
voids, refunds, shift handover, reports. support: settings and diagnostics, never money.

``ROUTE_PERMISSIONS`` names what every route of the API needs; a test walks the application's routes and
refuses any route missing from it, then checks each role against each route over HTTP.
"""

from __future__ import annotations

from pos.domain.roles import Permission as Permission  # re-exported: routes name what they need from here
from pos.domain.roles import Role, may
from pos_backend.errors import ApiError

# The matrix itself lives in the domain, shared with the till's screens: one table, enforced on both sides.
P = Permission
ROLES = tuple(role.value for role in Role)


def require_permission(role: str, permission: Permission) -> None:
    """``403 role_forbidden`` unless ``role`` may do ``permission``."""
    if not may(role, permission):
        raise ApiError(
            403,
            "role_forbidden",
            "当前岗位无权执行此操作 / Your role may not do this",
            {"role": role, "needs": permission.value},
        )


# How each route is authorised. DEVICE: the device token alone (pairing, reads that feed the till's
# cache and offline sign-in). A Permission: the staff of X-Staff-Session, or for outbox routes the staff
# named by ``staff_no`` in the body, must hold it.
DEVICE = None
ROUTE_PERMISSIONS: dict[tuple[str, str], Permission | None] = {
    ("GET", "/api/v1/health"): DEVICE,
    ("POST", "/api/v1/tills/pair"): DEVICE,
    ("POST", "/api/v1/staff/sessions"): DEVICE,
    ("DELETE", "/api/v1/staff/sessions/current"): DEVICE,
    ("GET", "/api/v1/staff/verifiers"): DEVICE,
    ("GET", "/api/v1/station/snapshot"): DEVICE,
    ("GET", "/api/v1/station/events"): DEVICE,
    ("GET", "/api/v1/members/search"): DEVICE,
    ("GET", "/api/v1/members/changes"): DEVICE,
    ("GET", "/api/v1/sales"): DEVICE,
    ("POST", "/api/v1/batch"): DEVICE,  # each item is checked as if sent alone
    ("GET", "/api/v1/pickups"): DEVICE,
    ("GET", "/api/v1/shifts/current"): DEVICE,
    ("POST", "/api/v1/transactions/{txn_id}/lock"): P.SELL,
    ("POST", "/api/v1/transactions/{txn_id}/unlock"): P.SELL,
    ("POST", "/api/v1/transactions/{txn_id}/clear"): P.SELL,
    ("POST", "/api/v1/transactions/{txn_id}/void"): P.VOID,
    ("POST", "/api/v1/sales"): P.SELL,
    ("POST", "/api/v1/sales/{sale_id}/refund"): P.REFUND,
    ("POST", "/api/v1/orders/{order_id}/complete"): P.SELL,
    ("POST", "/api/v1/orders/{order_id}/refund-request"): P.SELL,
    ("POST", "/api/v1/orders/{order_id}/rebind"): P.SELL,
    ("GET", "/api/v1/audit"): P.REPORTS,
    ("POST", "/api/v1/shifts/open"): P.HANDOVER,
    ("POST", "/api/v1/shifts/current/cut"): P.HANDOVER,
    ("POST", "/api/v1/shifts/{shift_id}/close"): P.HANDOVER,
    ("GET", "/api/v1/shifts"): P.REPORTS,
    ("GET", "/api/v1/shifts/{shift_id}/report"): P.REPORTS,
    ("GET", "/api/v1/diagnostics"): P.DIAGNOSTICS,
    # the write-off desk (pos_backend/api/writeoffs.py)
    ("GET", "/api/v1/writeoffs"): DEVICE,
    ("GET", "/api/v1/writeoffs/{code}"): DEVICE,
    ("GET", "/api/v1/writeoffs/conflicts"): P.REPORTS,
    ("POST", "/api/v1/writeoffs/{code}/reserve"): P.WRITE_OFF,
    ("DELETE", "/api/v1/writeoffs/{code}/reservation"): P.WRITE_OFF,
    ("POST", "/api/v1/writeoffs/{code}/redeem"): P.WRITE_OFF,
}
# Outbox routes: the role is that of the staff named by ``staff_no`` in the body, not of a session.
OUTBOX_ROUTES = frozenset(
    {
        ("POST", "/api/v1/sales"),
        ("POST", "/api/v1/sales/{sale_id}/refund"),
        ("POST", "/api/v1/shifts/{shift_id}/close"),
        ("POST", "/api/v1/writeoffs/{code}/redeem"),
    }
)
