"""Many workers on Redis (``newscrawl.distributed``): the leased queue against a real
redis-server, and real CLI workers crawling the mock site, one of them SIGKILLed mid-crawl."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import scrapy

from tests import fixtures_redis
from tests.e2e import CRAWL_ENV, FAST, HOSTS, CrawlRun, LiveCrawl, MockPressTV, serve_presstv

redis = fixtures_redis.redis
redis_url = fixtures_redis.redis_url

from newscrawl.distributed.leases import LEASE, CrawlKeys, LeasedQueue  # noqa: E402  (needs the extra)

ARTICLES = 60
WORKER = ("-s", "NEWSCRAWL_REDIS_IDLE_CLOSE=2", "-s", "NEWSCRAWL_REDIS_LEASE_SECONDS=3",
          "-s", "NEWSCRAWL_REFRESH_WINDOW_HOURS=0", "-s", "NEWSCRAWL_STORE_BATCH=5",
          "-s", "NEWSCRAWL_FAILOVER_HEDGE=False")  # a held page is not raced on a mirror


class Pages(scrapy.Spider):
    name = "pages"

    def parse(self, response: object) -> None:
        """The callback the queued requests name."""


def until(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Return once ``check()`` holds (Redis state, re-read every 20 ms); a safety-net timeout."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


def queue(url: str, owner: str, lease_seconds: float = 30) -> LeasedQueue:
    return LeasedQueue(redis.Redis.from_url(url), Pages(), CrawlKeys.under("test:site"), owner, lease_seconds)


def test_a_pop_is_a_lease_until_acknowledged(redis_url: str) -> None:
    worker = queue(redis_url, "w1")
    worker.push(scrapy.Request("http://example.org/a", priority=5, callback=Pages().parse))
    request = worker.pop()
    assert request is not None and request.url == "http://example.org/a"
    assert request.meta[LEASE] == "w1:1" and len(worker) == 0 and worker.leased() == 1
    assert worker.pop() is None
    assert worker.ack(["w1:1"]) == 1
    assert worker.leased() == 0 and worker.server.hlen(worker.keys.leased) == 0


def test_a_new_request_is_recorded_and_queued_in_one_step(redis_url: str) -> None:
    """The dupefilter's fingerprint and the queued request are written by one script: a
    worker killed between the two (scrapy-redis sends them one after the other) would leave
    a request marked seen that no worker ever fetches."""
    worker = queue(redis_url, "w")
    request = scrapy.Request("http://example.org/a", priority=3, callback=Pages().parse)
    assert worker.push_new(request, "f1") is True
    assert worker.server.smembers(worker.keys.dupefilter) == {b"f1"} and len(worker) == 1
    assert worker.push_new(request.replace(), "f1") is False  # seen: neither recorded nor queued
    assert len(worker) == 1
    assert worker.push_new(request.replace(dont_filter=True), "f1") is True  # dont_filter: queued
    assert len(worker) == 2 and worker.server.scard(worker.keys.dupefilter) == 1


def test_an_expired_lease_returns_to_the_queue_with_its_priority(redis_url: str) -> None:
    dead, alive = queue(redis_url, "dead", lease_seconds=2), queue(redis_url, "alive")
    parse = Pages().parse
    dead.push(scrapy.Request("http://example.org/article", priority=10, callback=parse))
    dead.push(scrapy.Request("http://example.org/listing", priority=1, callback=parse))
    taken = dead.pop()
    assert taken is not None and taken.url.endswith("/article")
    assert alive.reclaim_expired() == 0  # not expired yet
    until(lambda: alive.reclaim_expired() == 1, "the dead worker's lease expired and was returned")
    again = alive.pop()  # first again: its priority kept; as data, so no dupefilter is asked
    assert again is not None and again.url.endswith("/article") and again.meta[LEASE] == "alive:1"
    assert dead.ack(["dead:1"]) == 0  # a returned lease is no longer the dead worker's
    assert alive.leased() == 1


def test_renewed_leases_do_not_expire_and_give_back_returns_them(redis_url: str) -> None:
    """A renewal pushes the lease's deadline (on Redis's clock) a whole lease past now; no
    wall-clock sleeping: the deadlines are read from Redis."""
    worker, other = queue(redis_url, "w", lease_seconds=30), queue(redis_url, "o")
    worker.push(scrapy.Request("http://example.org/x", callback=Pages().parse))
    assert worker.pop() is not None
    first = worker.server.zscore(worker.keys.leases, "w:1")
    assert worker.renew(["w:1"]) == 1
    renewed = worker.server.zscore(worker.keys.leases, "w:1")
    assert first is not None and renewed is not None and renewed > first
    now = worker.server.time()
    assert renewed - (now[0] + now[1] / 1e6) > 29  # a whole lease ahead
    assert other.reclaim_expired() == 0
    assert worker.renew(["gone:1"]) == 0  # only existing leases are renewed
    assert worker.give_back(["w:1"]) == 1
    assert len(worker) == 1 and worker.leased() == 0


# --- real workers ------------------------------------------------------------------


def worker_args(url: str) -> tuple[str, ...]:
    return ("--redis", url, *WORKER)


def start_workers(mock: MockPressTV, url: str, count: int, *extra: str) -> list[LiveCrawl]:
    """``count`` workers started at once on a store none of them has created yet."""
    return [mock.start(*worker_args(url), *extra) for _ in range(count)]


def leases_of(client: redis.Redis, pid: int) -> int:
    return sum(1 for lease in client.zrange("newscrawl:presstv:leases", 0, -1)
               if lease.decode().split(":")[1] == str(pid))


def both_working(mock: MockPressTV, url: str, *extra: str) -> list[CrawlRun]:
    """Two workers, both up and holding leases before the articles flow (the mock holds the
    article requests until then); both exit 0."""
    client = redis.Redis.from_url(url)
    mock.server.hold("/Detail/", after=5)
    first, second = start_workers(mock, url, 2, *extra)
    until(lambda: all(leases_of(client, w.process.pid) > 0 for w in (first, second)),
          "both workers hold leases (requests held at the mock)")
    mock.server.release()
    runs = [first.finish(), second.finish()]
    for run in runs:
        assert run.returncode == 0, run.stderr[-3000:]
    return runs


def stat_of(run: CrawlRun, key: str) -> int:
    """A counter of the stats a worker dumps at its end (0 when it never counted)."""
    found = re.search(rf"'{re.escape(key)}': (\d+)", run.stderr)
    return int(found.group(1)) if found else 0


def check_stored_once(mock: MockPressTV) -> None:
    stored = [url for (url,) in mock.stored("SELECT url FROM articles")]
    assert sorted(stored) == sorted(mock.expected_urls)  # none lost, none twice
    revisions = mock.stored("SELECT article_id, COUNT(*) FROM revisions GROUP BY article_id")
    assert len(revisions) == ARTICLES and {count for _, count in revisions} == {1}


def test_workers_share_one_crawl_and_clean_up_after_it(tmp_path: Path, redis_url: str) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        runs = both_working(mock, redis_url)
        assert sum(1 for run in runs if "start requests seeded" in run.stderr) == 1
        check_stored_once(mock)
        details = [r.path for r in mock.server.requests if r.path.startswith("/Detail/")]
        assert len(details) == len(set(details))  # no page fetched twice (by one worker or two)
        assert all(len(run.items) for run in runs)  # both did some of it
        assert redis.Redis.from_url(redis_url).keys("newscrawl:*") == []  # the next crawl starts afresh
    listed = subprocess.run([sys.executable, "-m", "newscrawl.cli", "runs", "--store", f"sqlite:///{mock.store}",
                             "--format", "json"], capture_output=True, text=True, timeout=60, env=CRAWL_ENV)
    assert listed.returncode == 0, listed.stderr
    (run,) = [json.loads(line) for line in listed.stdout.splitlines()]  # one run, of two workers
    assert run["workers"] == 2 and run["outcome"] == "finished" and run["counts"]["new"] == ARTICLES


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path: Path, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/", after=12)
        victim, survivor = start_workers(mock, redis_url, 2)
        pid = victim.process.pid
        until(lambda: client.get("newscrawl:presstv:seed") == b"done" and mock.server.held > 0
              and leases_of(client, pid) > 0, "the victim holds leases on held article requests")
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        lost_with_it = leases_of(client, pid)
        assert lost_with_it > 0
        mock.server.release()
        late = mock.start(*worker_args(redis_url))  # a worker joining a running crawl
        runs = [survivor.finish(), late.finish()]
        for run in runs:
            assert run.returncode == 0, run.stderr[-3000:]
        assert "newscrawl/redis/reclaimed" in "".join(run.stderr for run in runs)
        check_stored_once(mock)
        assert client.keys("newscrawl:*") == []


def test_max_articles_holds_for_the_whole_crawl_not_per_worker(tmp_path: Path, redis_url: str) -> None:
    """``--max-articles 20`` on two workers: 20 articles in all (counted in Redis), both stop
    with ``max_articles``, what was stored is exactly what they yielded, and an article a
    worker parsed but did not yield (the other took the last one) is counted past the limit."""
    client = redis.Redis.from_url(redis_url)
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        runs = both_working(mock, redis_url, "--max-articles", "20")
        for run in runs:
            assert "max_articles" in run.stderr
            parsed = stat_of(run, "newscrawl/articles/parsed")
            past = stat_of(run, "newscrawl/articles/past_limit")
            assert parsed - len(run.items) <= past, run.stderr[-3000:]
        assert sum(len(run.items) for run in runs) == 20  # per worker, the second would go on to 40
        stored = {url for (url,) in mock.stored("SELECT url FROM articles")}
        assert stored == {item["url"] for run in runs for item in run.items}
        assert [key.decode() for key in client.keys("newscrawl:*")] == ["newscrawl:presstv:stopped"]


def test_a_domain_one_worker_found_seized_is_not_tried_by_a_worker_joining_later(
        tmp_path: Path, redis_url: str) -> None:
    """The primary serves a seizure banner: the first worker opens it (failover state shared
    in Redis); a worker joining afterwards sends it no request at all, and both collect
    every article from the mirrors."""
    client = redis.Redis.from_url(redis_url)
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        primary = mock.server.origins[0]
        mock.server.set_mode(HOSTS[0], "seized")
        mock.server.hold("/Detail/", after=3)
        first = mock.start(*worker_args(redis_url))
        until(lambda: (client.hget("newscrawl:presstv:domains", primary) or b"").startswith(b"open ")
              and mock.server.held > 0, "the first worker opened the primary and holds articles")
        second = mock.start(*worker_args(redis_url))
        until(lambda: leases_of(client, second.process.pid) > 0, "the second worker took requests")
        mock.server.release()
        runs = [first.finish(), second.finish()]
        for run in runs:
            assert run.returncode == 0, run.stderr[-3000:]
        check_stored_once(mock)
        netloc = primary.split("://", 1)[1]
        tried = re.search(rf"'failover/domain/{re.escape(netloc)}/requests': (\d+)", runs[1].stderr)
        assert tried is not None and tried.group(1) == "0", runs[1].stderr[-3000:]
        applied = [stat_of(run, "newscrawl/redis/domain_changes_applied") for run in runs]
        assert applied[1] >= 1, (applied, runs[1].stderr[-3000:])  # it learned of the primary from Redis


@pytest.mark.parametrize("mode", ["refuse", "blackhole", "http_5xx", "parked", "wrong_site"])
def test_two_workers_fail_over_together_whatever_is_wrong_with_the_primary(
        tmp_path: Path, redis_url: str, mode: str) -> None:
    """The failure modes of the failover tests, on two workers: every article stored once,
    from the mirrors, and the primary opened for both (one found it, the other was told or
    found it too)."""
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.set_mode(HOSTS[0], mode)
        runs = [run.finish() for run in start_workers(mock, redis_url, 2)]
        for run in runs:
            assert run.returncode == 0, run.stderr[-3000:]
        check_stored_once(mock)
        primary = mock.server.origins[0]
        assert all(item["mirror"] != primary for run in runs for item in run.items)
        netloc = primary.split("://", 1)[1]
        for run in runs:
            assert f"'failover/domain/{netloc}/state': 'open'" in run.stderr, run.stderr[-3000:]


def test_per_domain_concurrency_holds_for_the_whole_crawl(tmp_path: Path, redis_url: str) -> None:
    """CONCURRENT_REQUESTS_PER_DOMAIN=2 on two workers: at most 2 article requests at the
    site at once in all (per worker, it would be 4), every article stored once."""
    client = redis.Redis.from_url(redis_url)
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/")
        first, second = start_workers(mock, redis_url, 2, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        until(lambda: mock.server.held >= 2 and client.get("newscrawl:presstv:seed") == b"done"
              and all(leases_of(client, w.process.pid) > 2 for w in (first, second)),
              "two article requests at the site, both workers holding more than that")
        assert mock.server.held == 2  # the others wait for the crawl's slots
        mock.server.release()
        runs = [first.finish(), second.finish()]
        for run in runs:
            assert run.returncode == 0, run.stderr[-3000:]
        check_stored_once(mock)
        assert "newscrawl/redis/polite_waits" in "".join(run.stderr for run in runs)


def test_redis_unreachable_is_one_line_and_exit_2(tmp_path: Path) -> None:
    port = fixtures_redis._free_port()  # nothing listens there
    done = subprocess.run([sys.executable, "-m", "newscrawl.cli", "crawl", "presstv",
                           "--store", f"sqlite:///{tmp_path / 'store.db'}", "-o", str(tmp_path / "out.jsonl"),
                           "--redis", f"redis://127.0.0.1:{port}/0", *FAST],
                          capture_output=True, text=True, timeout=60, env=CRAWL_ENV)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("newscrawl: error: Redis at redis://127.0.0.1:")
    assert "cannot be reached" in done.stderr


def test_redis_lost_mid_crawl_stops_the_worker_in_one_line(tmp_path: Path, redis_url: str) -> None:
    with serve_presstv(tmp_path, articles=ARTICLES) as mock:
        mock.server.hold("/Detail/", after=3)
        worker = mock.start(*worker_args(redis_url))
        mock.server.wait_held(1)
        redis.Redis.from_url(redis_url).shutdown(nosave=True)
        mock.server.release()
        run = worker.finish()
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if "] ERROR:" in line]
    assert len(errors) == 1 and "stopping this worker" in errors[0], run.stderr[-3000:]
    assert "redis_failed" in run.stderr and "Traceback" not in run.stderr

