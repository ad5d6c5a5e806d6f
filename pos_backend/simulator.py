"""The station simulator: customers at the pumps, mini-program orders, and a simulated second till.

Everything goes through the same forecourt logic as the API, so every change becomes an event. Seeded
(``random.Random(seed)``) and driven by ``step(dt)`` in simulated seconds, so tests are reproducible
without sleeping; ``start()`` ticks it from a real-time thread, ``speed`` times faster than the wall clock.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pos.domain.pump import NozzleState
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.forecourt import (
    authorize,
    can_authorize,
    end_fill,
    nozzles_of_station,
    report_progress,
    set_nozzle_state,
    start_fill,
)
from pos_backend.models import Nozzle, Order
from pos_backend.orders import bind_order, finish_order, set_order_state
from pos_backend.seed import STATION_ID
from pos_backend.sim_orders import prepaid_volume_ml, start_order
from pos_backend.sim_till import SimulatedTill

log = logging.getLogger(__name__)
S = NozzleState

CAR_FLOW_L_PER_MIN = (30.0, 40.0)
TRUCK_FLOW_L_PER_MIN = (40.0, 80.0)
TRUCK_PUMP = 4
ORDER_SHARE = 0.2  # share of customers who prepaid in the mini program
PUMP_OFFLINE_PER_HOUR = 0.3  # per pump: how often the controller loses it for a while
MAX_CALLING_SECONDS = 90.0  # a customer waiting this long for a full pump drives off


@dataclass
class NozzleAgent:
    """What the simulator has planned for one nozzle; the nozzle's state itself lives in the database."""

    number: int
    timer: float = 0.0  # simulated seconds until the next planned action
    waited: float = 0.0
    target_ml: int = 0
    flow_ml_per_s: float = 0.0
    fuelled_s: float = 0.0
    since_progress: float = 0.0
    order_id: str | None = None
    order_fills_up: bool = True


