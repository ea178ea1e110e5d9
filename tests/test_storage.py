"""The store contract, run against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newscrawl.sites import get_site
from newscrawl.storage import Store, StoreError, open_store
from newscrawl.storage.articles import ARTICLE_KEY
from newscrawl.storage.export import export_articles, format_stats
from newscrawl.storage.schema import COMPONENTS
from newscrawl.testing.mocksite.text import Prose
from tests import fixtures_postgres

postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url
store = fixtures_postgres.store
ROOT = Path(__file__).resolve().parent.parent
SITE = "https://www.presstv.ir"


def story(seed: int, paragraphs: int = 6) -> str:
    """A mock news body: paragraphs of templated prose, different for every seed."""
    prose = Prose(random.Random(seed), 102)
    return "\n\n".join(prose.paragraph() for _ in range(paragraphs))


def article(n: int, body: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"url": f"{SITE}/Detail/2026/08/15/{n}/Story", "site": "presstv", "mirror": SITE,
            "headline": f"Story {n}", "published_at": "2026-08-15T10:00:00+03:30",
            "body": story(n) if body is None else body, "authors": ["Staff"], **fields}


def count(store: Store, table: str) -> int:
    with store.read() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cur.fetchone()[0])


def test_open_store_rejects_unknown_and_unreachable_urls(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown store URL"):
        open_store("mysql://localhost/news")
    with pytest.raises(StoreError, match="unknown store URL"):
        open_store("sqlite:///")
    with pytest.raises(StoreError, match="cannot open the store") as failed:
        open_store(f"postgresql://nobody:secret@127.0.0.1:{fixtures_postgres._free_port()}/x")
    assert "\n" not in str(failed.value) and "secret" not in str(failed.value)
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(f"sqlite:///{tmp_path}/file/under/a/file.db")


def test_sqlite_creates_parent_directories_and_uses_wal(tmp_path: Path) -> None:
    opened = open_store(f"sqlite:///{tmp_path}/a/b/news.db")
    assert (tmp_path / "a/b/news.db").exists()
    with opened.read() as cur:
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"
    opened.close()


def test_save_outcomes_and_idempotence(store: Store) -> None:
    run = store.begin_run("presstv", {"NEWSCRAWL_STORE_BATCH": 50})
    one, two = article(1), article(2)
    syndicated = article(3, body=one["body"].replace("\n\n", "\n\n\n"), site="other")
    footer = article(4, body=two["body"] + "\n\nFollow Press TV on Telegram and X for the latest news.")
    short_copy = [article(5, body="Watch the video."), article(6, body="Watch the video.")]
    batch = [one, two, syndicated, footer, *short_copy]
    assert store.save_articles(run, batch) == ["new", "new", "duplicate", "near_duplicate", "new", "new"]
    rows = {t: count(store, t) for t in ("articles", "revisions", "near_keys")}
    assert store.save_articles(run, batch) == ["unchanged", "unchanged", "duplicate", "near_duplicate",
                                               "unchanged", "unchanged"]
    assert {t: count(store, t) for t in rows} == rows == {"articles": 4, "revisions": 4, "near_keys": 32}
    updated = article(1, body=one["body"] + "\n\nThe ministry later confirmed the figures.")
    assert store.save_articles(run, [updated]) == ["revision"]
    assert store.save_articles(run, [updated, article(1, body="")]) == ["unchanged", "unchanged"]
    versions = store.revisions(one["url"])
    assert [v["revision"] for v in versions] == [1, 2]
    assert versions[0]["body"] == one["body"] and versions[1]["body"] == updated["body"]
    store.finish_run(run, {"store/new": 4}, "finished")
    with store.read() as cur:
        cur.execute("SELECT counts, outcome, finished_at FROM runs")
        counts, outcome, finished = cur.fetchone()
    assert json.loads(counts) == {"store/new": 4} and outcome == "finished" and finished


def test_a_failing_article_rolls_back_its_whole_batch(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from newscrawl.storage import articles

    store.save_articles(None, [article(1)])
    with pytest.raises(StoreError, match="without a URL"):
        store.save_articles(None, [article(2), {"headline": "no url"}])
    real = articles.index_keys

    def failing(store: Any, cur: Any, article_id: int, site: str, signature: bytes | None,
                *, replace: bool = False) -> None:
        if site == "boom":
            raise RuntimeError("disk full")
        real(store, cur, article_id, site, signature, replace=replace)

    monkeypatch.setattr(articles, "index_keys", failing)
    with pytest.raises(RuntimeError, match="disk full"):  # fails after article 3 was written
        store.save_articles(None, [article(3), article(4, site="boom")])
    assert [a["url"] for a in store.iter_articles()] == [article(1)["url"]]
    assert count(store, "revisions") == 1 and count(store, "near_keys") == 16


def test_a_renamed_url_with_the_same_article_key_is_the_same_article(store: Store) -> None:
    """A slug change (same Press TV id, new URL): with the body updated it is a revision of
    the stored article, not a near-duplicate dropped; with the body unchanged it is unchanged.
    A revision moves the row to the new URL; the key is not part of the exported record."""
    first = {**article(5), ARTICLE_KEY: "5"}
    renamed_url = first["url"].replace("/Story", "/Story-renamed")
    updated = {**first, "url": renamed_url, "body": first["body"] + "\n\nThe minister resigned on Friday."}
    assert store.save_articles(None, [first]) == ["new"]
    assert store.save_articles(None, [updated]) == ["revision"]
    assert store.save_articles(None, [{**updated, "url": renamed_url + "-again"}]) == ["unchanged"]
    assert [a["url"] for a in store.iter_articles()] == [renamed_url]
    assert [v["revision"] for v in store.revisions(renamed_url)] == [1, 2]
    assert next(store.iter_articles())[ARTICLE_KEY] == "5"  # the item's field, stored with it
    assert count(store, "articles") == 1
    no_key = {**article(5), "url": first["url"] + "-other", "body": updated["body"] + " Later."}
    assert store.save_articles(None, [no_key]) == ["near_duplicate"]  # without a key: content decides


def test_body_prints_computed_elsewhere_are_used_for_their_own_body_only(store: Store) -> None:
    """Fingerprints the extraction worker computed are taken as they are (the store thread
    does not compute them again), but only for the body they were computed from: an
    article whose body changed on the way is fingerprinted as stored."""
    from dataclasses import replace

    from newscrawl.dedup.content import body_print, content_fingerprint

    first, second = article(1), article(2)
    marked = replace(body_print(first["body"]), digest="computed-in-the-worker")
    stale = replace(body_print(second["body"] + " An older paragraph."), digest="of-another-body")
    assert store.save_articles(None, [first, second], [marked, stale]) == ["new", "new"]
    with store.read() as cur:
        cur.execute("SELECT url, content_hash FROM articles ORDER BY url")
        hashes = dict(cur.fetchall())
    assert hashes == {first["url"]: "computed-in-the-worker",
                      second["url"]: content_fingerprint(second["body"])}


def test_text_postgresql_cannot_hold_is_cleaned(store: Store) -> None:
    stored = article(1, headline="Nul\x00 byte")
    assert store.save_articles(None, [stored]) == ["new"]
    assert next(store.iter_articles())["headline"] == "Nul\x00 byte"  # kept in the record


def test_postgresql_plans_each_lookup_for_its_values(postgres_server: str) -> None:
    """A store analysed while empty must not keep one generic plan (sequential scans) for
    the per-article lookups that psycopg prepares after five runs."""
    store = open_store(fixtures_postgres.fresh_database(postgres_server, f"t_{uuid.uuid4().hex[:12]}"))
    try:
        with store.transaction() as cur:
            cur.execute("ANALYZE")
        store.save_articles(None, [article(n) for n in range(40)])
        with store.read() as cur:
            cur.execute("SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) "
                        "FROM pg_prepared_statements")
            generic, custom = cur.fetchone()
        assert generic == 0 and custom > 0
    finally:
        store.close()


def test_postgresql_keeps_planner_statistics_fresh_as_a_crawl_grows(
        postgres_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store analysed while empty gets fresh statistics once enough near-duplicate keys
    changed, without waiting for autovacuum."""
    monkeypatch.setattr("newscrawl.storage.postgres.ANALYZE_AFTER", 300)
    store = open_store(fixtures_postgres.fresh_database(postgres_server, f"t_{uuid.uuid4().hex[:12]}"))
    try:
        with store.transaction() as cur:
            cur.execute("ANALYZE")
        store.save_articles(None, [article(n) for n in range(10)])  # 160 keys: not yet
        with store.read() as cur:
            cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'near_keys'::regclass")
            assert cur.fetchone()[0] <= 0
        store.save_articles(None, [article(n) for n in range(10, 40)])
        with store.read() as cur:
            cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'near_keys'::regclass")
            assert cur.fetchone()[0] == 40 * 16
    finally:
        store.close()


