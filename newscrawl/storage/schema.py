"""Versioned schema: each component owns a list of migrations, applied in order on open.

SQL is written once with ``{id}`` (auto-increment primary key) and ``{bigint}`` markers that
each backend fills in. Another component (the availability monitor) adds its own tables by
registering its own migration list under its own name.
"""

from __future__ import annotations

from collections.abc import Sequence

Migration = Sequence[str]

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
]

COMPONENTS: dict[str, list[Migration]] = {"core": CORE}


def register(component: str, migrations: list[Migration]) -> None:
    """Add a component's own migrations (applied, in order, by every store opened later)."""
    COMPONENTS[component] = migrations