class Simulator:
    def __init__(
        self,
        db: Database,
        seed: int = 7,
        speed: float = 1.0,
        progress_hz: float = 1.0,
        station_id: str = STATION_ID,
        busy: bool = False,
    ) -> None:
        """``busy``: a rush hour for benchmarks. Customers follow each other within seconds, the
        simulated till settles at once and no pump goes offline: nozzles are nearly always fuelling."""
        self._db = db
        self._rng = random.Random(seed)
        self.speed = speed
        self.station_id = station_id
        self.progress_interval = 1.0 / progress_hz
        self.tick_seconds = min(1.0, self.progress_interval)
        self.sim_time = 0.0
        self._agents: dict[int, NozzleAgent] = {}
        self.busy = busy
        self._pause_scale = 0.03 if busy else 1.0
        self._till = SimulatedTill(db, station_id, self._rng, delay_scale=self._pause_scale)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- driving ---------------------------------------------------------------------------------
    def step(self, dt_seconds: float) -> None:
        """Advance simulated time by ``dt_seconds`` in ticks no longer than the progress interval."""
        remaining = dt_seconds
        while remaining > 1e-9:
            tick = min(remaining, self.tick_seconds)
            self._tick(tick)
            remaining -= tick

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="station-simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(self.tick_seconds / self.speed):
            now = time.monotonic()
            try:
                self.step((now - last) * self.speed)
            except Exception:  # keep the station alive: the next tick starts from the database again
                log.exception("simulator tick failed")
            last = now

    # -- one tick --------------------------------------------------------------------------------
    def _tick(self, dt: float) -> None:
        self.sim_time += dt
        with self._db.write() as session:
            # the time is taken inside the write lock: a fill never commits after a shift cut that
            # is later than its ended_at (the cut reads the totalizers under the same lock)
            now = utc_now()
            nozzles = nozzles_of_station(session, self.station_id)
            self._maybe_take_pump_offline(session, nozzles, dt, now)
            for nozzle in nozzles:
                agent = self._agent(nozzle.number)
                agent.timer -= dt
                self._advance(session, agent, nozzle, dt, now)
            self._till.tick(session, self.sim_time, now)

    def _pause(self, low: float, high: float) -> float:
        """A wait between customers, in simulated seconds (shortened in busy mode)."""
        return self._rng.uniform(low, high) * self._pause_scale

    def _agent(self, number: int) -> NozzleAgent:
        if number not in self._agents:  # the first customer arrives within the first minute
            self._agents[number] = NozzleAgent(number, timer=self._pause(2.0, 40.0))
        return self._agents[number]

    def _advance(
        self, session: Session, agent: NozzleAgent, nozzle: Nozzle, dt: float, now: datetime
    ) -> None:
        state = S(nozzle.state)
        if state in (S.IDLE, S.PAYABLE):
            self._free(session, agent, nozzle, now)
        elif state is S.CALLING:
            self._calling(session, agent, nozzle, dt, now)
        elif state is S.AUTHORIZED and agent.timer <= 0:
            self._begin_fill(session, agent, nozzle, now)
        elif state is S.FUELLING:
            self._fuel(session, agent, nozzle, dt, now)
        elif state is S.SUSPENDED and agent.timer <= 0:
            set_nozzle_state(session, nozzle, S.FUELLING, now)
        elif state in (S.OFFLINE, S.CLOSED, S.ERROR) and agent.timer <= 0:
            set_nozzle_state(session, nozzle, S.IDLE, now)
            agent.timer = self._pause(10.0, 60.0)

    def _free(self, session: Session, agent: NozzleAgent, nozzle: Nozzle, now: datetime) -> None:
        """A nozzle hung up: wait for the next customer, or for the one who prepaid."""
        if agent.order_id is not None:
            self._order_customer(session, agent, nozzle, now)
        elif agent.timer <= 0:
            if nozzle.state == S.IDLE and self._rng.random() < ORDER_SHARE:
                agent.order_id, agent.timer = start_order(session, self._rng, nozzle, now)
            else:
                set_nozzle_state(session, nozzle, S.CALLING, now)
                agent.timer, agent.waited = self._rng.uniform(3.0, 10.0), 0.0

    def _calling(
        self, session: Session, agent: NozzleAgent, nozzle: Nozzle, dt: float, now: datetime
    ) -> None:
        agent.waited += dt
        if agent.timer > 0:
            return
        if can_authorize(session, nozzle):
            authorize(session, nozzle, now)
            agent.order_id = None
            self._plan_fill(agent, nozzle, target_ml=None)
        elif agent.waited > MAX_CALLING_SECONDS:  # the pump holds two unpaid fills: the driver leaves
            set_nozzle_state(session, nozzle, S.IDLE, now)
            agent.timer = self._pause(20.0, 90.0)
        else:  # the attendant looks again in a few seconds
            agent.timer = 3.0

    def _order_customer(self, session: Session, agent: NozzleAgent, nozzle: Nozzle, now: datetime) -> None:
        order = session.get(Order, agent.order_id)
        if order is None or order.state != "paid":
            agent.order_id = None
            return
        if agent.timer > 0:
            return
        roll = self._rng.random()
        if roll < 0.03:  # never came: the booking lapses and the payment goes back
            set_order_state(session, order, "cancelled", now, exception="timeout")
        elif roll < 0.07 or nozzle.state != S.IDLE:  # lifted another nozzle than the order's
            set_order_state(session, order, "refund_requested", now, exception="wrong_nozzle")
        else:
            bind_order(session, order, nozzle, now)
            full = prepaid_volume_ml(order.prepaid_fen, nozzle.unit_price_fen)
            agent.order_fills_up = self._rng.random() >= 0.1
            target = full if agent.order_fills_up else int(full * self._rng.uniform(0.6, 0.95))
            self._plan_fill(agent, nozzle, target_ml=target)
            return
        agent.order_id = None
        agent.timer = self._pause(20.0, 90.0)

    def _plan_fill(self, agent: NozzleAgent, nozzle: Nozzle, target_ml: int | None) -> None:
        truck = nozzle.pump_number == TRUCK_PUMP
        low, high = TRUCK_FLOW_L_PER_MIN if truck else CAR_FLOW_L_PER_MIN
        agent.flow_ml_per_s = self._rng.uniform(low, high) * 1000 / 60
        if target_ml is None:
            litres = self._rng.uniform(60.0, 200.0) if truck else self._rng.uniform(15.0, 55.0)
            target_ml = int(litres * 1000)
        agent.target_ml = max(1000, target_ml)
        agent.fuelled_s = 0.0
        agent.timer = self._rng.uniform(2.0, 5.0)  # lifting, opening the tank

    def _begin_fill(self, session: Session, agent: NozzleAgent, nozzle: Nozzle, now: datetime) -> None:
        start_fill(session, nozzle, now)
        agent.since_progress = 0.0
        agent.timer = 0.0
        if agent.order_id is not None and (order := session.get(Order, agent.order_id)) is not None:
            set_order_state(session, order, "fuelling", now)

    def _fuel(self, session: Session, agent: NozzleAgent, nozzle: Nozzle, dt: float, now: datetime) -> None:
        if agent.target_ml <= nozzle.current_volume_ml:
            self._adopt_fill(agent, nozzle)
        agent.fuelled_s += dt
        agent.since_progress += dt
        volume = min(agent.target_ml, int(agent.fuelled_s * agent.flow_ml_per_s))
        if volume >= agent.target_ml:
            nozzle.current_volume_ml = volume
            self._finish_fill(session, agent, nozzle, now)
            return
        if agent.since_progress >= self.progress_interval - 1e-9:
            agent.since_progress = 0.0
            report_progress(session, nozzle, volume, now)
        if self._rng.random() < dt / 3000.0:  # now and then the customer pauses the nozzle
            set_nozzle_state(session, nozzle, S.SUSPENDED, now)
            agent.timer = self._rng.uniform(3.0, 8.0)

    def _adopt_fill(self, agent: NozzleAgent, nozzle: Nozzle) -> None:
        """A fill this simulator did not plan (the backend restarted mid-fill): carry on from the litres the
        pump already shows, instead of ending it at once and wiping its running volume."""
        self._plan_fill(agent, nozzle, None)
        agent.target_ml = max(agent.target_ml, nozzle.current_volume_ml + 2000)
        agent.fuelled_s = nozzle.current_volume_ml / agent.flow_ml_per_s
        agent.order_id = nozzle.order_id

    def _finish_fill(self, session: Session, agent: NozzleAgent, nozzle: Nozzle, now: datetime) -> None:
        order_id = nozzle.order_id
        txn = end_fill(session, nozzle, now)
        if order_id is not None and (order := session.get(Order, order_id)) is not None:
            finish_order(session, order, txn.id, agent.order_fills_up, now)
        agent.order_id = None
        agent.timer = self._pause(20.0, 120.0)

    def _maybe_take_pump_offline(
        self, session: Session, nozzles: list[Nozzle], dt: float, now: datetime
    ) -> None:
        """Rarely the controller loses a quiet pump for a while; its nozzles come back idle."""
        if self._rng.random() >= dt * PUMP_OFFLINE_PER_HOUR * 4 / 3600 or self.busy:
            return
        pump = self._rng.choice(sorted({n.pump_number for n in nozzles}))
        on_pump = [n for n in nozzles if n.pump_number == pump]
        quiet = all(n.state in (S.IDLE, S.PAYABLE) for n in on_pump)
        if not quiet or any(self._agent(n.number).order_id for n in on_pump):
            return
        downtime = self._rng.uniform(20.0, 90.0)
        for nozzle in on_pump:
            set_nozzle_state(session, nozzle, S.OFFLINE, now)
            self._agent(nozzle.number).timer = downtime
        log.info("simulated pump %d offline for %.0f s", pump, downtime)
