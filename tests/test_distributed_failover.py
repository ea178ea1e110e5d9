"""Failover state shared by the workers of a distributed crawl (``newscrawl.distributed.failover``):
two workers' breakers and hedge delays, each with its own failover middleware, against a
real redis-server. Each breaker runs on its own hand-driven clock (the cool-down); what
crosses between the workers goes through Redis only."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.failover.breaker import CircuitBreaker, State
from newscrawl.failover.middleware import FailoverMiddleware
from newscrawl.sites import load_sites
from newscrawl.spiders.news import NewsSpider
from tests import fixtures_redis
from tests.helpers import project_settings

redis = fixtures_redis.redis
redis_url = fixtures_redis.redis_url

from newscrawl.distributed.failover import SharedFailover  # noqa: E402  (needs the extra)
from newscrawl.distributed.leases import CrawlKeys  # noqa: E402

SITE = load_sites()["presstv"]
PRIMARY, MIRROR = SITE.domains[0], SITE.domains[1]
COOLDOWN = 60.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Worker:
    """One worker's failover middleware and breaker, sharing through its own Redis client."""

    def __init__(self, url: str):
        crawler = get_crawler(NewsSpider, project_settings(NEWSCRAWL_STORE_ENABLED=False,
                                                           NEWSCRAWL_REDIS_URL=url))
        crawler.stats.open_spider()
        self.clock = Clock()
        self.failover = FailoverMiddleware.from_crawler(crawler)
        self.breaker = CircuitBreaker(SITE.domains, threshold=2, cooldown=COOLDOWN,
                                      instant_classes=["seized"], clock=self.clock)
        self.failover.breaker = self.breaker
        self.shared = SharedFailover(crawler, redis.Redis.from_url(url), CrawlKeys.under("newscrawl:test"))
        assert self.shared.attach(self.failover)
        self.stats: Any = crawler.stats

    def state(self, origin: str = PRIMARY) -> State:
        return self.breaker[origin].state


@pytest.fixture
def workers(redis_url: str) -> tuple[Worker, Worker]:
    return Worker(redis_url), Worker(redis_url)


def test_a_domain_one_worker_finds_seized_is_open_for_all(workers: tuple[Worker, Worker]) -> None:
    first, second = workers
    first.breaker.record_failure(PRIMARY, "seized")
    assert first.state() is State.OPEN and second.state() is State.CLOSED
    second.shared.sync()
    assert second.state() is State.OPEN and second.breaker[PRIMARY].last_class == "seized"
    assert second.breaker.choose(PRIMARY) == MIRROR  # its next request goes to the mirror
    first.shared.sync()  # its own change, read back, changes nothing
    assert first.stats.get_value("newscrawl/redis/domain_changes_applied") is None


def test_only_one_worker_sends_the_half_open_probe_and_its_success_closes_the_domain_for_all(
        workers: tuple[Worker, Worker]) -> None:
    first, second = workers
    first.breaker.record_failure(PRIMARY, "timeout")
    first.breaker.record_failure(PRIMARY, "timeout")
    second.shared.sync()
    assert second.state() is State.OPEN
    for worker in workers:
        worker.clock.now += COOLDOWN  # the cool-down is over on both
    assert second.breaker.allows(PRIMARY)  # the first to ask probes
    assert second.state() is State.HALF_OPEN
    assert not first.breaker.allows(PRIMARY)  # the other does not: it keeps to the mirror
    assert first.state() is State.OPEN and first.breaker.choose(PRIMARY) == MIRROR
    assert first.stats.get_value("newscrawl/redis/probe_left_to_another") == 1
    second.breaker.record_success(PRIMARY)  # the probe came back fine
    first.shared.sync()
    assert first.state() is State.CLOSED and first.breaker.allows(PRIMARY)


def test_a_failed_probe_restarts_the_cool_down_on_every_worker(workers: tuple[Worker, Worker]) -> None:
    first, second = workers
    first.breaker.record_failure(PRIMARY, "seized")
    second.shared.sync()
    for worker in workers:
        worker.clock.now += COOLDOWN
    assert first.breaker.allows(PRIMARY)  # the probe
    first.breaker.record_failure(PRIMARY, "seized")  # still seized: open again, from now
    second.shared.sync()
    assert not second.breaker.allows(PRIMARY)  # its cool-down starts again too
    second.clock.now += COOLDOWN
    assert second.breaker.allows(PRIMARY)  # one cool-down later: the failed probe ended its claim
    assert second.state() is State.HALF_OPEN


