"""The role matrix as the issue states it, checked cell by cell."""

from __future__ import annotations

import pytest

from pos.domain.errors import PosError
from pos.domain.roles import Permission, Role, may, require

P = Permission
EXPECTED = {
    "attendant": {P.WRITE_OFF},
    "cashier": {P.SELL, P.MEMBERS, P.WRITE_OFF},
    "manager": {P.SELL, P.MEMBERS, P.WRITE_OFF, P.VOID, P.REFUND, P.HANDOVER, P.REPORTS},
    "support": {P.SETTINGS, P.DIAGNOSTICS},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_each_cell_of_the_matrix(role: Role, permission: Permission) -> None:
    assert may(role, permission) is (permission in EXPECTED[role.value])


def test_unknown_role_may_nothing_and_require_names_what_is_missing() -> None:
    assert not any(may("visitor", p) for p in Permission)
    with pytest.raises(PosError) as refused:
        require("attendant", P.REFUND)
    assert refused.value.code == "role_forbidden"
    assert refused.value.detail == {"role": "attendant", "needs": "refund"}
