"""Pending requests (failed on every domain) and the counts ``newscrawl stats`` prints."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newscrawl.storage.base import StoreBase, now

STATS_QUERIES = {
    "sites": "SELECT site, COUNT(*), SUM(CASE WHEN revision > 1 THEN 1 ELSE 0 END) "
             "FROM articles GROUP BY site ORDER BY site",
    "days": "SELECT site, substr(published_at, 1, 10) AS day, COUNT(*) FROM articles "
            "GROUP BY site, day ORDER BY site, day",
    "mirrors": "SELECT site, mirror, COUNT(*) FROM articles GROUP BY site, mirror ORDER BY site, mirror",
    "pending": "SELECT site, COUNT(*) FROM pending WHERE resolved_at IS NULL GROUP BY site ORDER BY site",
}


@dataclass(frozen=True)
class PendingRequest:
    """A request that failed on every domain of its site, to retry first next time."""

    url: str
    classes: list[str]
    attempts: int
    first_failed: str
    last_failed: str


class PendingStore(StoreBase):
    def add_pending(self, run_id: int | None, site: str, url: str, classes: Sequence[str]) -> None:
        """Record (or count once more) a request that failed everywhere, with its failure classes."""
        stamp, encoded = now(), json.dumps(sorted(set(classes)))
        with self.transaction() as cur:
            if self._one(cur, "SELECT 1 FROM pending WHERE url = ?", (url,)):
                cur.execute(self.sql("UPDATE pending SET classes = ?, attempts = attempts + 1, "
                                     "last_failed = ?, run_id = ?, resolved_at = NULL WHERE url = ?"),
                            (encoded, stamp, run_id, url))
            else:
                cur.execute(self.sql("INSERT INTO pending (site, url, classes, first_failed, "
                                     "last_failed, run_id) VALUES (?, ?, ?, ?, ?, ?)"),
                            (site, url, encoded, stamp, stamp, run_id))

    def pending(self, site: str) -> list[PendingRequest]:
        """The site's unresolved pending requests, oldest first."""
        with self.transaction() as cur:
            cur.execute(self.sql("SELECT url, classes, attempts, first_failed, last_failed FROM pending "
                                 "WHERE site = ? AND resolved_at IS NULL ORDER BY id"), (site,))
            rows = cur.fetchall()
        return [PendingRequest(u, json.loads(c), int(a), f, last) for u, c, a, f, last in rows]

    def resolve_pending(self, urls: Sequence[str]) -> None:
        """Mark these URLs done (fetched at last)."""
        with self.transaction() as cur:
            for url in urls:
                cur.execute(self.sql("UPDATE pending SET resolved_at = ? "
                                     "WHERE url = ? AND resolved_at IS NULL"), (now(), url))

    def stats(self) -> dict[str, list[tuple[Any, ...]]]:
        """Counts per site (articles, revised), per site and day, per site and mirror; pending."""
        with self.transaction() as cur:
            result = {}
            for name, sql in STATS_QUERIES.items():
                cur.execute(self.sql(sql))
                result[name] = [tuple(row) for row in cur.fetchall()]
        return result
