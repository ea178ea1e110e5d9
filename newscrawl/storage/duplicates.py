"""Duplicates recorded: an article dropped as an exact or near-duplicate of a stored one keeps
a row (its URL, the stored article it matched, the similarity), so that it is shown
(``newscrawl duplicates``) and not fetched again by the next run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newscrawl.storage.base import StoreBase

RECORD_DUPLICATE = ("INSERT INTO duplicates (site, url, kind, matched_id, similarity, first_seen, last_seen, "
                    "run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "kind = excluded.kind, matched_id = excluded.matched_id, "
                    "similarity = excluded.similarity, last_seen = excluded.last_seen, "
                    "run_id = excluded.run_id")
"""An upsert: another writer may record the same duplicate at once."""


@dataclass(frozen=True)
class DuplicateRecord:
    """An article not stored because a stored article of its site has the same body (``kind``
    ``duplicate``, similarity 1.0) or nearly (``near_duplicate``, the estimated similarity)."""

    site: str
    url: str
    kind: str
    matched_url: str
    similarity: float
    first_seen: str
    last_seen: str


def record_duplicate(store: Any, cur: Any, run_id: int | None, site: str, url: str, kind: str,
                     matched_id: int, similarity: float, stamp: str) -> None:
    """Insert or refresh the row of a dropped duplicate (inside the batch's transaction)."""
    cur.execute(store.sql(RECORD_DUPLICATE), (site, url, kind, matched_id, round(similarity, 4), stamp,
                                              stamp, run_id))


class DuplicateStore(StoreBase):
    def duplicates(self, site: str | None = None) -> list[DuplicateRecord]:
        """Recorded duplicates of a site (``None``: of every site), oldest first."""
        where, params = ("WHERE d.site = ? ", (site,)) if site else ("", ())
        with self.read() as cur:
            cur.execute(self.sql("SELECT d.site, d.url, d.kind, COALESCE(a.url, ''), d.similarity, "
                                 "d.first_seen, d.last_seen FROM duplicates d "
                                 f"LEFT JOIN articles a ON a.id = d.matched_id "
                                 f"{where}ORDER BY d.id"), params)
            rows = cur.fetchall()
        return [DuplicateRecord(str(s), str(u), str(k), str(m), float(sim), str(f), str(last))
                for s, u, k, m, sim, f, last in rows]