def test_the_hedge_delay_is_learned_from_every_workers_responses(workers: tuple[Worker, Worker]) -> None:
    first, second = workers
    for _ in range(20):
        first.failover.latency.add(0.5)  # the slow site seen by one worker: delay 4 x p90
    assert first.failover.latency.delay == pytest.approx(2.0)
    assert second.failover.latency.delay == pytest.approx(1.0)  # nothing seen yet: the initial
    first.shared.sync()
    second.shared.sync()
    assert second.failover.latency.delay == pytest.approx(2.0)
    assert len(second.failover.latency.samples) == 20


# --- politeness for the crawl as a whole (newscrawl.distributed.politeness) ---------------

def polite_worker(url: str, limit: int, delay: float = 0.0) -> Any:
    from newscrawl.distributed.politeness import SharedPoliteness

    crawler = get_crawler(NewsSpider, project_settings(NEWSCRAWL_STORE_ENABLED=False))
    crawler.stats.open_spider()
    return SharedPoliteness(crawler, redis.Redis.from_url(url), "newscrawl:test", limit, delay, 3.0)


def test_a_hosts_concurrency_holds_across_workers(redis_url: str) -> None:
    """Limit 1 per host for the crawl: while one worker's request to the primary is in flight,
    the other worker's waits (without a slot), and goes once the first one's answer came;
    a request to another host does not wait."""
    from scrapy.http import HtmlResponse

    first, second = polite_worker(redis_url, 1), polite_worker(redis_url, 1)

    async def scenario() -> None:
        mine = scrapy_request(PRIMARY + "/a")
        await first.process_request(mine)  # a free slot: at once
        theirs = asyncio.ensure_future(second.process_request(scrapy_request(PRIMARY + "/b")))
        while not second.crawler.stats.get_value("newscrawl/redis/polite_waits"):
            await asyncio.sleep(0.005)  # until it found the host full (an event it counts)
        assert not theirs.done()
        await second.process_request(scrapy_request(MIRROR + "/c"))  # another host: its own slots
        first.process_response(mine, HtmlResponse(mine.url, body=b"<html></html>", request=mine))
        await asyncio.wait_for(theirs, 30)  # the slot came free: it goes (30 s: a safety net)

    asyncio.run(scenario())


def scrapy_request(url: str) -> Any:
    import scrapy

    return scrapy.Request(url)


def test_the_download_delay_holds_across_workers(redis_url: str) -> None:
    """DOWNLOAD_DELAY 0.3 s for the crawl: a second worker's request to the same host starts
    no sooner than 0.3 s after the first worker's (a lower bound: a slow machine only adds)."""
    import time

    first, second = polite_worker(redis_url, 8, delay=0.3), polite_worker(redis_url, 8, delay=0.3)

    async def scenario() -> float:
        await first.process_request(scrapy_request(PRIMARY + "/a"))
        started = time.monotonic()
        await second.process_request(scrapy_request(PRIMARY + "/b"))
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= 0.25  # Redis's clock and ours may differ by a little
    assert second.crawler.stats.get_value("newscrawl/redis/polite_waits") == 1


def test_a_slot_whose_answer_never_came_back_is_given_up(redis_url: str) -> None:
    """A request that took a slot and never came back through the middleware (a hedge
    cancelled on the way): after ``max_hold`` its slot is no longer renewed and expires in
    Redis, so the host is not one slot short for the rest of the crawl."""
    worker = polite_worker(redis_url, 1)
    worker.max_hold = 0.0

    async def scenario() -> None:
        await worker.process_request(scrapy_request(PRIMARY + "/lost"))
        while not worker.crawler.stats.get_value("newscrawl/redis/polite_slots_abandoned"):
            await asyncio.sleep(0.01)  # until the renewal beat gave it up (an event it counts)
        other = polite_worker(redis_url, 1)
        await asyncio.wait_for(other.process_request(scrapy_request(PRIMARY + "/next")), 30)

    asyncio.run(scenario())