def test_lookups_for_the_spider(store: Store) -> None:
    stored = article(1)
    assert not store.has_article(stored["url"]) and store.article_last_seen(stored["url"]) is None
    store.save_articles(None, [stored])
    assert store.has_article(stored["url"]) and not store.has_article(stored["url"] + "x")
    seen = store.article_last_seen(stored["url"])
    assert seen is not None and seen.tzinfo is not None
    assert store.stored_dates([stored["url"], SITE + "/nope"]) == {stored["url"]: stored["published_at"]}


def test_pending_requests(store: Store) -> None:
    run = store.begin_run("presstv", {})
    store.add_pending(run, "presstv", SITE + "/a", ["dns", "timeout"])
    store.add_pending(run, "presstv", SITE + "/a", ["seized"])
    store.add_pending(run, "other", "https://other.example/b", ["refused"])
    (only,) = store.pending("presstv")
    assert (only.url, only.classes, only.attempts) == (SITE + "/a", ["seized"], 2)
    assert only.first_failed <= only.last_failed
    store.resolve_pending(SITE + "/a")
    store.resolve_pending(["https://other.example/b", "https://never.example/"])
    assert store.pending("presstv") == [] and store.pending("other") == []
    store.add_pending(run, "presstv", SITE + "/a", ["dns"])
    assert [p.attempts for p in store.pending("presstv")] == [3]


