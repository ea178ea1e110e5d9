"""The extraction pool: a page past its deadline keeps what was found, a dead worker is
replaced and its page retried once in a fresh worker (never parsed in the crawler), and
workers, forkserver and resource tracker die with a SIGKILLed crawl."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.extract.layers import failures
from newscrawl.extraction_pool import QUEUED_PAGES, ExtractionPool, WorkerDied, _Workers
from newscrawl.items import Article
from newscrawl.summary import format_summary
from tests.e2e import FAST, serve_presstv
from tests.helpers import project_settings

URL = "https://example.org/news/quotes"
UNIT = "„Ja wir kommen“ sagte Peter Müller, «non» “x y z” ‘a b’ » "
POLL = 0.02  # seconds between looks at /proc (an event check, bounded by its deadline)
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def quote_page(kilobytes: int, paragraphs: int = 1) -> bytes:
    """A page whose quotes take seconds to find (the headline and body: milliseconds)."""
    paragraph = "<p>" + UNIT * (kilobytes * 1024 // len(UNIT.encode())) + "</p>"
    return ("<html><head><title>A page of quotes</title></head><body><article>"
            "<h1>A page of quotes</h1>" + paragraph * paragraphs + "</article></body></html>").encode()


def processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, process group, command line) of every process now."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[2]), command)
    return found


def descendants(root: int) -> dict[int, str]:
    """pid -> command line of every process below ``root``."""
    table = processes()
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _group, command) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = command
                frontier.append(pid)
    return found


def workers(root: int) -> set[int]:
    """Extraction workers below ``root``: the forkserver's children."""
    below = descendants(root)
    servers = {pid for pid, command in below.items() if "forkserver" in command}
    return {pid for pid in below if processes().get(pid, (0, 0, ""))[0] in servers}


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} within {timeout} s")
        time.sleep(POLL)


@contextmanager
def pool(timeout: float) -> Iterator[tuple[ExtractionPool, dict[str, int]]]:
    crawler = get_crawler(settings_dict=project_settings(
        NEWSCRAWL_EXTRACT_WORKERS=1, NEWSCRAWL_EXTRACT_TIMEOUT=timeout))
    extraction = ExtractionPool.from_crawler(crawler)
    try:
        yield extraction, crawler.stats.get_stats()  # type: ignore[union-attr]
    finally:
        extraction.close()


async def _killing(extraction: ExtractionPool, page: bytes, kills: int) -> tuple[Article | None, int]:
    """Extract ``page`` while killing the first ``kills`` workers that appear."""
    task = asyncio.ensure_future(extraction.extract(page, URL, None))
    killed: set[int] = set()
    deadline = time.monotonic() + 60
    while not task.done() and time.monotonic() < deadline:
        if len(killed) < kills:
            for pid in workers(os.getpid()) - killed:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
        await asyncio.sleep(POLL)
    return await task, len(killed)


def test_a_page_past_its_deadline_keeps_what_was_found() -> None:
    """Quotes that take seconds are stopped at the deadline: the headline and body stay."""
    with pool(timeout=1.0) as (extraction, stats):
        article = asyncio.run(extraction.extract(quote_page(200, paragraphs=10), URL, None))
    assert article is not None and article.headline == "A page of quotes"
    assert article.body.startswith("„Ja wir kommen“") and article.quotes == []
    assert ("quotes", "timeout") in failures(article.sources)
    assert stats["newscrawl/extract/timeout"] == 1  # the layer was cut, not waited for


def test_a_page_within_its_deadline_is_whole() -> None:
    with pool(timeout=20.0) as (extraction, stats):
        article = asyncio.run(extraction.extract(quote_page(20), URL, None))
    assert article is not None and len(article.quotes) > 100
    assert "errors" not in article.sources and "newscrawl/extract/timeout" not in stats


@linux_only
def test_a_dead_worker_is_replaced_and_its_page_retried_in_a_fresh_worker() -> None:
    with pool(timeout=0) as (extraction, stats):
        article, killed = asyncio.run(_killing(extraction, quote_page(300), kills=1))
    assert killed == 1
    assert article is not None and article.headline == "A page of quotes" and article.quotes
    assert stats["newscrawl/extract/worker_died"] == 1 and stats["newscrawl/extract/retried"] == 1
    assert "newscrawl/dropped/extract_worker_died" not in stats


