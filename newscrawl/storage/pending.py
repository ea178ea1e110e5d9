"""Pending requests: those that failed on every domain of their site, retried first next run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newscrawl.storage.base import StoreBase, now


@dataclass(frozen=True)
class PendingRequest:
    """A request that failed on every domain of its site, to retry first next time."""

    url: str
    classes: list[str]
    """Failure classes seen on its last attempt (e.g. "dns", "seized"), sorted."""
    attempts: int
    first_failed: datetime
    last_failed: datetime
    site: str = ""


class PendingStore(StoreBase):
    def add_pending(self, run_id: int | None, site: str, url: str, classes: Sequence[str]) -> None:
        """Record (or count once more) a request that failed everywhere, with its failure classes."""
        stamp, encoded = now(), json.dumps(sorted(set(classes)))
        with self.transaction() as cur:  # an upsert: another crawler may record it at once
            cur.execute(self.sql("INSERT INTO pending (site, url, classes, first_failed, last_failed, "
                                 "run_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                                 "classes = excluded.classes, attempts = pending.attempts + 1, "
                                 "last_failed = excluded.last_failed, run_id = excluded.run_id, "
                                 "resolved_at = NULL"),
                        (site, url, encoded, stamp, stamp, run_id))

    def pending(self, site: str | None = None) -> list[PendingRequest]:
        """The site's (``None``: every site's) unresolved pending requests, oldest first."""
        where, params = ("site = ? AND ", (site,)) if site else ("", ())
        with self.read() as cur:
            cur.execute(self.sql("SELECT url, classes, attempts, first_failed, last_failed, site "
                                 f"FROM pending WHERE {where}resolved_at IS NULL ORDER BY id"), params)
            rows = cur.fetchall()
        return [PendingRequest(str(url), list(json.loads(classes)), int(attempts),
                               datetime.fromisoformat(first), datetime.fromisoformat(last), str(name))
                for url, classes, attempts, first, last, name in rows]

    def resolve_pending(self, urls: str | Sequence[str]) -> None:
        """Mark a URL (or several) done: fetched at last, or gone for good."""
        batch = [urls] if isinstance(urls, str) else list(urls)
        stamp = now()
        with self.transaction() as cur:
            cur.executemany(self.sql("UPDATE pending SET resolved_at = ? "
                                     "WHERE url = ? AND resolved_at IS NULL"),
                            [(stamp, url) for url in batch])
