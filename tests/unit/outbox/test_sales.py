"""SalesRecorder: the sale body is checked with the backend's rules before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from pos.domain.errors import InvalidValue
from pos.services.ports_outbox import OutboxEntry, OutboxState
from pos.services.sales import SaleDiscount, SaleLine, SalesRecorder, Tender
from pos.sync.outbox import StoreOutbox
from pos.sync.store import LocalStore
from tests.unit.outbox.conftest import FakeClock

FUEL = SaleLine("fuel", "3号油枪 92#汽油", 20_000, quantity_ml=26_954)


class MemoryJournal:
    def __init__(self) -> None:
        self.bodies: list[Mapping[str, Any]] = []

    def record_sale(
        self, sale_id: str, created_at: datetime, staff_no: str, body: Mapping[str, Any]
    ) -> OutboxEntry:
        self.bodies.append(body)
        return OutboxEntry(len(self.bodies), "k", "POST", "/api/v1/sales", body, staff_no, created_at,
                           OutboxState.PENDING)  # fmt: skip


def test_a_sale_with_coupon_and_cash_change_gives_the_contract_body(clock: FakeClock) -> None:
    journal = MemoryJournal()
    recorded = SalesRecorder(journal, clock).record(
        "1001",
        [FUEL, SaleLine("goods", "农夫山泉 550ml", 200)],
        [Tender("cash", 20_000)],
        discounts=[SaleDiscount("coupon", "满200减15", 1_500, coupon_id="c-1")],
        change_fen=1_300,
        transaction_id="t-9",
    )
    body = journal.bodies[0]
    assert body["total_fen"] == 18_700 and body["change_fen"] == 1_300
    assert body["sale_id"] == recorded.sale.sale_id and body["transaction_id"] == "t-9"
    assert body["lines"][0] == {
        "kind": "fuel", "description": "3号油枪 92#汽油", "quantity_ml": 26_954, "amount_fen": 20_000
    }  # fmt: skip
    assert body["created_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("tenders", "discounts", "change"),
    [
        ([Tender("card", 19_999)], [], 0),  # short
        ([Tender("card", 20_100)], [], 100),  # change without cash
        ([Tender("cash", 50), Tender("card", 20_000)], [], 60),  # more change than cash taken
        ([Tender("cash", 0)], [SaleDiscount("tier", "钻石", 20_001)], 0),  # discounts exceed the lines
    ],
)
def test_sums_that_do_not_agree_are_refused_before_storing(
    clock: FakeClock, tenders: list[Tender], discounts: list[SaleDiscount], change: int
) -> None:
    journal = MemoryJournal()
    recorder = SalesRecorder(journal, clock)
    with pytest.raises(InvalidValue):
        recorder.record("1001", [FUEL], tenders, discounts=discounts, change_fen=change)
    assert journal.bodies == []


def test_change_from_the_cash_part_of_a_split_tender_is_fine(clock: FakeClock) -> None:
    journal = MemoryJournal()
    tenders = [Tender("cash", 50), Tender("card", 20_000)]
    SalesRecorder(journal, clock).record("1001", [FUEL], tenders, change_fen=50)
    assert journal.bodies[0]["change_fen"] == 50


@pytest.mark.parametrize(
    "build",
    [
        lambda: SaleLine("service", "洗车", 100),
        lambda: SaleLine("goods", "水", -1),
        lambda: Tender("bitcoin", 100),
        lambda: Tender("cash", 1.5),  # type: ignore[arg-type]
        lambda: SaleDiscount("coupon", "x", True),
    ],
)
def test_bad_parts_are_refused(build: Any) -> None:
    with pytest.raises(InvalidValue):
        build()


def test_recording_through_the_store_keeps_sale_and_record_together(
    store: LocalStore, bound: StoreOutbox, clock: FakeClock
) -> None:
    recorded = SalesRecorder(bound, clock).record("1001", [FUEL], [Tender("wechat", 20_000)])
    with store.read() as conn:
        sale_id, outbox_id = conn.exec_driver_sql("SELECT sale_id, outbox_id FROM sales_local").one()
    assert (sale_id, outbox_id) == (recorded.sale.sale_id, recorded.outbox_entry.id)
    assert bound.unsent_and_rejected()[0].body["sale_id"] == sale_id
