"""Keep this till's lock on the fill being tendered for as long as the tender screen is open.

Commercial terminals hold the lock while the customer looks for their phone; without renewing, a lock
that runs out mid-tender shows the fill as free on every other till, and one of them may take the sale.

A timer renews the lock every ``renewal_interval`` (a third of the time the backend granted), on the
counter's lane: the GUI thread never waits on the network, and the one worker runs a renewal, the settle
and the unlock in the order they were asked for. A renewal the link did not carry is logged by the desk
and tried again at the next tick; one the backend refuses (another till holds the fill, it was settled or
voided) stops the renewals and is reported at once through ``on_lost``. The settle-time rules in the
desk still decide at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QObject, QTimer

from pos.domain.errors import PosError
from pos.services.settlement import SettlementDesk, Settling, renewal_interval
from pos.ui.tasks import Operation, QtTaskRunner

log = logging.getLogger(__name__)


def _ms(interval: timedelta) -> int:
    return max(1, int(interval.total_seconds() * 1000))


class QtLockKeeper(QObject):
    """Renews ``settling``'s lock from ``start()`` until ``stop()``; ``settling`` is always the latest.

    ``paused()`` true skips a tick (a settle is on its way: it checks the lock itself). Work queued on the
    lane after a renewal (the settle) reads ``settling_on_lane()``: the GUI hears a renewal's outcome only
    after the lane has moved on, so a settle queued behind a refused renewal must learn of it there.
    """

    def __init__(
        self,
        desk: SettlementDesk,
        runner: QtTaskRunner,
        settling: Settling,
        lane: str,
        paused: Callable[[], bool],
        on_lost: Callable[[PosError], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settling = settling
        self._lane_settling = settling  # written and read only by work on the lane (one worker, in order)
        self.renewals = 0
        self.failed_renewals = 0  # link down: tried again at the next tick
        self._desk = desk
        self._runner = runner
        self._lane = lane
        self._paused = paused
        self._on_lost = on_lost
        self._active = False
        self._in_flight = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        interval = renewal_interval(self.settling)
        if interval is None:
            return  # no lock to keep (nothing to renew)
        self._active = True
        self._timer.start(_ms(interval))

    def stop(self) -> None:
        """Settled, cancelled or closed: no more renewals; an answer still on its way is ignored."""
        self._active = False
        self._timer.stop()

    def _tick(self) -> None:
        if not self._active or self._in_flight or self._paused():
            return
        self._in_flight = True
        settling = self.settling
        self._runner.run(
            Operation(lambda: self._renew_on_lane(settling), self._renewed, self._refused, self._lane)
        )

    def _renew_on_lane(self, settling: Settling) -> Settling | None:
        try:
            renewed = self._desk.renew(settling)
        except PosError:
            self._lane_settling = settling.mark_lost()  # a settle queued behind asks the backend again
            raise
        if renewed is not None:
            self._lane_settling = renewed
        return renewed

    def settling_on_lane(self) -> Settling:
        """The lock as the lane last knew it; call it only from work running on the keeper's lane."""
        return self._lane_settling

    def _renewed(self, renewed: Settling | None) -> None:
        self._in_flight = False
        if not self._active:
            return
        if renewed is None:
            self.failed_renewals += 1
            return
        self.renewals += 1
        self.settling = renewed
        interval = renewal_interval(renewed)
        if interval is not None:
            self._timer.start(_ms(interval))  # the next tick counts from this grant

    def _refused(self, error: PosError) -> None:
        self._in_flight = False
        if not self._active:
            return
        log.info("lock renewal of %s refused (%s)", self.settling.transaction.id, error.code)
        self.settling = self.settling.mark_lost()
        self.stop()
        self._on_lost(error)
