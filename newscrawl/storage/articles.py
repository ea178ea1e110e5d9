"""Articles: one row per canonical URL, every revision kept, duplicates never stored twice."""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from newscrawl.dedup.content import MIN_DUPLICATE_WORDS, NEAR_DUPLICATE_SIMILARITY, BodyPrint, body_print
from newscrawl.storage.base import StoreBase, StoreError, is_conflict, now
from newscrawl.storage.duplicates import record_duplicate
from newscrawl.storage.nearby import find_near_duplicate, index_keys

SaveOutcome = Literal["new", "unchanged", "revision", "duplicate", "near_duplicate"]

INSERT_ARTICLE = (
    "INSERT INTO articles (site, mirror, headline, published_at, data, content_hash, signature, last_seen, "
    "run_id, revision, article_key, url, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (url) DO NOTHING RETURNING id")
"""No row back: another writer stored the URL meanwhile (the article is then saved again)."""
UPDATE_ARTICLE = (
    "UPDATE articles SET site = ?, mirror = ?, headline = ?, published_at = ?, data = ?, content_hash = ?, "
    "signature = ?, last_seen = ?, run_id = ?, revision = ?, article_key = ?, url = ? WHERE id = ?")
ARTICLE_KEY = "article_key"
"""A record's article key: what the site's ``article_pattern`` says identifies the article (Press
TV's numeric id), so the same article under a renamed URL (a changed slug) is the same row. Kept
in its own column, not in the stored record."""
INSERT_REVISION = ("INSERT INTO revisions (article_id, revision, data, content_hash, fetched_at, run_id) "
                   "VALUES (?, ?, ?, ?, ?, ?)")
EXPORT_DAY = "COALESCE(NULLIF(published_at, ''), first_seen)"
"""What ``since`` compares with: the publication time, else when the article was first stored."""


@dataclass(frozen=True)
class _Prepared:
    """An article with its fingerprints, computed before the write transaction starts."""

    article: dict[str, Any]
    url: str
    site: str
    data: str
    digest: str
    words: int
    signature: bytes | None
    key: str | None


def _text(value: Any) -> str:
    """A column value: PostgreSQL text cannot hold NUL (the JSON record keeps it escaped)."""
    return str(value or "").replace("\x00", "")


def _prepare(article: Mapping[str, Any], known: BodyPrint | None = None) -> _Prepared:
    """``known``: the body's fingerprints if computed already (used when of this body)."""
    url = article.get("url")
    if not isinstance(url, str) or not url:
        raise StoreError(f"article without a URL cannot be stored (headline {article.get('headline')!r})")
    body = str(article.get("body") or "")
    record = dict(article)
    key = str(record.get(ARTICLE_KEY) or "")  # the item's field (kept in the JSON record too)
    data = json.dumps(record, ensure_ascii=False, default=str)
    prints = known if known is not None and known.body == body else body_print(body)
    return _Prepared(record, url, _text(article.get("site")), data, prints.digest,
                     prints.words, prints.signature, key if key and key != url else None)


