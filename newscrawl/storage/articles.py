"""Articles: one row per canonical URL, every revision kept, duplicates never stored twice."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal

from newscrawl.dedup.content import (
    MIN_BODY_WORDS,
    content_fingerprint,
    is_near,
    paragraph_fingerprints,
    words,
)
from newscrawl.storage.base import StoreBase, now

SaveOutcome = Literal["new", "unchanged", "revision", "duplicate", "near_duplicate"]

INSERT_ARTICLE = (
    "INSERT INTO articles (site, mirror, headline, published_at, data, content_hash, last_seen, run_id, "
    "revision, body_words, url, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
UPDATE_ARTICLE = (
    "UPDATE articles SET site = ?, mirror = ?, headline = ?, published_at = ?, data = ?, content_hash = ?, "
    "last_seen = ?, run_id = ?, revision = ?, body_words = ? WHERE id = ?")
CANDIDATES_PER_PARAGRAPH = 50  # a paragraph in more articles than this is boilerplate
INSERT_REVISION = ("INSERT INTO revisions (article_id, revision, data, content_hash, fetched_at, run_id) "
                   "VALUES (?, ?, ?, ?, ?, ?)")


class ArticleStore(StoreBase):
    def save_articles(self, run_id: int | None,
                      articles: Sequence[Mapping[str, Any]]) -> list[SaveOutcome]:
        """Save a batch in one transaction; per article, what happened to it."""
        with self.transaction() as cur:
            return [self._save_one(cur, run_id, dict(article)) for article in articles]

    def _save_one(self, cur: Any, run_id: int | None, article: dict[str, Any]) -> SaveOutcome:
        body, url, stamp = str(article.get("body", "")), str(article["url"]), now()
        digest = content_fingerprint(body)
        data = json.dumps(article, ensure_ascii=False, default=str)
        row = self._one(cur, "SELECT id, content_hash, revision FROM articles WHERE url = ?", (url,))
        if row is not None:
            article_id, old_hash, revision = row
            if old_hash == digest:
                cur.execute(self.sql("UPDATE articles SET last_seen = ? WHERE id = ?"), (stamp, article_id))
                return "unchanged"
            self._write_article(cur, article, data, digest, body, stamp, run_id, article_id, revision + 1)
            return "revision"
        if self._one(cur, "SELECT 1 FROM articles WHERE content_hash = ? LIMIT 1", (digest,)):
            return "duplicate"
        if self._near_duplicate(cur, body):
            return "near_duplicate"
        self._write_article(cur, article, data, digest, body, stamp, run_id, None, 1)
        return "new"

    def _near_duplicate(self, cur: Any, body: str) -> bool:
        """Does a stored article share paragraphs holding most of this body's words?"""
        prints = paragraph_fingerprints(body)
        total = len(words(body))
        if total < MIN_BODY_WORDS or not prints:
            return False
        shared: dict[int, int] = {}
        for value, count in prints.items():
            cur.execute(self.sql("SELECT article_id FROM paragraphs WHERE hash = ? LIMIT ?"),
                        (value, CANDIDATES_PER_PARAGRAPH))
            for (article_id,) in cur.fetchall():
                shared[article_id] = shared.get(article_id, 0) + count
        best = sorted(shared.items(), key=lambda item: -item[1])[:5]
        for article_id, shared_words in best:
            row = self._one(cur, "SELECT body_words FROM articles WHERE id = ?", (article_id,))
            if row is not None and is_near(shared_words, total, int(row[0])):
                return True
        return False

    def _write_article(self, cur: Any, article: Mapping[str, Any], data: str, digest: str, body: str,
                       stamp: str, run_id: int | None, article_id: int | None, revision: int) -> None:
        fields = (article.get("site", ""), article.get("mirror", ""), article.get("headline", ""),
                  article.get("published_at", ""), data, digest, stamp, run_id, revision,
                  len(words(body)))
        if article_id is None:
            row = self._one(cur, INSERT_ARTICLE, (*fields, article["url"], stamp))
            assert row is not None
            article_id = int(row[0])
        else:
            cur.execute(self.sql(UPDATE_ARTICLE), (*fields, article_id))
            cur.execute(self.sql("DELETE FROM paragraphs WHERE article_id = ?"), (article_id,))
        cur.executemany(self.sql("INSERT INTO paragraphs (hash, article_id, words) VALUES (?, ?, ?)"),
                        [(value, article_id, count) for value, count in paragraph_fingerprints(body).items()])
        cur.execute(self.sql(INSERT_REVISION),
                    (article_id, revision, data, digest, article.get("fetched_at") or stamp, run_id))

    def has_article(self, url: str) -> bool:
        with self.transaction() as cur:
            return self._one(cur, "SELECT 1 FROM articles WHERE url = ?", (url,)) is not None

    def stored_dates(self, urls: Sequence[str]) -> dict[str, str]:
        """For the URLs already stored: url -> published_at ('' when unknown)."""
        found: dict[str, str] = {}
        with self.transaction() as cur:
            for start in range(0, len(urls), 500):
                chunk = list(urls[start:start + 500])
                marks = ", ".join("?" * len(chunk))
                query = f"SELECT url, published_at FROM articles WHERE url IN ({marks})"
                cur.execute(self.sql(query), chunk)
                found.update((str(u), str(p)) for u, p in cur.fetchall())
        return found

    def iter_articles(self, site: str | None = None,
                      since: date | datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every stored article (latest revision), oldest row first, with ``revision`` and
        ``is_revision``; streamed."""
        clauses, params = [], []
        if site:
            clauses.append("site = ?")
            params.append(site)
        if since:
            clauses.append("published_at >= ?")
            params.append(since.isoformat())
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        query = f"SELECT data, revision FROM articles{where} ORDER BY id"
        for data, revision in self._stream(query, params):
            article = json.loads(data)
            article["revision"], article["is_revision"] = int(revision), int(revision) > 1
            yield article