@linux_only
def test_a_page_whose_retry_dies_too_is_counted_as_dropped() -> None:
    with pool(timeout=0) as (extraction, stats):
        article, killed = asyncio.run(_killing(extraction, quote_page(300), kills=2))
    assert killed == 2 and article is None
    assert stats["newscrawl/extract/worker_died"] == 2
    assert stats["newscrawl/dropped/extract_worker_died"] == 1


@linux_only
def test_a_sigkilled_crawl_leaves_no_process_behind(tmp_path: Path) -> None:
    """Workers, forkserver and resource tracker of a crawl all end when it is SIGKILLed."""
    with serve_presstv(tmp_path) as mock:
        mock.server.hold("/Detail/", after=3)  # the crawl stays alive, its worker started
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(mock.sites_file),
                   "--store", f"sqlite:///{mock.store}", *FAST]
        for pin in mock.server.pins():
            command += ["--resolve", pin]
        crawl = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        try:
            wait_for(lambda: bool(workers(crawl.pid)) or crawl.poll() is not None, 60, "extraction worker")
            assert crawl.poll() is None, "the crawl ended before its worker was seen"
            left = set(descendants(crawl.pid))
            assert any("resource_tracker" in processes()[pid][2] for pid in left)
            crawl.kill()
            crawl.wait()
            wait_for(lambda: not left & set(processes()), 30, "end of the crawl's processes")
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
            mock.server.release()


def test_the_summary_shows_what_extraction_could_not_do() -> None:
    summary = format_summary("presstv", {"newscrawl/extract/timeout": 2, "newscrawl/extract/worker_died": 1,
                                         "newscrawl/extract/error/images": 3})
    assert "  extraction     error/images 3, timeout 2, worker_died 1" in summary.splitlines()
    assert "extraction" not in format_summary("presstv", {})


def _alive(pid: int) -> bool:
    """Is ``pid`` a running (not exited, not zombie) process?"""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@linux_only
def test_after_close_no_worker_process_is_alive() -> None:
    """An idle worker is joined; one busy for seconds on a page is terminated after the
    bounded wait: once ``close`` returns, no worker process is left."""
    crawler = get_crawler(settings_dict=project_settings(NEWSCRAWL_EXTRACT_WORKERS=1))
    extraction = ExtractionPool.from_crawler(crawler)
    try:
        assert asyncio.run(extraction.extract(quote_page(1), URL, None)) is not None
        idle = workers(os.getpid())
        assert idle
    finally:
        extraction.close()
    assert not [pid for pid in idle if _alive(pid)]

    extraction = ExtractionPool.from_crawler(crawler)

    async def busy() -> set[int]:
        task = asyncio.ensure_future(extraction.extract(quote_page(300, paragraphs=10), URL, None))
        deadline = time.monotonic() + 60
        while not (found := workers(os.getpid())) and time.monotonic() < deadline:
            await asyncio.sleep(POLL)
        task.cancel()
        return found

    try:
        working = asyncio.run(busy())
        assert working
    finally:
        started = time.monotonic()
        extraction.close(join_timeout=0.5)
    assert time.monotonic() - started < 10  # bounded, not the seconds the page takes
    assert not [pid for pid in working if _alive(pid)]


@linux_only
def test_warm_starts_the_worker_before_the_first_page() -> None:
    """The spider calls ``warm`` at ``spider_opened``: the worker (about 0.4 s of imports)
    starts then, not when the first article arrives; inline extraction starts nothing."""
    crawler = get_crawler(settings_dict=project_settings(NEWSCRAWL_EXTRACT_WORKERS=1))
    extraction = ExtractionPool.from_crawler(crawler)
    assert not workers(os.getpid())
    try:
        extraction.warm()
        wait_for(lambda: bool(workers(os.getpid())), 30, "extraction worker")
    finally:
        extraction.close()
    inline = ExtractionPool(0)
    inline.warm()
    assert not workers(os.getpid())


def test_pages_sent_together_each_get_their_own_article_back() -> None:
    """Twenty pages at once through one worker (four queued in its pipe, the rest waiting in
    the pool): every answer reaches the page that asked for it."""
    pages = [(f"<html><body><article><h1>Headline {i}</h1><p>{f'Body text of page {i}. ' * 20}</p>"
              f"</article></body></html>").encode() for i in range(20)]

    async def all_at_once(extraction: ExtractionPool) -> list[Article | None]:
        return list(await asyncio.gather(*(extraction.extract(page, f"{URL}/{i}", None)
                                           for i, page in enumerate(pages))))

    with pool(timeout=20.0) as (extraction, stats):
        articles = asyncio.run(all_at_once(extraction))
    assert [a.headline if a else None for a in articles] == [f"Headline {i}" for i in range(20)]
    assert all(a is not None and a.url == f"{URL}/{i}" for i, a in enumerate(articles))
    assert "newscrawl/extract/worker_died" not in stats


