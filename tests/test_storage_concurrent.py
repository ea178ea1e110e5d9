"""Several writers on one store (issue 12): two processes write the same articles at once
into one real PostgreSQL (and SQLite) store; every article is stored once, none dropped."""

from __future__ import annotations

import multiprocessing
from typing import Any

from newscrawl.storage import open_store
from tests import fixtures_postgres
from tests.storage_data import article

postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url

ARTICLES = 120
BATCH = 12


def write_all(store_url: str, start: Any, results: Any) -> None:
    """One writer: wait for the other, then save every article in batches."""
    store = open_store(store_url)
    outcomes: list[str] = []
    start.wait()
    try:
        for first in range(0, ARTICLES, BATCH):
            outcomes += store.save_articles(None, [article(n) for n in range(first, first + BATCH)])
        results.put(outcomes)
    except Exception as exc:  # the test reports what the writer met
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


def race(store_url: str) -> list[Any]:
    open_store(store_url).close()  # the schema exists before the writers start
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    writers = [context.Process(target=write_all, args=(store_url, start, results)) for _ in range(2)]
    for writer in writers:
        writer.start()
    outcomes = [results.get(timeout=300) for _ in writers]
    for writer in writers:
        writer.join()
    return outcomes


def test_two_writers_store_every_article_once(store_url: str) -> None:
    first, second = race(store_url)
    assert isinstance(first, list) and isinstance(second, list), (first, second)  # no batch failed
    for n in range(ARTICLES):
        assert sorted([first[n], second[n]]) == ["new", "unchanged"], n
    store = open_store(store_url)
    with store.read() as cur:
        cur.execute("SELECT COUNT(*), COUNT(DISTINCT url) FROM articles")
        assert tuple(cur.fetchone()) == (ARTICLES, ARTICLES)
        cur.execute("SELECT COUNT(*) FROM revisions")
        assert cur.fetchone()[0] == ARTICLES
    store.close()


def open_when_all_are_ready(store_url: str, start: Any, results: Any) -> None:
    """One of several processes opening (creating) the same new store at the same instant."""
    start.wait()
    try:
        open_store(store_url).close()
        results.put("ok")
    except Exception as exc:  # the test reports what the opener met
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_one_new_sqlite_store_at_once_all_open_it(tmp_path: Any) -> None:
    """Two crawls (or Redis workers) started at once on a store that does not exist yet: SQLite
    answers the switch to WAL mode with "database is locked" at once, without its busy
    timeout; every process must open the store. Four openers per round, released together by a
    barrier, ten rounds (without the retry, about one round in four failed)."""
    context = multiprocessing.get_context("forkserver")
    for round_ in range(10):
        store_url = f"sqlite:///{tmp_path}/new-{round_}.db"
        start, results = context.Barrier(4), context.Queue()
        openers = [context.Process(target=open_when_all_are_ready, args=(store_url, start, results))
                   for _ in range(4)]
        for opener in openers:
            opener.start()
        answers = [results.get(timeout=120) for _ in openers]
        for opener in openers:
            opener.join()
        assert answers == ["ok"] * 4, (round_, answers)
        store = open_store(store_url)
        assert store.schema_version() > 0
        store.close()
