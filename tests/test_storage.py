"""The store contract, run against SQLite and a real PostgreSQL server alike."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from newscrawl.storage import Store, open_store
from newscrawl.storage.schema import COMPONENTS, CORE
from tests import fixtures_postgres
from tests.storage_data import article, body

postgres_server = fixtures_postgres.postgres_server
postgres_url = fixtures_postgres.postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    with store.transaction() as cur:
        cur.execute(store.sql(sql))
        return [tuple(row) for row in cur.fetchall()]


def test_save_outcomes_and_revisions_kept(store: Store) -> None:
    run = store.begin_run("presstv", {"NEWSCRAWL_REFRESH": False})
    first, second = article(1), article(2)
    assert store.save_articles(run, [first, second]) == ["new", "new"]
    assert store.save_articles(run, [first]) == ["unchanged"]
    updated = {**first, "body": first["body"] + "\n\nA correction was added to this story later on today."}
    assert store.save_articles(run, [updated]) == ["revision"]
    copy = {**second, "url": "https://www.presstv.ir/Detail/2024/05/01/99/copy"}
    assert store.save_articles(run, [copy]) == ["duplicate"]
    assert store.has_article(first["url"]) and not store.has_article(copy["url"])
    assert rows(store, "SELECT revision, content_hash FROM revisions ORDER BY id")[2][0] == 2
    assert rows(store, "SELECT COUNT(*) FROM articles") == [(2,)]
    latest = {a["url"]: a for a in store.iter_articles()}
    assert latest[first["url"]]["body"] == updated["body"] and latest[first["url"]]["is_revision"]
    store.finish_run(run, {"store/new": 2}, "finished")
    assert rows(store, "SELECT outcome FROM runs") == [("finished",)]


def test_near_duplicate_is_not_stored(store: Store) -> None:
    original = article(3)
    footer = {**original, "url": original["url"] + "-syndicated",
              "body": original["body"] + "\n\nRead more at our partner site."}
    assert store.save_articles(None, [original, footer]) == ["new", "near_duplicate"]
    assert store.stored_dates([original["url"], footer["url"]]) == {
        original["url"]: original["published_at"]}


def test_failing_article_rolls_back_the_whole_batch(store: Store) -> None:
    broken = {"site": "presstv", "body": body(9)}  # no url: the save raises mid-batch
    with pytest.raises(KeyError):
        store.save_articles(None, [article(4), article(5), broken])
    assert rows(store, "SELECT COUNT(*) FROM articles") == [(0,)]
    assert rows(store, "SELECT COUNT(*) FROM revisions") == [(0,)]
    assert rows(store, "SELECT COUNT(*) FROM paragraphs") == [(0,)]
    assert store.save_articles(None, [article(4)]) == ["new"]  # the store still works


def test_older_store_opens_and_upgrades(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COMPONENTS, "core", CORE[:1])
    old = open_store(store_url)
    assert old.schema_version() == 1
    with old.transaction() as cur:
        cur.execute(old.sql("INSERT INTO articles (url, site, data, content_hash, first_seen, last_seen) "
                            "VALUES (?, ?, ?, ?, ?, ?)"),
                    ("https://www.presstv.ir/Detail/1", "presstv", '{"url": "x"}', "abc", "t", "t"))
    old.close()
    monkeypatch.setitem(COMPONENTS, "core", CORE)
    upgraded = open_store(store_url)
    try:
        assert upgraded.schema_version() == len(CORE) == 2
        assert rows(upgraded, "SELECT url, revision FROM articles") == [
            ("https://www.presstv.ir/Detail/1", 1)]
        assert rows(upgraded, "SELECT revision, content_hash FROM revisions") == [(1, "abc")]
        assert upgraded.pending("presstv") == []
    finally:
        upgraded.close()
    again = open_store(store_url)  # a current store opens without re-running migrations
    assert rows(again, "SELECT COUNT(*) FROM revisions") == [(1,)]
    again.close()


def test_iter_articles_streams_with_filters(store: Store) -> None:
    batch = [article(n, day=f"2024-05-{1 + n % 3:02d}", site="presstv" if n % 4 else "other")
             for n in range(1200)]
    store.save_articles(None, batch)
    stream = store.iter_articles("presstv", since=date(2024, 5, 2))
    assert iter(stream) is stream  # a generator, not a list
    got = list(stream)
    expected = [a["url"] for a in batch if a["site"] == "presstv" and a["published_at"] >= "2024-05-02"]
    assert [a["url"] for a in got] == expected
    assert all(a["revision"] == 1 and a["is_revision"] is False for a in got)


def test_pending_requests(store: Store) -> None:
    url = "https://www.presstv.ir/Detail/2024/05/01/7/x"
    store.add_pending(None, "presstv", url, ["dns_nxdomain", "timeout"])
    store.add_pending(None, "presstv", url, ["timeout"])
    [pending] = store.pending("presstv")
    assert (pending.url, pending.classes, pending.attempts) == (url, ["timeout"], 2)
    assert store.pending("other") == []
    store.resolve_pending([url])
    assert store.pending("presstv") == []
    store.add_pending(None, "presstv", url, ["http_5xx"])  # failing again reopens it
    assert [p.attempts for p in store.pending("presstv")] == [3]


def test_stats_per_site_day_mirror(store: Store) -> None:
    store.save_articles(None, [article(1), article(2, day="2024-05-02", mirror="https://www.presstv.tv"),
                               article(3, site="other", day="2024-05-02")])
    store.save_articles(None, [{**article(1), "body": body(1) + "\n\nUpdated with a new paragraph here."}])
    store.add_pending(None, "presstv", "https://www.presstv.ir/x", ["timeout"])
    stats = store.stats()
    assert stats["sites"] == [("other", 1, 0), ("presstv", 2, 1)]
    assert stats["days"] == [("other", "2024-05-02", 1), ("presstv", "2024-05-01", 1),
                             ("presstv", "2024-05-02", 1)]
    assert stats["mirrors"] == [("other", "https://www.presstv.ir", 1),
                                ("presstv", "https://www.presstv.ir", 1),
                                ("presstv", "https://www.presstv.tv", 1)]
    assert stats["pending"] == [("presstv", 1)]


WRITER = """
import sys
from newscrawl.storage import open_store
from tests.storage_data import article
store = open_store(sys.argv[1])
for batch in range(10_000):
    store.save_articles(None, [article(batch * 20 + n) for n in range(20)])
    print(batch, flush=True)
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_mid_write_leaves_sqlite_consistent(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "store.db"
    child = subprocess.Popen([sys.executable, "-c", WRITER, f"sqlite:///{path}"],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent)
    assert child.stdout is not None
    child.stdout.readline()  # one batch committed: the child is writing
    time.sleep(random.Random(seed).uniform(0.05, 0.5))
    child.send_signal(signal.SIGKILL)
    child.wait()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        articles, revisions = connection.execute(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM revisions)").fetchone()
        orphans = connection.execute("SELECT COUNT(*) FROM paragraphs WHERE article_id NOT IN "
                                     "(SELECT id FROM articles)").fetchone()[0]
    assert articles >= 20 and articles % 20 == 0  # whole batches only
    assert revisions == articles and orphans == 0
    reopened = open_store(f"sqlite:///{path}")
    assert reopened.save_articles(None, [article(10**6)]) == ["new"]
    reopened.close()
