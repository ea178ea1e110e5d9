"""The store failing under a crawl: a full SQLite file, PostgreSQL restarted or gone for good.
Nothing is lost: transient faults are retried (reconnecting), a store that is gone stops the
crawl with a non-zero exit, the unwritten articles are in the JSON lines and a spool file the
next run imports. Real SQLite limits and a real PostgreSQL server; waits on events."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from newscrawl.storage import open_store
from tests import fixtures_postgres
from tests.e2e import FAST, MockPressTV, serve_presstv

own_postgres = fixtures_postgres.own_postgres
postgres_server = fixtures_postgres.postgres_server
store_url = fixtures_postgres.store_url
PostgresInstance = fixtures_postgres.PostgresInstance
ARTICLES = 40
# The crawl's SQLite store may grow this many pages (4 KiB) beyond its size once opened: a
# real "database or disk is full" after the first articles (PRAGMA max_page_count).
FULL_AFTER_PAGES = 40
LIMITED = """
import sys
from newscrawl.storage import sqlite
from newscrawl import cli

opened = sqlite.SQLiteStore.__init__

def limited(self, path):
    opened(self, path)
    pages = self.connection.execute("PRAGMA page_count").fetchone()[0]
    self.connection.execute(f"PRAGMA max_page_count = {pages + int(sys.argv[1])}")

