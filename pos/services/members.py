"""Member lookup (会员查询): by full phone number, its last four digits, or the member card number.

Asks the backend first; when the backend cannot answer (offline, timing out, failing), answers from the
till's member cache and says so, with the time the cache last heard from the backend, so the cashier
knows how old the wallet balance and coupons may be. Last-four searches may match several members: the
result lists them all for the cashier to pick (disambiguation), never a guess.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pos.domain.errors import InvalidValue, PosError
from pos.domain.member import is_cn_mobile
from pos.services.ports import (
    MemberCacheDirectory,
    MemberDirectory,
    MemberQuery,
    MemberQueryKind,
    MemberRecord,
)

log = logging.getLogger(__name__)

_SUFFIX = re.compile(r"[0-9]{4}", re.ASCII)
_CARD_NO = re.compile(r"[0-9A-Za-z]{6,20}", re.ASCII)


class MemberSource(StrEnum):
    BACKEND = "backend"
    CACHE = "cache"


def parse_member_query(text: str) -> MemberQuery:
    """What the cashier typed: 11-digit mobile, last four digits, or a card number (6..20 letters/digits)."""
    value = text.strip().replace(" ", "").replace("-", "")
    if is_cn_mobile(value):
        return MemberQuery(MemberQueryKind.PHONE, value)
    if _SUFFIX.fullmatch(value):
        return MemberQuery(MemberQueryKind.PHONE_SUFFIX, value)
    if _CARD_NO.fullmatch(value):
        return MemberQuery(MemberQueryKind.CARD_NO, value.upper())
    raise InvalidValue(
        "请输入手机号、手机后四位或会员卡号 / Enter a mobile number, its last four digits or a card number",
        {"field": "member_query"},
    )


@dataclass(frozen=True, slots=True)
class MemberLookupResult:
    query: MemberQuery
    records: Sequence[MemberRecord]
    source: MemberSource
    # For cache answers: when the cache last heard from the backend (None: never synced).
    as_of: datetime | None = None
    # For cache answers: the code of the backend failure that sent us to the cache.
    fallback_reason: str = ""

    @property
    def from_cache(self) -> bool:
        return self.source is MemberSource.CACHE

    @property
    def needs_choice(self) -> bool:
        """Several members match (typically four digits): the cashier picks one."""
        return len(self.records) > 1

    def age(self, now: datetime) -> timedelta | None:
        return None if self.as_of is None else max(timedelta(0), now - self.as_of)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MemberLookup:
    """Online first, the cache when the backend cannot answer; copies found online refresh the cache."""

    def __init__(
        self,
        backend: MemberDirectory | None,
        cache: MemberCacheDirectory,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._backend = backend  # None: a till that is never online (tests, training without backend)
        self._cache = cache
        self._clock = clock

    def lookup(self, text: str) -> MemberLookupResult:
        """Parse ``text`` and search; InvalidValue for input that is no phone, suffix or card number."""
        return self.search(parse_member_query(text))

    def search(self, query: MemberQuery) -> MemberLookupResult:
        reason = "no_backend"
        if self._backend is not None:
            try:
                records = self._backend.search_members(query)
            except PosError as error:
                reason = error.code
                log.info(
                    "member search %s online failed (%s): answering from the cache", query.masked, reason
                )
            else:
                self._refresh_cache(records)
                return MemberLookupResult(query, records, MemberSource.BACKEND, self._clock())
        records, as_of = self._cache.search_members_as_of(query)
        return MemberLookupResult(query, records, MemberSource.CACHE, as_of, reason)

    def _refresh_cache(self, records: Sequence[MemberRecord]) -> None:
        try:
            self._cache.remember_members(records)
        except PosError as error:  # the answer is good even if the copy could not be kept
            log.warning("could not keep members found online in the cache: %s", error.code)
