"""PostgreSQL backend (psycopg 3): for bigger installations and several crawlers at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from newscrawl.dedup.content import BAND_BINS, BINS, BodyPrint
from newscrawl.secrets import mask_url
from newscrawl.storage.articles import SaveOutcome
from newscrawl.storage.base import StoreError
from newscrawl.storage.faults import StoreUnreachable, one_line
from newscrawl.storage.store import Store

SCHEMA_LOCK = 0x6E657773  # "news": advisory lock id serialising migrations
STALE_STATISTICS = ("SELECT n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables "
                    "WHERE relid = to_regclass('near_keys')")
ANALYZE_AFTER, STALE_SHARE = 20_000, 0.2  # near_keys rows changed since the last ANALYZE
BANDS = BINS // BAND_BINS  # near_keys rows per article


class PostgresStore(Store):
    """``postgresql://user:password@host:port/database``."""

    placeholder = "%s"
    markers = {"id": "BIGSERIAL PRIMARY KEY", "bigint": "BIGINT", "blob": "BYTEA",
               "lock": " FOR UPDATE"}  # the row a save reads stays ours until it commits

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:
            raise StoreError("PostgreSQL needs psycopg: pip install 'newscrawl[postgres]'") from None
        self.url = url
        self.name = mask_url(url)
        try:
            self.connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
            # psycopg prepares a statement after 5 runs and PostgreSQL may then keep one generic
            # plan made from the statistics of the moment: a store analysed while nearly empty
            # kept sequential scans as it grew (x5 per item, measured by bench/store.py). Plans
            # made for each call's values stay on the indexes whatever the statistics say.
            self.connection.execute("SET plan_cache_mode = force_custom_plan")
            self.migrate()
            changed, keys = self.connection.execute(STALE_STATISTICS).fetchone() or (0, 0)
            self._changed_keys, self._keys = int(changed), int(keys)
        except psycopg.OperationalError as exc:  # server down, restarting, refusing: may come back
            raise StoreUnreachable(f"{self.name}: cannot open the store ({one_line(exc)})") from None
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: cannot open the store ({one_line(exc)})") from None

    def save_articles(self, run_id: int | None, articles: Sequence[Mapping[str, Any]],
                      prints: Sequence[BodyPrint | None] = ()) -> list[SaveOutcome]:
        """As for every store; then fresh planner statistics once a fifth of the near-duplicate
        keys changed since the last ANALYZE (autovacuum may take minutes, and a first crawl
        starts from an empty store). Changes are counted from the server's statistics at open,
        plus this store's own writes since (the server's counters lag)."""
        outcomes = super().save_articles(run_id, articles, prints)
        self._changed_keys += sum(BANDS for outcome in outcomes if outcome in ("new", "revision"))
        if self._changed_keys > max(ANALYZE_AFTER, STALE_SHARE * self._keys):
            self.connection.execute("ANALYZE articles, near_keys")
            self._keys += self._changed_keys
            self._changed_keys = 0
        return outcomes

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.connection.transaction(), self.connection.cursor() as cursor:
            yield cursor

    @contextmanager
    def read(self) -> Iterator[Any]:
        with self.connection.cursor() as cursor:
            yield cursor

    def _lock_schema(self, cursor: Any) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        with self.connection.transaction(), self.connection.cursor(name="newscrawl_stream") as cursor:
            cursor.itersize = 500
            cursor.execute(self.sql(sql), tuple(params))
            yield from cursor

    def close(self) -> None:
        self.connection.close()

