"""Near-duplicate lookups: MinHash band keys in an indexed table, candidates verified by
their signatures (see ``newscrawl.dedup.content`` for the measured threshold)."""

from __future__ import annotations

from typing import Any

from newscrawl.dedup.content import NEAR_DUPLICATE_SIMILARITY, band_keys, body_print, similarity

MAX_CANDIDATES = 32
"""Articles compared per lookup at most: a band shared by more is boilerplate, not a story."""


def signature_of(body: str) -> bytes | None:
    """The body's MinHash signature, or None when it is too short to compare reliably."""
    return body_print(body).signature


def index_keys(store: Any, cursor: Any, article_id: int, site: str, signature: bytes | None,
               *, replace: bool = False) -> None:
    """Store an article's band keys (``replace``: drop those of its previous revision)."""
    if replace:
        cursor.execute(store.sql("DELETE FROM near_keys WHERE article_id = ?"), (article_id,))
    keys = band_keys(site, signature) if signature is not None else []
    if keys:
        rows = ", ".join(["(?, ?)"] * len(keys))
        cursor.execute(store.sql(f"INSERT INTO near_keys (key, article_id) VALUES {rows}"),
                       [value for key in keys for value in (key, article_id)])


def find_near_duplicate(store: Any, cursor: Any, site: str, signature: bytes | None,
                        threshold: float = NEAR_DUPLICATE_SIMILARITY) -> tuple[int, float] | None:
    """The id and similarity of the stored article of ``site`` closest to the body of
    ``signature``, when at least ``threshold`` (near-duplicate). Two indexed lookups (band
    keys, then candidates by id), whatever the store's size."""
    if signature is None:
        return None
    keys = band_keys(site, signature)
    marks = ", ".join("?" * len(keys))
    cursor.execute(store.sql(f"SELECT article_id FROM near_keys WHERE key IN ({marks}) "
                             f"LIMIT {MAX_CANDIDATES * len(keys)}"), keys)
    candidates = list(dict.fromkeys(int(row[0]) for row in cursor.fetchall()))[:MAX_CANDIDATES]
    if not candidates:
        return None
    marks = ", ".join("?" * len(candidates))
    cursor.execute(store.sql(f"SELECT id, signature FROM articles WHERE site = ? AND id IN ({marks})"),
                   (site, *candidates))
    scored = [(similarity(signature, bytes(stored)), int(article_id))
              for article_id, stored in cursor.fetchall() if stored is not None]
    best = max(scored, default=None)
    return (best[1], best[0]) if best is not None and best[0] >= threshold else None
