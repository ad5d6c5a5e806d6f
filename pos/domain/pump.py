"""Pumps and nozzles, with the nozzle state model from the architecture note."""

from __future__ import annotations

from enum import StrEnum

from pos.domain.errors import IllegalTransition


class NozzleState(StrEnum):
    OFFLINE = "offline"
    CLOSED = "closed"
    IDLE = "idle"
    CALLING = "calling"  # nozzle lifted (提枪), pump asks for authorisation
    AUTHORIZED = "authorized"  # released by prepay, preset, attendant or a bound app order
    FUELLING = "fuelling"
    SUSPENDED = "suspended"
    PAYABLE = "payable"  # fill finished, not yet paid
    ERROR = "error"


_S = NozzleState
# Any state may drop to offline or error (the controller lost the pump); they come back through idle/closed.
_ALLOWED: dict[NozzleState, frozenset[NozzleState]] = {
    _S.OFFLINE: frozenset({_S.IDLE, _S.CLOSED, _S.ERROR}),
    _S.ERROR: frozenset({_S.IDLE, _S.CLOSED, _S.OFFLINE}),
    _S.CLOSED: frozenset({_S.IDLE, _S.OFFLINE, _S.ERROR}),
    _S.IDLE: frozenset({_S.CALLING, _S.AUTHORIZED, _S.CLOSED, _S.OFFLINE, _S.ERROR}),
    _S.CALLING: frozenset({_S.AUTHORIZED, _S.IDLE, _S.OFFLINE, _S.ERROR}),
    _S.AUTHORIZED: frozenset({_S.FUELLING, _S.CALLING, _S.IDLE, _S.OFFLINE, _S.ERROR}),
    _S.FUELLING: frozenset({_S.SUSPENDED, _S.PAYABLE, _S.OFFLINE, _S.ERROR}),
    _S.SUSPENDED: frozenset({_S.FUELLING, _S.PAYABLE, _S.OFFLINE, _S.ERROR}),
    _S.PAYABLE: frozenset({_S.IDLE, _S.CALLING, _S.OFFLINE, _S.ERROR}),
}


def can_transition(current: NozzleState, target: NozzleState) -> bool:
    return target in _ALLOWED[current]


def check_transition(current: NozzleState, target: NozzleState) -> NozzleState:
    """Return ``target`` if the model allows ``current -> target``, else raise IllegalTransition."""
    if not can_transition(current, target):
        raise IllegalTransition("nozzle", current.value, target.value)
    return target