sqlite.SQLiteStore.__init__ = limited
sys.exit(cli.main(sys.argv[2:]))
"""


class CrawlProcess:
    """A crawl in a subprocess; its log read as it comes, so a test can wait for a line."""

    def __init__(self, command: list[str]):
        self.child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env={**os.environ, "PYTHONWARNINGS": "ignore"})
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.child.stderr is not None
        for line in self.child.stderr:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for_line(self, text: str, timeout: float = 60) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: any(text in line for line in self.lines), timeout):
                raise TimeoutError(f"the crawl never logged {text!r}:\n{''.join(self.lines)[-3000:]}")

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        assert self.child.stdout is not None
        stdout = self.child.stdout.read()
        code = self.child.wait(timeout)
        self.reader.join(timeout)
        return code, stdout, "".join(self.lines)


def crawl_command(mock: MockPressTV, output: Path, *args: str, prefix: tuple[str, ...] = ()) -> list[str]:
    command = [sys.executable, *(prefix or ("-m", "newscrawl.cli")), "crawl", "presstv",
               "--sites", str(mock.sites_file), "--store", f"sqlite:///{mock.store}", "-o", str(output),
               *FAST, "-s", "NEWSCRAWL_STORE_BATCH=5",
               "-s", f"NEWSCRAWL_STORE_SPOOL_DIR={mock.tmp / 'spool'}", *args]
    for pin in mock.server.pins():
        command += ["--resolve", pin]
    return command


def jsonl_urls(path: Path) -> set[str]:
    return {json.loads(line)["url"] for line in path.read_text(encoding="utf-8").splitlines()}


def spooled(mock: MockPressTV) -> tuple[list[Path], set[str]]:
    files = sorted((mock.tmp / "spool").glob("*.jsonl"))
    entries = [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    return files, {entry["article"]["url"] for entry in entries if "article" in entry}


def stored(url: str, sql: str) -> list[tuple[Any, ...]]:
    store = open_store(url)
    try:
        with store.read() as cur:
            cur.execute(sql)
            return [tuple(row) for row in cur.fetchall()]
    finally:
        store.close()


def assert_next_run_imports(mock: MockPressTV, store_url: str, spool_urls: set[str]) -> None:
    """A second crawl imports the spool (with its first run's id), finishes that run as
    ``failed``, removes the spool and ends with every article stored once."""
    again = mock.crawl("--store", store_url, "-s", f"NEWSCRAWL_STORE_SPOOL_DIR={mock.tmp / 'spool'}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"imported       {len(spool_urls)} articles spooled by an earlier run" in again.stdout
    assert spooled(mock)[0] == []
    rows = stored(store_url, "SELECT url, run_id FROM articles")
    assert sorted(url for url, _ in rows) == sorted(mock.expected_urls)
    first_run = min(run_id for url, run_id in rows if url in spool_urls)
    assert {run_id for url, run_id in rows if url in spool_urls} == {first_run}
    outcomes = stored(store_url, "SELECT id, outcome FROM runs ORDER BY id")
    assert outcomes[0] == (first_run, "failed") and outcomes[-1][1] == "finished"


def test_sqlite_disk_full_mid_crawl_stops_spools_and_exits_non_zero(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        output = tmp_path / "full.jsonl"
        crawl = CrawlProcess(crawl_command(mock, output, prefix=("-c", LIMITED, str(FULL_AFTER_PAGES))))
        code, stdout, log = crawl.finish()
        assert code == 1, log[-3000:]
        assert "database or disk is full" in stdout and "store failed" in stdout
        in_store = {url for (url,) in stored(f"sqlite:///{mock.store}", "SELECT url FROM articles")}
        files, in_spool = spooled(mock)
        assert in_store and in_spool and len(files) == 1 and not in_store & in_spool
        assert jsonl_urls(output) == in_store | in_spool  # every article kept: stored or spooled
        assert (f"{len(in_spool)} articles not stored are in the JSON lines, {len(in_spool)} of them spooled"
                f" to {files[0]} (the next run imports them)") in stdout
        assert_next_run_imports(mock, f"sqlite:///{mock.store}", in_spool)


def test_postgres_restarted_mid_crawl_reconnects_and_stores_every_article(
        tmp_path: Path, own_postgres: PostgresInstance) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/", after=12)  # the crawl waits there while the server goes down
        crawl = CrawlProcess(crawl_command(mock, tmp_path / "pg.jsonl", "--store", own_postgres.url))
        mock.server.wait_held(1)
        own_postgres.stop("immediate")  # a crash: connections cut, no shutdown
        mock.server.release()
        crawl.wait_for_line("store call failed")  # the crawl met the lost connection and waits
        own_postgres.start()
        code, stdout, log = crawl.finish()
        assert code == 0, log[-3000:]
        rows = stored(own_postgres.url, "SELECT url FROM articles")
        assert sorted(url for (url,) in rows) == sorted(mock.expected_urls)
        assert jsonl_urls(tmp_path / "pg.jsonl") == mock.expected_urls
        assert spooled(mock)[0] == [] and "store failed" not in stdout


def test_postgres_gone_for_good_keeps_articles_in_jsonl_and_spool(
        tmp_path: Path, own_postgres: PostgresInstance) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/", after=12)
        output = tmp_path / "gone.jsonl"
        crawl = CrawlProcess(crawl_command(mock, output, "--store", own_postgres.url,
                                           "-s", "NEWSCRAWL_STORE_RETRY_TIMES=2",
                                           "-s", "NEWSCRAWL_STORE_RETRY_WAIT=0.1"))
        mock.server.wait_held(1)
        own_postgres.stop("immediate")
        mock.server.release()
        code, stdout, log = crawl.finish()
        assert code == 1, log[-3000:]
        assert "newscrawl summary for presstv (store_failed)" in stdout
        files, in_spool = spooled(mock)
        assert len(files) == 1 and in_spool
        own_postgres.start()
        in_store = {url for (url,) in stored(own_postgres.url, "SELECT url FROM articles")}
        assert not in_store & in_spool
        assert jsonl_urls(output) == in_store | in_spool
        assert_next_run_imports(mock, own_postgres.url, in_spool)


def test_busy_sqlite_store_is_retried_until_the_lock_is_released(tmp_path: Path) -> None:
    import asyncio
    import logging

    from newscrawl.storelink import RetryPolicy, StoreLink
    from tests.storage_data import article

    url = f"sqlite:///{tmp_path}/busy.db"
    link = StoreLink(url, RetryPolicy(times=50, wait=0.02, max_wait=0.05))
    retried = threading.Event()

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            retried.set()

    handler = Seen(logging.WARNING)
    logging.getLogger("newscrawl.storelink").addHandler(handler)
    blocker = sqlite3.connect(f"{tmp_path}/busy.db", isolation_level=None)

    async def scenario() -> list[str]:
        await link.call(lambda store: store.connection.execute("PRAGMA busy_timeout = 10"))
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        saving = asyncio.ensure_future(link.call(lambda store: store.save_articles(None, [article(1)])))
        await asyncio.get_running_loop().run_in_executor(None, retried.wait, 30)
        blocker.execute("COMMIT")
        return list(await saving)

    try:
        assert asyncio.run(scenario()) == ["new"]
        assert link.failed is None
    finally:
        logging.getLogger("newscrawl.storelink").removeHandler(handler)
        link.close()
        blocker.close()


# --- a store that cannot be used: one line, before the crawl starts -----------------------

def test_a_store_of_a_newer_schema_is_refused_in_one_line(store_url: str) -> None:
    from newscrawl.storage import StoreError

    store = open_store(store_url)
    with store.transaction() as cur:
        cur.execute("UPDATE schema_versions SET version = 99 WHERE component = 'core'")
    store.close()
    with pytest.raises(StoreError) as refused:
        open_store(store_url)
    message = str(refused.value)
    assert "'core' is version 99, newer than version 8 of this newscrawl" in message
    assert "\n" not in message
    with pytest.raises(StoreError, match="version 99"):  # refused again: nothing was changed
        open_store(store_url)


@pytest.mark.parametrize("kind", ["corrupted", "unreachable", "bad_url", "newer"])
def test_crawl_with_an_unusable_store_is_one_line_and_exit_2(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newscrawl import cli

    if kind == "corrupted":
        (tmp_path / "bad.db").write_bytes(b"this is not a database file, " * 200)
        url = f"sqlite:///{tmp_path}/bad.db"
    elif kind == "unreachable":
        url = f"postgresql://crawler:hunter2@127.0.0.1:{fixtures_postgres._free_port()}/news"
    elif kind == "bad_url":
        url = "postgresql://crawler:hunter2@127.0.0.1:notaport/news?password=hunter2"
    else:
        url = f"sqlite:///{tmp_path}/newer.db"
        store = open_store(url)
        with store.transaction() as cur:
            cur.execute("UPDATE schema_versions SET version = 99 WHERE component = 'core'")
        store.close()
    code = cli.main(["crawl", "presstv", "--store", url, "-o", str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("newscrawl: error: ") and "Traceback" not in err
    assert "hunter2" not in err
    assert not (tmp_path / "out.jsonl").exists() or not (tmp_path / "out.jsonl").read_text()


def test_unwritable_spool_still_keeps_the_articles_in_the_jsonl(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        (tmp_path / "spool").write_text("a file where the spool directory should be", encoding="utf-8")
        output = tmp_path / "full.jsonl"
        crawl = CrawlProcess(crawl_command(mock, output, prefix=("-c", LIMITED, str(FULL_AFTER_PAGES))))
        code, stdout, log = crawl.finish()
        assert code == 1, log[-3000:]
        in_store = {url for (url,) in stored(f"sqlite:///{mock.store}", "SELECT url FROM articles")}
        lost = jsonl_urls(output) - in_store
        assert lost and f", {len(lost)} in the JSON lines only" in stdout
        assert "neither stored nor spooled" in log


def test_a_store_failure_never_ends_as_finished() -> None:
    from newscrawl.crawl import CrawlResult, crawl_reason
    from newscrawl.summary import format_summary

    stats = {"finish_reason": "finished", "newscrawl/store/error": "sqlite:///x.db: store failed (disk full)",
             "newscrawl/store/spooled": 3, "newscrawl/store/spool_file": "output/spool/presstv-1.jsonl"}
    assert crawl_reason(stats) == "store_failed"
    assert not CrawlResult(crawl_reason(stats), "", "", stats).ok
    summary = format_summary("presstv", stats)
    assert summary.startswith("newscrawl summary for presstv (store_failed):")
    assert ("  store failed   3 articles not stored are in the JSON lines, 3 of them spooled to"
            " output/spool/presstv-1.jsonl (the next run imports them):"
            " sqlite:///x.db: store failed (disk full)") in summary.splitlines()
    assert crawl_reason({"finish_reason": "finished"}) == "finished"


def test_the_run_of_a_killed_crawl_is_marked_killed_by_the_next_run(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/", after=5)
        crawl = CrawlProcess(crawl_command(mock, tmp_path / "killed.jsonl"))
        mock.server.wait_held(1)
        crawl.child.kill()
        crawl.finish()
        mock.server.release()
        url = f"sqlite:///{mock.store}"
        assert stored(url, "SELECT outcome, finished_at FROM runs") == [(None, None)]  # 'running'
        again = mock.crawl()
        assert again.returncode == 0, again.stderr[-3000:]
        outcomes = stored(url, "SELECT outcome FROM runs ORDER BY id")
        assert outcomes == [("killed",), ("finished",)]