def test_an_error_in_the_worker_is_raised_where_the_call_was_made_and_the_worker_goes_on() -> None:
    pool_of_one = _Workers(1)

    async def calls() -> tuple[str, int]:
        with pytest.raises(ValueError, match="invalid literal"):
            await pool_of_one.call(int, "not a number")
        return "raised", await pool_of_one.call(len, "abc")

    try:
        assert asyncio.run(calls()) == ("raised", 3)
        assert len(pool_of_one.running) == 1 and not pool_of_one.ended  # the same worker
    finally:
        pool_of_one.close()


@linux_only
def test_every_page_a_dead_worker_held_is_retried_and_the_others_wait_for_its_successor() -> None:
    """Six slow pages, one worker: it holds five (one working, four queued), the sixth waits in
    the pool. Killed, it takes five with it: each is retried on its own, the sixth goes to the
    worker started in its place; all six come back."""
    page = quote_page(40)

    async def six_and_a_kill(extraction: ExtractionPool) -> tuple[list[Article | None], int]:
        tasks = [asyncio.ensure_future(extraction.extract(page, f"{URL}/{i}", None)) for i in range(6)]
        deadline = time.monotonic() + 60
        while not (found := workers(os.getpid())) and time.monotonic() < deadline:
            await asyncio.sleep(POLL)
        for pid in found:
            os.kill(pid, signal.SIGKILL)
        return list(await asyncio.gather(*tasks)), len(found)

    with pool(timeout=0) as (extraction, stats):
        articles, killed = asyncio.run(six_and_a_kill(extraction))
    assert killed == 1
    assert all(a is not None and a.url == f"{URL}/{i}" for i, a in enumerate(articles))
    assert stats["newscrawl/extract/worker_died"] == 1
    assert stats["newscrawl/extract/retried"] == 5
    assert "newscrawl/dropped/extract_worker_died" not in stats


class _TwoPartError(Exception):
    """Pickled with one argument, rebuilt with two: it cannot be unpickled (a known pitfall)."""

    def __init__(self, what: str, why: str):
        super().__init__(f"{what}: {why}")


def _raise_two_part() -> None:
    raise _TwoPartError("page", "broken")


def test_an_answer_given_just_before_the_worker_ends_still_arrives() -> None:
    """An answer and the end of the pipe read together: the answer first, then the end."""
    pool_of_one = _Workers(1)

    async def answer_then_end() -> list[object]:
        return list(await asyncio.gather(pool_of_one.call(len, "abc"), pool_of_one.call(os._exit, 0),
                                         return_exceptions=True))

    try:
        answered, ended = asyncio.run(asyncio.wait_for(answer_then_end(), 60))
    finally:
        pool_of_one.close()
    assert answered == 3 and isinstance(ended, WorkerDied)


def test_an_answer_that_cannot_be_unpickled_is_an_error_of_its_call_only() -> None:
    pool_of_one = _Workers(1)

    async def calls() -> tuple[BaseException, int]:
        error = (await asyncio.gather(pool_of_one.call(_raise_two_part), return_exceptions=True))[0]
        assert isinstance(error, BaseException)
        return error, await pool_of_one.call(len, "abcd")

    try:
        error, after = asyncio.run(asyncio.wait_for(calls(), 60))  # a lost answer would wait forever
    finally:
        pool_of_one.close()
    assert isinstance(error, RuntimeError) and "unreadable answer" in str(error) and after == 4


def test_a_call_that_cannot_be_sent_fails_alone() -> None:
    """Sent at once or later (waiting in the pool behind a busy worker, then sent from a loop
    callback): an unpicklable call fails by itself, the others are answered."""
    pool_of_one = _Workers(1)

    async def calls() -> list[object]:
        busy = [pool_of_one.call(time.sleep, 0.05) for _ in range(QUEUED_PAGES + 1)]
        return list(await asyncio.gather(pool_of_one.call(len, lambda: None), *busy,
                                         pool_of_one.call(len, lambda: None), pool_of_one.call(len, "ab"),
                                         return_exceptions=True))

    try:
        at_once, *rest = asyncio.run(asyncio.wait_for(calls(), 60))
    finally:
        pool_of_one.close()
    *slept, later, after = rest
    assert isinstance(at_once, Exception) and isinstance(later, Exception)
    assert slept == [None] * (QUEUED_PAGES + 1) and after == 2
