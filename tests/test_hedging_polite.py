"""Hedges go through Scrapy's engine: the mirror's robots.txt and its downloader slot apply.

A real Scrapy crawl (the project's hedging download handler, Scrapy's engine, robots.txt
middleware and downloader) runs in a subprocess against an event-reporting server on
127.0.0.1. The first request goes to ``localhost``, its hedge to ``127.0.0.1``: one server,
two hosts, two downloader slots. The server puts every request it gets on a queue and holds
some paths until the test releases them; the crawl reports what it does (a hedge entering
the mirror's slot, a robots.txt refusal, a parsed page) by requesting ``/notify/...``.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

WAIT = 30.0  # seconds any one expected event may take on a loaded machine

HARNESS = r'''
import json, sys, urllib.request
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.statscollectors import MemoryStatsCollector

from newscrawl import settings as project

COUNTERS = ("DownloaderStats", "CoreStats")  # newscrawl's response counters, as its crawls have them
PORT, MODE, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3]
PRIMARY, MIRROR = f"http://localhost:{PORT}", f"http://127.0.0.1:{PORT}"


def notify(what):
    urllib.request.urlopen(f"{PRIMARY}/notify/{what}", timeout=10).read()


class Stats(MemoryStatsCollector):
    def inc_value(self, key, *args, **kwargs):
        super().inc_value(key, *args, **kwargs)
        if key == "newscrawl/failover/hedge_robots_refused":
            notify("refused")


class Spider(scrapy.Spider):
    name = "hedging"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.reached, signal=signals.request_reached_downloader)
        return spider

    def reached(self, request):
        if "failover_hedge_of" in request.meta:
            notify("hedge_queued")

    async def start(self):
        if MODE == "slot":
            yield scrapy.Request(f"{MIRROR}/held", callback=self.parse, meta={"mark": "held"})
        yield scrapy.Request(
            f"{PRIMARY}/article/1", callback=self.parse,
            headers={"Cookie": "session=secret", "Authorization": "Basic c2VjcmV0"},
            meta={"mark": "article", "failover_hedge_url": f"{MIRROR}/article/1",
                  "failover_hedge_after": 0.3, "download_timeout": 60})

    def parse(self, response):
        if response.meta.get("mark") == "article":
            notify("parsed")
            if MODE == "inflight":  # the mirror's slot must be free again: the hedge cancelled
                yield scrapy.Request(f"{MIRROR}/after", callback=self.parse,
                                     meta={"mark": "after"})
        yield {"mark": response.meta.get("mark"), "url": response.url,
               "body": response.text}


process = CrawlerProcess({
    "DOWNLOAD_HANDLERS": {"http": "newscrawl.failover.hedging.HedgingDownloadHandler"},
    "NEWSCRAWL_FAILOVER_HEDGE_HANDLER":
        "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
    "ROBOTSTXT_OBEY": MODE == "robots",
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "STATS_CLASS": "__main__.Stats",
    "DOWNLOADER_MIDDLEWARES": {k: v for k, v in project.DOWNLOADER_MIDDLEWARES.items()
                               if k.endswith(COUNTERS)},
    "EXTENSIONS": {k: v for k, v in project.EXTENSIONS.items() if k.endswith(COUNTERS)},
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "FEEDS": {OUT: {"format": "jsonlines"}},
})
process.crawl(Spider)
process.start()
'''


@dataclass
class Event:
    host: str
    path: str
    headers: dict[str, str]


@dataclass
class Server:
    port: int
    events: queue.Queue[Event]
    held: dict[str, threading.Event] = field(default_factory=dict)

    def release(self, host: str, path: str) -> None:
        self.held[f"{host}{path}"].set()

    def next(self, wanted: str | None = None) -> Event:
        """The next request the server got (``wanted``: the next one for that path, others
        are dropped); a test failure when nothing comes."""
        while True:
            try:
                event = self.events.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no request to the server within {WAIT} s (waiting for {wanted})")
            if wanted is None or event.path == wanted:
                return event


def serve(held: tuple[str, ...]) -> tuple[ThreadingHTTPServer, Server]:
    events: queue.Queue[Event] = queue.Queue()
    state = Server(0, events, {key: threading.Event() for key in held})

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            host = self.headers.get("Host", "").split(":")[0]
            events.put(Event(host, self.path, dict(self.headers.items())))
            gate = state.held.get(f"{host}{self.path}")
            if gate is not None:
                gate.wait(WAIT * 2)
            if self.path == "/robots.txt":
                body = b"User-agent: *\nDisallow: /article\n" if host == "127.0.0.1" else b""
                kind = "text/plain"
            else:
                body = f"<html><body>{host}{self.path}</body></html>".encode()
                kind = "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


@dataclass
class Crawl:
    server: Server
    process: subprocess.Popen[str]
    output: Path

    def finish(self) -> tuple[list[dict[str, str]], str]:
        try:
            _, stderr = self.process.communicate(timeout=WAIT * 2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
            pytest.fail(f"the crawl did not end: {stderr[-3000:]}")
        assert self.process.returncode == 0, stderr[-3000:]
        items = [json.loads(line) for line in self.output.read_text().splitlines() if line]
        return items, stderr


@pytest.fixture
def crawl(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Crawl]:
    mode, held = request.param
    server, state = serve(held)
    script = tmp_path / "harness.py"
    script.write_text(HARNESS)
    output = tmp_path / "items.jsonl"
    process = subprocess.Popen(
        [sys.executable, str(script), str(state.port), mode, str(output)],
        cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        yield Crawl(state, process, output)
    finally:
        for gate in state.held.values():
            gate.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
        server.shutdown()
        server.server_close()


def events_until(server: Server, path: str) -> list[Event]:
    """Every request the server gets up to the first one for ``path``, that one included;
    a test failure as soon as the mirror is asked for the article before that."""
    seen = []
    while not seen or seen[-1].path != path:
        seen.append(server.next())
        if (seen[-1].host, seen[-1].path) == ("127.0.0.1", "/article/1"):
            pytest.fail(f"the mirror was asked for the article before {path}: {seen}")
    return seen


@pytest.mark.parametrize("crawl", [("robots", ("localhost/article/1",))], indirect=True)
def test_robots_disallowed_mirror_never_gets_the_hedge(crawl: Crawl) -> None:
    seen = events_until(crawl.server, "/notify/refused")  # the hedge, refused by robots.txt
    assert ("127.0.0.1", "/robots.txt") in [(e.host, e.path) for e in seen]
    crawl.server.release("localhost", "/article/1")  # the slow first request answers
    items, stderr = crawl.finish()
    assert [(item["mark"], item["url"]) for item in items] == [
        ("article", f"http://localhost:{crawl.server.port}/article/1")]
    assert "'newscrawl/failover/hedge_robots_refused': 1" in stderr
    rest = []
    while not crawl.server.events.empty():
        rest.append(crawl.server.events.get())
    assert not [e for e in seen + rest if e.host == "127.0.0.1" and e.path.startswith("/article")]


@pytest.mark.parametrize("crawl", [("slot", ("127.0.0.1/held", "localhost/article/1"))],
                         indirect=True)
def test_hedge_waits_for_the_mirrors_slot_and_wins(crawl: Crawl) -> None:
    first = {(e.host, e.path) for e in (crawl.server.next(), crawl.server.next())}
    assert first == {("127.0.0.1", "/held"), ("localhost", "/article/1")}
    seen = events_until(crawl.server, "/notify/hedge_queued")  # in the mirror's (busy) slot
    assert not [e for e in seen if e.path.startswith("/article")], seen
    crawl.server.release("127.0.0.1", "/held")
    hedge = crawl.server.next()
    assert (hedge.host, hedge.path) == ("127.0.0.1", "/article/1")  # only once the slot is free
    assert "Cookie" not in hedge.headers and "Authorization" not in hedge.headers
    crawl.server.next("/notify/parsed")
    crawl.server.release("localhost", "/article/1")
    items, _ = crawl.finish()
    article = [item for item in items if item["mark"] == "article"]  # the first request's meta
    assert [item["url"] for item in article] == [f"http://127.0.0.1:{crawl.server.port}/article/1"]


@pytest.mark.parametrize("crawl", [("slot", ("127.0.0.1/held", "localhost/article/1"))],
                         indirect=True)
def test_hedge_still_waiting_in_the_slot_is_dropped_when_the_first_answers(crawl: Crawl) -> None:
    seen = events_until(crawl.server, "/notify/hedge_queued")
    crawl.server.release("localhost", "/article/1")
    seen += events_until(crawl.server, "/notify/parsed")
    crawl.server.release("127.0.0.1", "/held")
    items, _ = crawl.finish()
    assert sorted(item["url"] for item in items) == [
        f"http://127.0.0.1:{crawl.server.port}/held",
        f"http://localhost:{crawl.server.port}/article/1"]
    rest = []
    while not crawl.server.events.empty():
        rest.append(crawl.server.events.get())
    assert not [e for e in seen + rest if e.host == "127.0.0.1" and e.path == "/article/1"], rest


@pytest.mark.parametrize("crawl", [("inflight", ("127.0.0.1/article/1", "localhost/article/1"))],
                         indirect=True)
def test_hedge_in_flight_is_cancelled_and_frees_the_mirrors_slot(crawl: Crawl) -> None:
    seen = [crawl.server.next()]
    seen += events_until(crawl.server, "/notify/hedge_queued")
    hedge = crawl.server.next()
    assert (hedge.host, hedge.path) == ("127.0.0.1", "/article/1")  # in flight, held
    assert ("localhost", "/article/1") in [(e.host, e.path) for e in seen]
    crawl.server.release("localhost", "/article/1")  # the first answers: the hedge loses
    crawl.server.next("/notify/parsed")
    after = crawl.server.next()  # the mirror's only slot, while its article is still held
    assert (after.host, after.path) == ("127.0.0.1", "/after")
    items, _ = crawl.finish()
    assert sorted(item["mark"] for item in items) == ["after", "article"]
    assert [item["url"] for item in items if item["mark"] == "article"] == [
        f"http://localhost:{crawl.server.port}/article/1"]


@pytest.mark.parametrize("crawl", [("slot", ("127.0.0.1/held", "localhost/article/1"))],
                         indirect=True)
def test_a_winning_hedge_is_counted_once(crawl: Crawl) -> None:
    """The mirror's answer passes the downloader middlewares and the engine's
    response_received on its own way in, then again as the first request's answer: the
    stats count it once (two responses came: /held and the hedge; the first was cancelled)."""
    events_until(crawl.server, "/notify/hedge_queued")
    crawl.server.release("127.0.0.1", "/held")
    crawl.server.next("/notify/parsed")
    crawl.server.release("localhost", "/article/1")
    _, stderr = crawl.finish()
    stats = stderr[stderr.index("Dumping Scrapy stats"):]
    for counted in ("'downloader/request_count': 3", "'downloader/response_count': 2",
                    "'downloader/response_status_count/200': 2", "'response_received_count': 2"):
        assert counted in stats, stats
