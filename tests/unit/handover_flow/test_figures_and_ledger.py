"""The handover's figures: the store's SQL digest, the Python digest of the same bodies and an independent
sum of a generated shift agree; the window puts each sale and fill in exactly one shift."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from pos.domain.grade import GradeCode
from pos.domain.shift_totals import ShiftWindow
from pos.services.handover_figures import digest_fills, digest_sales, totals_from, utc_offset_minutes
from pos.services.handover_ports import FillRecord
from pos.sync.outbox import stamp
from pos.sync.shift_ledger import StoreShiftLedger
from pos.sync.store import LocalStore

START = datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
END = START + timedelta(hours=8)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


def generated_day(seed: int) -> tuple[list[dict[str, Any]], list[FillRecord]]:
    """A day of sales and fills around the window, some on its very edges."""
    rng = random.Random(seed)
    sales, fills = [], []
    for index in range(400):
        at = START + timedelta(seconds=rng.randint(-3_600, 9 * 3_600))
        if index % 50 == 0:
            at = rng.choice((START, END))  # the edges: START belongs before, END inside
        amount = rng.randint(1_000, 60_000)
        method = rng.choice(("cash", "wechat", "card", "wallet"))
        tendered = amount + (rng.randint(0, 3_000) if method == "cash" else 0)
        coupon = [{"kind": "coupon", "description": "满200减15", "amount_fen": 1_500, "coupon_id": "c"}]
        discounts = coupon if amount > 20_000 and index % 3 == 0 else []
        total = amount - sum(d["amount_fen"] for d in discounts)
        tendered = tendered - (amount - total)
        sales.append({
            "sale_id": f"s{index}", "staff_no": "1001", "created_at": at.isoformat(), "transaction_id": None,
            "order_id": None, "member_id": "m1" if index % 4 == 0 else None,
            "lines": [{"kind": "fuel", "description": "x", "quantity_ml": 1, "amount_fen": amount}],
            "discounts": discounts, "tenders": [{"method": method, "amount_fen": tendered}],
            "total_fen": total, "change_fen": tendered - total if method == "cash" else 0,
        })  # fmt: skip
        nozzle = rng.randint(1, 4)
        grade = GradeCode.G92 if nozzle % 2 else GradeCode.G95
        fills.append(FillRecord(f"t{index}", nozzle, grade, rng.randint(5_000, 60_000), amount, at,
                                "o" if index % 7 == 0 else None))  # fmt: skip
    return sales, fills


def independent_sums(sales: list[dict[str, Any]]) -> dict[str, int]:
    inside = [s for s in sales if START < datetime.fromisoformat(s["created_at"]) <= END]
    cash_in = sum(t["amount_fen"] for s in inside for t in s["tenders"] if t["method"] == "cash")
    return {
        "sales": len(inside),
        "cash_net": cash_in - sum(s["change_fen"] for s in inside),
        "takings": sum(s["total_fen"] for s in inside),
        "points": sum(s["total_fen"] // 100 for s in inside if s["member_id"]),
        "coupons": sum(len(s["discounts"]) for s in inside),
    }


def store_sales(store: LocalStore, sales: list[dict[str, Any]]) -> None:
    with store.write() as conn:
        conn.execute(
            text("INSERT INTO sales_local (sale_id, created_at, staff_no, body) VALUES (:id, :at, '1', :b)"),
            [{"id": s["sale_id"], "at": stamp(datetime.fromisoformat(s["created_at"])), "b": json.dumps(s)}
             for s in sales],
        )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_digest_python_digest_and_an_independent_sum_agree(store: LocalStore, seed: int) -> None:
    sales, fills = generated_day(seed)
    store_sales(store, sales)
    ledger = StoreShiftLedger(store)
    ledger.remember_fills(fills)
    window = ShiftWindow(START, END)
    in_sql = ledger.sales_digest(START, END, utc_offset_minutes(SHANGHAI, END))
    in_python = digest_sales(sales, window, SHANGHAI)
    assert in_sql == in_python
    assert ledger.fill_digest(START, END) == digest_fills(fills, window)
    totals = totals_from(window, 50_000, in_sql, ledger.fill_digest(START, END))
    expected = independent_sums(sales)
    prepaid = sum(f.amount_fen for f in fills if f.order_id and START < f.ended_at <= END)
    assert totals.sales == expected["sales"] and totals.points_issued == expected["points"]
    assert totals.coupons_used == expected["coupons"]
    assert totals.cash_expected_fen == 50_000 + expected["cash_net"]
    assert totals.takings_fen == expected["takings"] + prepaid
    assert sum(fen for _, fen in in_sql.hours.items()) == expected["takings"]


def test_consecutive_windows_count_every_sale_and_fill_once(store: LocalStore) -> None:
    sales, fills = generated_day(9)
    store_sales(store, sales)
    ledger = StoreShiftLedger(store)
    ledger.remember_fills(fills)
    cuts = [START - timedelta(hours=2), START, START + timedelta(hours=3), END, END + timedelta(hours=2)]
    digests = [ledger.sales_digest(a, b, 0) for a, b in itertools.pairwise(cuts)]
    assert sum(d.sales for d in digests) == len(sales)
    fill_counts = [
        sum(r[1] for r in ledger.fill_digest(a, b).nozzles.values()) for a, b in itertools.pairwise(cuts)
    ]
    assert sum(fill_counts) == len(fills)
    ids = [{f.id for f in ledger.fills_between(a, b)} for a, b in itertools.pairwise(cuts)]
    assert sum(len(i) for i in ids) == len(set().union(*ids)) == len(fills)
