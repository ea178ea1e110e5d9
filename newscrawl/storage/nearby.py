"""Near-duplicate lookups: MinHash band keys in an indexed table, candidates verified by
their signatures (see ``newscrawl.dedup.content`` for the measured threshold)."""

from __future__ import annotations

from typing import Any

from newscrawl.dedup.content import MIN_BODY_WORDS, band_keys, is_near_duplicate, minhash, words

MAX_CANDIDATES = 32
"""Articles compared per lookup at most: a band shared by more is boilerplate, not a story."""


def signature_of(body: str) -> bytes | None:
    """The body's MinHash signature, or None when it is too short to compare reliably."""
    return minhash(body) if len(words(body)) >= MIN_BODY_WORDS else None


def index_article(store: Any, cursor: Any, article_id: int, site: str, signature: bytes | None) -> None:
    """Store (or replace) an article's signature and band keys."""
    cursor.execute(store.sql("DELETE FROM near_keys WHERE article_id = ?"), (article_id,))
    cursor.execute(store.sql("UPDATE articles SET signature = ? WHERE id = ?"), (signature, article_id))
    if signature is not None:
        cursor.executemany(store.sql("INSERT INTO near_keys (key, article_id) VALUES (?, ?)"),
                           [(key, article_id) for key in band_keys(site, signature)])


def find_near_duplicate(store: Any, cursor: Any, site: str, signature: bytes | None) -> int | None:
    """The id of a stored article of ``site`` whose body is a near-duplicate of the body of
    ``signature``."""
    if signature is None:
        return None
    keys = band_keys(site, signature)
    marks = ", ".join("?" * len(keys))
    cursor.execute(store.sql(
        "SELECT id, signature FROM articles WHERE site = ? AND id IN "
        f"(SELECT DISTINCT article_id FROM near_keys WHERE key IN ({marks}) LIMIT {MAX_CANDIDATES})"),
        (site, *keys))
    for article_id, stored in cursor.fetchall():
        if stored is not None and is_near_duplicate(signature, bytes(stored)):
            return int(article_id)
    return None