def test_export_streams_latest_revisions(store: Store) -> None:
    store.save_articles(None, [article(1, published_at="2026-08-10T09:00:00+03:30"), article(2),
                               article(3, site="other", body=story(99))])
    store.save_articles(None, [article(2, body=story(2) + "\n\nUpdated with new figures from the ministry.")])
    out = io.StringIO()
    assert export_articles(store, "presstv", date(2026, 8, 12), "jsonl", out) == 1
    (line,) = [json.loads(x) for x in out.getvalue().splitlines()]
    assert (line["url"], line["revision"], line["is_revision"], line["authors"]) == (
        article(2)["url"], 2, True, ["Staff"])
    out = io.StringIO()
    assert export_articles(store, "presstv", None, "csv", out) == 2
    header, first, second = csv.reader(io.StringIO(out.getvalue()))
    assert header[:4] == ["url", "fetched_url", "mirror", "site"]
    assert header[-2:] == ["revision", "is_revision"]
    row = dict(zip(header, first, strict=True))
    assert (row["url"], row["authors"], row["revision"], row["is_revision"]) == (
        article(1)["url"], '["Staff"]', "1", "false")
    assert row["body"] == article(1)["body"] and second[-2:] == ["2", "true"]
    stream = store.iter_articles(None, None)
    assert next(stream)["url"] == article(1)["url"]
    stream.close()  # an abandoned export releases its cursor; the store stays usable
    assert store.save_articles(None, [article(4)]) == ["new"]


def test_stats_per_site_day_and_mirror(store: Store) -> None:
    store.save_articles(None, [article(1), article(2, mirror="https://www.presstv.co.uk"),
                               article(3, published_at="", site="other")])
    store.add_pending(None, "presstv", SITE + "/x", ["dns"])
    stats = store.stats()
    by_site = {s.site: s for s in stats.sites}
    assert (by_site["presstv"].articles, by_site["presstv"].pending, by_site["other"].articles) == (2, 1, 1)
    assert ("presstv", "2026-08-15", 2) in stats.days
    assert {m[1] for m in stats.mirrors if m[0] == "presstv"} == {SITE, "https://www.presstv.co.uk"}
    text = format_stats(stats)
    assert "Per site" in text and "https://www.presstv.co.uk" in text and "2026-08-15" in text


V1_SCHEMA = [
    """CREATE TABLE runs (id {id}, site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
       settings TEXT NOT NULL DEFAULT '{{}}', counts TEXT NOT NULL DEFAULT '{{}}', outcome TEXT)""",
    """CREATE TABLE articles (id {id}, url TEXT NOT NULL UNIQUE, site TEXT NOT NULL,
       mirror TEXT NOT NULL DEFAULT '', headline TEXT NOT NULL DEFAULT '',
       published_at TEXT NOT NULL DEFAULT '', data TEXT NOT NULL, content_hash TEXT NOT NULL,
       first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, run_id INTEGER)""",
    "CREATE TABLE schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)",
    "INSERT INTO schema_versions VALUES ('core', 1)",
]


