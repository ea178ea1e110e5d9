"""Versioned schema: each component owns a list of migrations, applied in order on open.

A migration is a list of steps; a step is SQL written once with ``{id}`` (auto-increment
primary key), ``{bigint}`` and ``{blob}`` markers each backend fills in, or a function
``step(store, cursor)`` for data the SQL cannot compute. Another component (the availability
monitor) adds its own tables by registering its own migration list under its own name.

Core schema, version 8:

- ``runs``: one row per crawl (site, started_at, finished_at, settings JSON with credentials
  masked, counts JSON, outcome, pid and host of the crawl's process), per worker in a
  distributed crawl, whose id (``crawl``) its workers' rows share.
- ``articles``: one row per canonical URL (unique): site, mirror, headline, published_at, the
  latest revision's fields as JSON (``data``), ``content_hash`` (exact fingerprint),
  ``signature`` (MinHash), ``revision``, ``article_key`` (the site's id of the article: a
  renamed URL is the same row), ``first_seen``, ``last_seen``, ``run_id``.
- ``revisions``: every version of every article (article_id, revision, data, content_hash,
  fetched_at, run_id); revision 1 is the first one stored.
- ``near_keys``: the MinHash band keys of each article (near-duplicate candidates).
- ``pending``: requests that failed on every domain (site, url, failure classes JSON,
  attempts, first_failed, last_failed, resolved_at).
- ``duplicates``: articles not stored because a stored article of the site has the same
  (``kind`` duplicate) or nearly the same body (near_duplicate): site, url (unique), kind,
  matched_id (the stored article), similarity, first_seen, last_seen, run_id.
- ``article_key_patterns``: per site, the article pattern the stored ``article_key`` values
  were computed with (``newscrawl.storage.keys``: recomputed when a crawl opens with another).
- ``schema_versions``: per component, the version applied.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

Step = str | Callable[[Any, Any], None]
Migration = Sequence[Step]


def _each_article(store: Any, cursor: Any, columns: str) -> Iterator[tuple[Any, ...]]:
    """``id`` and ``columns`` of every stored article, read 500 at a time (constant memory
    however big the store; the caller may write with ``cursor`` between rows)."""
    last = 0
    while True:
        cursor.execute(store.sql(f"SELECT id, {columns} FROM articles WHERE id > ? ORDER BY id LIMIT 500"),
                       (last,))
        rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = int(rows[-1][0])


def _backfill_signatures(store: Any, cursor: Any) -> None:
    """Version 3: MinHash signature and band keys of every article stored before."""
    from newscrawl.storage.nearby import index_keys, signature_of

    for article_id, site, data in _each_article(store, cursor, "site, data"):
        signature = signature_of(str(json.loads(data).get("body", "")))
        cursor.execute(store.sql("UPDATE articles SET signature = ? WHERE id = ?"), (signature, article_id))
        index_keys(store, cursor, int(article_id), str(site), signature)


def _mask_run_settings(store: Any, cursor: Any) -> None:
    """Version 5: credentials masked in the settings of every run stored before."""
    from newscrawl.storage.runs import mask_stored_settings

    mask_stored_settings(store, cursor)


CORE: list[Migration] = [
    # 1: articles and crawl runs
    [
        """CREATE TABLE IF NOT EXISTS runs (
            id {id}, site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
            settings TEXT NOT NULL DEFAULT '{{}}', counts TEXT NOT NULL DEFAULT '{{}}', outcome TEXT)""",
        """CREATE TABLE IF NOT EXISTS articles (
            id {id}, url TEXT NOT NULL UNIQUE, site TEXT NOT NULL, mirror TEXT NOT NULL DEFAULT '',
            headline TEXT NOT NULL DEFAULT '', published_at TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL, content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, run_id INTEGER)""",
        "CREATE INDEX IF NOT EXISTS articles_site_published ON articles (site, published_at)",
        "CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash)",
    ],
    # 2: revisions, paragraph fingerprints (near-duplicates), pending requests
    [
        """CREATE TABLE IF NOT EXISTS revisions (
            id {id}, article_id INTEGER NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL,
            content_hash TEXT NOT NULL, fetched_at TEXT NOT NULL, run_id INTEGER,
            UNIQUE (article_id, revision))""",
        "ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN body_words INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE IF NOT EXISTS paragraphs (
            hash {bigint} NOT NULL, article_id INTEGER NOT NULL, words INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS paragraphs_hash ON paragraphs (hash)",
        "CREATE INDEX IF NOT EXISTS paragraphs_article ON paragraphs (article_id)",
        """INSERT INTO revisions (article_id, revision, data, content_hash, fetched_at, run_id)
           SELECT id, 1, data, content_hash, last_seen, run_id FROM articles""",
        """CREATE TABLE IF NOT EXISTS pending (
            id {id}, site TEXT NOT NULL, url TEXT NOT NULL UNIQUE, classes TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1, first_failed TEXT NOT NULL,
            last_failed TEXT NOT NULL, run_id INTEGER, resolved_at TEXT)""",
        "CREATE INDEX IF NOT EXISTS pending_site ON pending (site, resolved_at)",
    ],
    # 3: MinHash signatures and band keys replace paragraph fingerprints; export order per site
    [
        "DROP TABLE IF EXISTS paragraphs",
        "ALTER TABLE articles DROP COLUMN body_words",
        "ALTER TABLE articles ADD COLUMN signature {blob}",
        """CREATE TABLE IF NOT EXISTS near_keys (
            key {bigint} NOT NULL, article_id INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS near_keys_key ON near_keys (key)",
        "CREATE INDEX IF NOT EXISTS near_keys_article ON near_keys (article_id)",
        "CREATE INDEX IF NOT EXISTS articles_site_id ON articles (site, id)",
        _backfill_signatures,
    ],
    # 4: article keys: the same article under a renamed URL is one row
    [
        "ALTER TABLE articles ADD COLUMN article_key TEXT",
        "CREATE INDEX IF NOT EXISTS articles_site_key ON articles (site, article_key)",
        # the keys of articles stored before: filled in per site when a crawl of it opens
        # (``KeyStore.rekey_articles``), with the site as that crawl defines it
    ],
    # 5: the process of each run (unfinished runs of killed crawls are found); settings masked
    [
        "ALTER TABLE runs ADD COLUMN pid INTEGER",
        "ALTER TABLE runs ADD COLUMN host TEXT",
        _mask_run_settings,
    ],
    # 6: duplicates recorded (shown by newscrawl duplicates, not fetched again)
    [
        """CREATE TABLE IF NOT EXISTS duplicates (
            id {id}, site TEXT NOT NULL, url TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
            matched_id INTEGER NOT NULL, similarity REAL NOT NULL, first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL, run_id INTEGER)""",
        "CREATE INDEX IF NOT EXISTS duplicates_site ON duplicates (site, id)",
    ],
    # 7: per site, the article pattern its stored keys were computed with
    [
        "CREATE TABLE IF NOT EXISTS article_key_patterns (site TEXT PRIMARY KEY, pattern TEXT NOT NULL)",
    ],
    # 8: the distributed crawl a run was one worker of (its runs are shown as one)
    [
        "ALTER TABLE runs ADD COLUMN crawl TEXT",
    ],
]

COMPONENTS: dict[str, list[Migration]] = {"core": CORE}


def register(component: str, migrations: list[Migration]) -> None:
    """Add a component's own migrations (applied, in order, by every store opened later)."""
    COMPONENTS[component] = migrations