class ArticleStore(StoreBase):
    near_similarity: float = NEAR_DUPLICATE_SIMILARITY
    """Estimated similarity from which a new article is a near-duplicate of a stored one and
    not stored (``NEWSCRAWL_DEDUP_NEAR_SIMILARITY``); 0 turns near-duplicate detection off."""

    def save_articles(self, run_id: int | None, articles: Sequence[Mapping[str, Any]],
                      prints: Sequence[BodyPrint | None] = ()) -> list[SaveOutcome]:
        """Save a batch in one transaction; per article, what happened to it. Saving the same
        batch again changes nothing but ``last_seen``. Safe with several writers: rows are
        written in URL order (no lock cycles between writers), a URL another writer stored
        meanwhile is saved onto its row, and a batch that still meets a conflict is saved
        again one article per transaction, so no article of it is lost. ``prints``: per
        article, its body's fingerprints when known already (computed where it was extracted)."""
        known = list(prints) + [None] * (len(articles) - len(prints))
        prepared = [_prepare(article, print_) for article, print_ in zip(articles, known, strict=True)]
        order = sorted(range(len(prepared)), key=lambda i: prepared[i].url)
        stamp = now()
        outcomes: list[SaveOutcome] = ["unchanged"] * len(prepared)
        try:
            with self.transaction() as cur:
                for i in order:
                    outcomes[i] = self._save_one(cur, run_id, prepared[i], stamp)
        except Exception as exc:
            if not is_conflict(exc) or len(prepared) == 1:
                raise
            for i in order:
                with self.transaction() as cur:
                    outcomes[i] = self._save_one(cur, run_id, prepared[i], stamp)
        return outcomes

    def _save_one(self, cur: Any, run_id: int | None, item: _Prepared, stamp: str) -> SaveOutcome:
        outcome = self._try_save(cur, run_id, item, stamp)
        return outcome if outcome is not None else self._saved_meanwhile(cur, run_id, item, stamp)

    def _saved_meanwhile(self, cur: Any, run_id: int | None, item: _Prepared, stamp: str) -> SaveOutcome:
        """Another writer stored the URL between our look and our insert: save onto its row."""
        outcome = self._try_save(cur, run_id, item, stamp)
        if outcome is None:  # only a row deleted at once again could do this
            raise StoreError(f"{item.url}: stored and gone again while being saved")
        return outcome

    def _try_save(self, cur: Any, run_id: int | None, item: _Prepared, stamp: str) -> SaveOutcome | None:
        row = self._one(cur, "SELECT id, content_hash, revision FROM articles WHERE url = ?{lock}",
                        (item.url,))
        if row is None and item.key:  # the same article under a new URL (its slug changed)
            row = self._one(cur, "SELECT id, content_hash, revision FROM articles WHERE site = ? "
                                 "AND article_key = ? LIMIT 1{lock}", (item.site, item.key))  # moved
        if row is not None:
            article_id, old_hash, revision = row
            if old_hash == item.digest or item.words == 0:  # an empty body is a failed extraction
                cur.execute(self.sql("UPDATE articles SET last_seen = ? WHERE id = ?"), (stamp, article_id))
                return "unchanged"
            self._write(cur, item, stamp, run_id, int(article_id), int(revision) + 1)
            return "revision"
        same = self._one(cur, "SELECT id FROM articles WHERE content_hash = ? LIMIT 1", (item.digest,)) \
            if item.words >= MIN_DUPLICATE_WORDS else None
        if same is not None:
            record_duplicate(self, cur, run_id, item.site, item.url, "duplicate", int(same[0]), 1.0, stamp)
            return "duplicate"
        near = find_near_duplicate(self, cur, item.site, item.signature, self.near_similarity) \
            if self.near_similarity else None
        if near is not None:
            record_duplicate(self, cur, run_id, item.site, item.url, "near_duplicate", *near, stamp)
            return "near_duplicate"
        if not self._write(cur, item, stamp, run_id, None, 1):
            return None
        cur.execute(self.sql("DELETE FROM duplicates WHERE url = ?"), (item.url,))  # distinct after all
        return "new"

    def _write(self, cur: Any, item: _Prepared, stamp: str, run_id: int | None,
               article_id: int | None, revision: int) -> bool:
        """Write the article's row and revision; False when another writer inserted the URL."""
        article = item.article
        fields = (item.site, _text(article.get("mirror")), _text(article.get("headline")),
                  _text(article.get("published_at")), item.data, item.digest, item.signature, stamp, run_id,
                  revision, item.key)
        if article_id is None:
            row = self._one(cur, INSERT_ARTICLE, (*fields, item.url, stamp))
            if row is None:
                return False
            article_id = int(row[0])
        else:
            cur.execute(self.sql(UPDATE_ARTICLE), (*fields, item.url, article_id))
        index_keys(self, cur, article_id, item.site, item.signature, replace=revision > 1)
        fetched = article.get("fetched_at") or stamp
        values = (article_id, revision, item.data, item.digest, fetched, run_id)
        cur.execute(self.sql(INSERT_REVISION), values)
        return True

    # --- what the spider asks, per discovered link ---------------------------------------
    def has_article(self, url: str) -> bool:
        """Is an article with this canonical URL stored? (one indexed lookup)"""
        with self.read() as cur:
            return self._one(cur, "SELECT 1 FROM articles WHERE url = ?", (url,)) is not None

    def article_last_seen(self, url: str) -> datetime | None:
        """When the article at this canonical URL was last fetched, None when never."""
        with self.read() as cur:
            row = self._one(cur, "SELECT last_seen FROM articles WHERE url = ?", (url,))
        return datetime.fromisoformat(str(row[0])) if row else None

    def stored_dates(self, urls: Sequence[str]) -> dict[str, str]:
        """For the URLs already stored, or recorded as duplicates of a stored article:
        url -> published_at ('' when unknown, and for duplicates)."""
        found: dict[str, str] = {}
        with self.read() as cur:
            for start in range(0, len(urls), 500):
                chunk = list(urls[start:start + 500])
                marks = ", ".join("?" * len(chunk))
                cur.execute(self.sql(f"SELECT url, published_at FROM articles WHERE url IN ({marks})"), chunk)
                found.update((str(u), str(p)) for u, p in cur.fetchall())
                cur.execute(self.sql(f"SELECT url FROM duplicates WHERE url IN ({marks})"), chunk)
                found.update((str(u), found.get(str(u), "")) for (u,) in cur.fetchall())  # not again
        return found

    # --- export ------------------------------------------------------------------------
    def iter_articles(self, site: str | None = None,
                      since: date | datetime | None = None) -> Generator[dict[str, Any], None, None]:
        """Every stored article (its latest revision) in the order first stored, with
        ``revision`` (1 = first version) and ``is_revision``; streamed in constant memory.
        ``since`` keeps articles published (else first stored) on or after it, compared as
        ISO 8601 text."""
        clauses, params = [], []
        if site:
            clauses.append("site = ?")
            params.append(site)
        if since:
            clauses.append(f"{EXPORT_DAY} >= ?")
            params.append(since.isoformat())
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        for data, revision in self._stream(f"SELECT data, revision FROM articles{where} ORDER BY id", params):
            article = json.loads(data)
            article["revision"], article["is_revision"] = int(revision), int(revision) > 1
            yield article

    def iter_fetched_since(self, site: str, fetched_since: str) -> Generator[dict[str, Any], None, None]:
        """The articles of ``site`` (latest revision, in the order first stored, like
        ``iter_articles``) that have a revision fetched (``fetched_at``, ISO 8601 text) or were
        last seen on or after ``fetched_since``: what a resumed job may miss, filtered in SQL so
        a big store is not read whole."""
        sql = ("SELECT data, revision FROM articles WHERE site = ? AND (last_seen >= ? OR id IN "
               "(SELECT article_id FROM revisions WHERE fetched_at >= ?)) ORDER BY id")
        for data, revision in self._stream(sql, [site, fetched_since, fetched_since]):
            article = json.loads(data)
            article["revision"], article["is_revision"] = int(revision), int(revision) > 1
            yield article

    def revisions(self, url: str) -> list[dict[str, Any]]:
        """Every stored version of one article, oldest first, each with its ``revision``."""
        with self.read() as cur:
            cur.execute(self.sql("SELECT r.revision, r.data FROM revisions r JOIN articles a "
                                 "ON a.id = r.article_id WHERE a.url = ? ORDER BY r.revision"), (url,))
            return [{**json.loads(data), "revision": int(number)} for number, data in cur.fetchall()]