def test_a_version_1_store_opens_and_upgrades(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newscrawl.dedup.content import content_fingerprint
    from newscrawl.storage import postgres, sqlite

    backend: Any = sqlite.SQLiteStore if store_url.startswith("sqlite") else postgres.PostgresStore
    monkeypatch.setattr(backend, "migrate", lambda self: None)
    old = open_store(store_url)  # an empty database, no migrations: write version 1 by hand
    old_article = article(1)
    with old.transaction() as cur:
        for statement in V1_SCHEMA:
            cur.execute(old.sql(statement))
        cur.execute(old.sql("INSERT INTO articles (url, site, data, content_hash, first_seen, last_seen) "
                            "VALUES (?, ?, ?, ?, ?, ?)"),
                    (old_article["url"], "presstv", json.dumps(old_article),
                     content_fingerprint(old_article["body"]), "2026-08-15T08:00:00+00:00",
                     "2026-08-15T08:00:00+00:00"))
        cur.execute(old.sql("INSERT INTO runs (site, started_at, settings) VALUES (?, ?, ?)"),
                    ("presstv", "2026-08-15T08:00:00+00:00",
                     json.dumps({"NEWSCRAWL_STORE": "postgresql://crawler:hunter2@db/news"})))
    old.close()
    monkeypatch.undo()
    monkeypatch.setitem(COMPONENTS, "monitor_test", [["CREATE TABLE probes (id {id}, origin TEXT)"]])
    upgraded = open_store(store_url)
    assert upgraded.schema_version() == 8 and upgraded.schema_version("monitor_test") == 1
    with upgraded.read() as cur:  # version 5 masked the password stored by an older version
        cur.execute("SELECT settings FROM runs")
        assert json.loads(cur.fetchone()[0]) == {"NEWSCRAWL_STORE": "postgresql://crawler:***@db/news"}
    assert [(a["url"], a["revision"]) for a in upgraded.iter_articles()] == [(old_article["url"], 1)]
    assert [v["revision"] for v in upgraded.revisions(old_article["url"])] == [1]
    footer = old_article["body"] + "\n\nSubscribe to our newsletter for daily updates from the region."
    assert upgraded.save_articles(None, [article(7, body=footer)]) == ["near_duplicate"]
    presstv = get_site("presstv")  # what the store extension does when a crawl of the site opens
    assert upgraded.rekey_articles("presstv", presstv.article_pattern.pattern, presstv.article_key) == 1
    renamed = {**article(1, body=footer), "url": old_article["url"].replace("Story", "New-slug"),
               ARTICLE_KEY: "1"}  # the key was filled in for the stored Press TV article
    assert upgraded.save_articles(None, [renamed]) == ["revision"]
    upgraded.close()
    again = open_store(store_url)  # opening an up-to-date store changes nothing
    assert again.schema_version() == 8 and count(again, "near_keys") == 16
    again.close()


WRITER = """
import sys
from newscrawl.storage import open_store
from tests.test_storage import article
store = open_store(sys.argv[1])
for start in range(0, 100_000, 200):
    store.save_articles(None, [article(n) for n in range(start, start + 200)])
    print(start + 200, flush=True)
"""


def test_a_writer_killed_mid_batch_leaves_the_store_consistent(store_url: str) -> None:
    open_store(store_url).close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, store_url], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert writer.stdout is not None
    committed = [int(writer.stdout.readline()) for _ in range(2)][-1]
    os.kill(writer.pid, signal.SIGKILL)  # somewhere inside the third batch's transaction
    writer.wait(timeout=30)
    store = open_store(store_url)
    articles = count(store, "articles")
    assert articles >= committed and articles % 200 == 0
    assert count(store, "revisions") == articles and count(store, "near_keys") == 16 * articles
    with store.read() as cur:
        cur.execute("SELECT COUNT(*) FROM near_keys WHERE article_id NOT IN (SELECT id FROM articles)")
        assert cur.fetchone()[0] == 0
        if store_url.startswith("sqlite"):
            cur.execute("PRAGMA integrity_check")
            assert cur.fetchone()[0] == "ok"
    assert store.save_articles(None, [article(0), article(100_001)]) == ["unchanged", "new"]
    store.close()


def test_iter_fetched_since_keeps_the_sites_articles_fetched_or_seen_since(store: Store) -> None:
    """What a resumed job catches up on, filtered in SQL (SQLite and PostgreSQL alike)."""
    from tests.storage_data import article as stored

    old = stored(1, fetched_at="2026-01-01T00:00:00+00:00")
    recent = stored(2, fetched_at="2026-03-01T10:00:05+00:00")
    other = stored(3, site="other", fetched_at="2026-03-01T10:00:05+00:00")
    store.save_articles(None, [old, recent, other])
    with store.transaction() as cur:
        cur.execute("UPDATE articles SET last_seen = '2026-01-01T00:00:01+00:00'")
    found = list(store.iter_fetched_since("presstv", "2026-03-01T10:00:00+00:00"))
    assert [a["url"] for a in found] == [recent["url"]] and found[0]["revision"] == 1
