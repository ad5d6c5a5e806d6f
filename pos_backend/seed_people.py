"""Seeded members with coupons, and mall pickup orders with their six-digit write-off codes."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from pos_backend.counters import MEMBER_VERSION, reserve
from pos_backend.models import Coupon, Member, PickupOrder, PickupOrderItem, WriteoffCode

MEMBER_COUNT = 300
PICKUP_ORDER_COUNT = 20
# mobile number prefixes in use (China Mobile, Unicom, Telecom)
_PHONE_HEADS = (("13", "012356789"), ("15", "01235689"), ("17", "7"), ("18", "012356789"), ("19", "9"))
PHONE_PREFIXES = [head + tail for head, tails in _PHONE_HEADS for tail in tails]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
_GIVEN_NAMES = "伟 芳 娜 敏 静 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚"
_GIVEN_NAMES_2 = "桂英 建华 志强 晓东 海燕 丽 鑫 婷 浩然 子涵"
GIVEN = [*_GIVEN_NAMES.split(), *_GIVEN_NAMES_2.split()]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on Chinese plates
# (tier, minimum cumulative top-up in fen) per DOMAIN.md, highest first
TIERS = [("diamond", 500_000), ("gold", 300_000), ("silver", 100_000), ("regular", 0)]
TIER_PRICE_PERCENT = {"diamond": 88, "gold": 92, "silver": 95, "regular": 100}
MALL_ITEMS = [  # (sku, name, list price in fen)
    ("SKU-W550", "农夫山泉 550ml", 200),
    ("SKU-N001", "康师傅红烧牛肉面", 450),
    ("SKU-RB01", "红牛 250ml", 600),
    ("SKU-GL2L", "玻璃水 -25℃ 2L", 1500),
    ("SKU-MO4L", "美孚1号 0W-40 4L", 42800),
    ("SKU-TIS3", "车载纸巾 3盒", 1990),
    ("SKU-DV01", "德芙巧克力 252g", 3990),
    ("SKU-WASH", "精致洗车券", 3000),
    ("SKU-RICE", "五常大米 5kg", 6990),
    ("SKU-OIL5", "金龙鱼食用油 5L", 7990),
]


def seed_members_and_pickups(session: Session, rng: random.Random, now: datetime, station_id: str) -> None:
    members = [_member(rng, now, index) for index in range(MEMBER_COUNT)]
    first_version = reserve(session, MEMBER_VERSION, len(members))
    for offset, member in enumerate(members):
        member.version = first_version + offset
    session.add_all(members)
    session.flush()
    for member in members:
        session.add_all(_coupons_for(rng, member, now))
    used_codes: set[str] = set()
    for index in range(PICKUP_ORDER_COUNT):
        member = rng.choice(members)
        order = _pickup_order(rng, member, now, station_id, index)
        session.add(order)
        session.flush()
        session.add(_writeoff_code(rng, order, now, station_id, used_codes))


def tier_for_topup(cumulative_topup_fen: int) -> str:
    return next(tier for tier, minimum in TIERS if cumulative_topup_fen >= minimum)


def _unique_phone(rng: random.Random, index: int) -> str:
    # the index in the last digits keeps the 300 numbers distinct without retry loops
    return f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 999):03d}{rng.randint(0, 9)}{index:04d}"


def _plate(rng: random.Random) -> str:
    province = rng.choice("粤粤粤粤湘赣桂闽")
    if rng.random() < 0.2:  # new-energy plates carry six characters, starting with D or F
        return f"{province}{rng.choice('BBBAS')}·{rng.choice('DF')}{rng.randint(10000, 99999)}"
    tail = "".join(rng.choice("0123456789" * 3 + PLATE_LETTERS) for _ in range(5))
    return f"{province}{rng.choice('BBBBAESL')}·{tail}"


def _member(rng: random.Random, now: datetime, index: int) -> Member:
    topup = rng.choice([0, 0, 20_000, 50_000, 80_000]) + rng.randint(0, 60) * 10_000
    tier = tier_for_topup(topup)
    joined = now - timedelta(days=rng.randint(1, 900))
    today = now.date()
    return Member(
        card_no=f"8860{index + 1:06d}{rng.randint(10, 99)}",
        phone=_unique_phone(rng, index),
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        tier=tier,
        tier_expires_at=None if tier == "regular" else now + timedelta(days=rng.randint(5, 365)),
        cumulative_topup_fen=topup,
        wallet_fen=min(topup, rng.randint(0, 120_000) // 100 * 100),
        points=rng.randint(0, 12_000),
        plate=_plate(rng) if rng.random() < 0.9 else None,
        birthday=date(today.year - rng.randint(20, 65), rng.randint(1, 12), rng.randint(1, 28)),
        joined_at=joined,
        updated_at=now,
    )


def _coupon(
    member: Member,
    title: str,
    kind: str,
    threshold: int,
    discount: int,
    start: datetime,
    days: int,
    grade: str | None = None,
) -> Coupon:
    return Coupon(
        member_id=member.id,
        title=title,
        kind=kind,
        threshold_fen=threshold,
        discount_fen=discount,
        grade_code=grade,
        valid_from=start,
        valid_to=start + timedelta(days=days),
        state="available",
    )


def _coupons_for(rng: random.Random, member: Member, now: datetime) -> list[Coupon]:
    coupons = []
    if now - member.joined_at < timedelta(days=60):  # new members get two 满200减15 fuel coupons
        coupons += [
            _coupon(member, "满200减15", "new_member", 20_000, 1_500, member.joined_at, 90) for _ in "xx"
        ]
    if rng.random() < 0.35:  # this month's member day
        grade = rng.choice([None, None, "92", "95"])
        coupons.append(
            _coupon(
                member, "会员日满300减30", "member_day", 30_000, 3_000, now - timedelta(days=3), 30, grade
            )
        )
    if member.birthday is not None and member.birthday.month == now.month:
        coupons.append(_coupon(member, "生日月满500减50", "birthday", 50_000, 5_000, now.replace(day=1), 31))
    return coupons


def _pickup_order(
    rng: random.Random, member: Member, now: datetime, station_id: str, index: int
) -> PickupOrder:
    created = now - timedelta(hours=rng.randint(1, 96), minutes=rng.randint(0, 59))
    order = PickupOrder(
        order_no=f"SC{created:%Y%m%d}{index + 1:05d}",
        station_id=station_id,
        member_id=member.id,
        state="awaiting_pickup",
        total_fen=0,
        created_at=created,
    )
    percent = TIER_PRICE_PERCENT[member.tier]
    for sku, name, list_price in rng.sample(MALL_ITEMS, rng.randint(1, 3)):
        price = (list_price * percent + 50) // 100
        item = PickupOrderItem(sku=sku, name=name, quantity=rng.randint(1, 3), unit_price_fen=price)
        order.items.append(item)
        order.total_fen += item.quantity * price
    return order


def _writeoff_code(
    rng: random.Random, order: PickupOrder, now: datetime, station_id: str, used: set[str]
) -> WriteoffCode:
    code = f"{rng.randint(0, 999_999):06d}"
    while code in used:
        code = f"{rng.randint(0, 999_999):06d}"
    used.add(code)
    return WriteoffCode(
        code=code,
        station_id=station_id,
        kind="pickup",
        pickup_order_id=order.id,
        state="issued",
        issued_at=order.created_at,
        expires_at=order.created_at + timedelta(days=7),
    )
