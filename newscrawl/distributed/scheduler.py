"""The scheduler of a distributed crawl: scrapy-redis's, over a leased queue.

Each worker (``<host>:<pid>:<random>``) leases the requests it pops. Every second
(``heartbeat``) it acknowledges the leases whose requests left the crawler (downloaded,
parsed, their items through the pipelines: they are in neither the downloader nor the
scraper, two beats in a row), renews the others, and puts any worker's expired leases back
in the queue. A request the crawler sends back to the scheduler (a redirect, the next
mirror) replaces its lease at once. When the worker closes, what it still holds goes back.
Redis unreachable mid-crawl: one error line, the crawl stops (``redis_failed``); what this
worker held is still leased in Redis and returns to the queue when the leases expire.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from typing import Any

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler

from newscrawl.distributed import scripts
from newscrawl.distributed.dupefilter import RedisDupeFilter
from newscrawl.distributed.leases import LEASE, CrawlKeys, LeasedQueue
from newscrawl.secrets import mask_url

logger = logging.getLogger(__name__)
REDIS_FAILED = "redis_failed"
"""The close reason of a worker that lost Redis."""


def connect(url: str) -> redis.Redis:
    """A client of ``url``; ``ValueError`` (one line) when Redis cannot be reached."""
    try:
        server = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        server.ping()
    except (redis.RedisError, ValueError) as exc:
        raise ValueError(f"Redis at {mask_url(url)}: cannot be reached ({exc})") from None
    return server


class RedisScheduler(Scheduler):
    """One worker's scheduler (``NEWSCRAWL_REDIS_*``); the queue is the crawl's."""

    queue: LeasedQueue
    df: RedisDupeFilter

    def __init__(self, crawler: Crawler, server: redis.Redis, url: str, keys: CrawlKeys):
        super().__init__(server, persist=True, queue_key=keys.requests)
        settings = crawler.settings
        self.crawler, self.url, self.keys = crawler, url, keys
        self.stats = crawler.stats
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.lease_seconds = settings.getfloat("NEWSCRAWL_REDIS_LEASE_SECONDS")
        self.idle_close = settings.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE")
        self.beat = min(1.0, self.lease_seconds / 3)
        self.crawl_id = secrets.token_hex(8)
        self.seeding = False
        self.failed: str | None = None
        self.held: dict[str, Request] = {}
        self._gone: set[str] = set()
        self._heartbeat: asyncio.Task[None] | None = None
        self._closing: asyncio.Future[None] | None = None
        self._join = server.register_script(scripts.JOIN)
        self._idle = server.register_script(scripts.IDLE)
        self._take = server.register_script(scripts.TAKE)
        self._clean = server.register_script(scripts.CLEAN)
        self.max_articles = 0
        """The crawl's ``--max-articles`` across workers once the spider asked (0: none)."""
        self.limit_reached = False
        self.waiting = False
        """True while this worker waits for work (its spider idle, the crawl not over)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        settings = crawler.settings
        url = settings.get("NEWSCRAWL_REDIS_URL")
        keys = CrawlKeys.under(settings.get("NEWSCRAWL_REDIS_PREFIX"))
        scheduler = cls(crawler, connect(url), url, keys)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = LeasedQueue(self.server, spider, self.keys, self.worker, self.lease_seconds)
        self.df = RedisDupeFilter(self.server, self.keys.dupefilter, self.crawler.request_fingerprinter,
                                  self.crawler.settings.getbool("DUPEFILTER_DEBUG"))
        logger.info("worker %s of the crawl in Redis at %s (keys %s:*)", self.worker,
                    mask_url(self.url), self.keys.requests.rpartition(":")[0])
        if self.stats is not None:
            self.stats.set_value("newscrawl/redis/worker", self.worker)
        self._heartbeat = asyncio.ensure_future(self._beat())

    def close(self, reason: str) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        if self.limit_reached and not self.failed:  # the crawl is over: nothing to go on with
            self._redis(lambda: self._clean(keys=list(self.keys), args=[self.crawl_id]), None)
        elif self.held and not self.failed:
            leases = list(self.held)
            returned = self._redis(lambda: self.queue.give_back(leases), 0)
            self._count("returned", returned)
            logger.info("%d requests this worker held went back to the crawl's queue", returned)
        self.held.clear()

    # --- the queue -----------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._redis(lambda: len(self.queue), 0))

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def enqueue_request(self, request: Request) -> bool:
        if self.limit_reached:  # the crawl has its articles: nothing more is queued
            return False
        replaced = request.meta.get(LEASE)
        queued = bool(self._redis(lambda: self._enqueue(request), False))
        if replaced in self.held and not self.failed:  # a redirect, the next mirror: its successor is queued
            self._ack([replaced])
        return queued

    def _enqueue(self, request: Request) -> bool:
        """scrapy-redis's ``enqueue_request`` (dupefilter, then queue), but the two in one
        atomic step (``scripts.ENQUEUE``)."""
        if not self.queue.push_new(request, self.df.request_fingerprint(request)):
            self.df.log(request, self.spider)
            return False
        if self.stats is not None:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.limit_reached:
            return None
        request: Request | None = self._redis(self.queue.pop, None)
        if request is not None:
            self.waiting = False
            self.held[request.meta[LEASE]] = request
            self._count("leased")
        return request

    # --- the crawl: joining, seeding, ending ------------------------------------------

    def join(self) -> str | None:
        """``seed``, ``join`` or ``wait`` (``scripts.JOIN``); None when Redis failed."""
        keys = self.keys
        answer = self._redis(lambda: self._join(keys=[keys.crawl, keys.seed],
                                                args=[self.crawl_id, self.worker,
                                                      int(self.lease_seconds * 1000)]), None)
        if answer is None:
            return None
        crawl, role = (part.decode() for part in answer)
        self.crawl_id, self.seeding = crawl, role == "seed"
        return str(role)

    def seeded(self) -> None:
        """This worker yielded every start request: the others may join."""
        self.seeding = False
        if self._redis(lambda: self.server.set(self.keys.seed, "done"), None):
            logger.info("start requests seeded into the crawl's queue")

    def spider_idle(self, spider: Spider) -> None:
        """This worker has nothing to do: it stays until the whole crawl has been idle for
        ``NEWSCRAWL_REDIS_IDLE_CLOSE`` seconds (then the engine closes it, ``finished``).
        Scrapy looks again only every 5 s; the heartbeat does so every beat meanwhile."""
        if self.failed or len(getattr(spider, "backlog", ())):
            return
        if not self._crawl_over():
            self.waiting = True
            raise DontCloseSpider

    def _crawl_over(self) -> bool:
        """``scripts.IDLE``: is the whole crawl over (then its keys are gone)?"""
        answer = self._redis(lambda: self._idle(keys=list(self.keys),
                                                args=[self.crawl_id, self.idle_close]), None)
        if answer is None:
            return False
        state, idle = (part.decode() for part in answer)
        if state != "finished":
            return False
        self._over(float(idle))
        return True

    def _look_while_waiting(self) -> None:
        """A beat of a worker told to wait: requests queued by the others are taken now (the
        engine is woken with one of them), and a crawl found over is closed at once."""
        engine = self.crawler.engine
        if not self.waiting or engine is None or engine.spider is None or self.failed:
            return
        if len(self.queue) > 0:
            request = self.next_request()
            if request is not None:
                self.waiting = False
                engine.crawl(request.replace(dont_filter=True))  # queued again, engine awake
            return
        if self._crawl_over():
            self.waiting = False
            self._closing = asyncio.ensure_future(engine.close_spider_async(reason="finished"))

    def _over(self, idle: float) -> None:
        if idle:
            self._redis(self._forget_hosts, None)
            logger.info("the crawl is over: no request queued or in flight for %.0f s", float(idle))
        else:
            logger.info("the crawl is over (another worker found it idle)")

    def _forget_hosts(self) -> None:
        """The crawl's per-host keys (politeness slots, probe claims), once it is over: a dead
        worker's slots would otherwise stay until their deadlines."""
        prefix = self.keys.requests.rpartition(":")[0]
        for pattern in (f"{prefix}:polite:*", f"{self.keys.domains}:probe:*"):
            names = list(self.server.scan_iter(match=pattern, count=500))
            if names:
                self.server.delete(*names)

    # --- --max-articles across workers ----------------------------------------------

    def article_budget(self, max_articles: int) -> SharedBudget:
        """The spider's article count, shared by every worker of the crawl."""
        self.max_articles = max_articles
        return SharedBudget(self)

    def take_article(self) -> bool:
        """Count one article in Redis (``scripts.TAKE``); False once the crawl has them all."""
        if self.limit_reached or self.failed:
            return False
        ttl = int(max(60.0, 2 * self.idle_close) * 1000)
        number = int(self._redis(lambda: self._take(keys=list(self.keys),
                                                    args=[self.crawl_id, self.max_articles, ttl]), -1))
        if number < 0 or number >= self.max_articles:
            self.limit_reached = True
            if number == self.max_articles:
                logger.info("the crawl has its %d articles: every worker stops", number)
        return 0 < number <= self.max_articles

    def _check_stopped(self) -> None:
        """Another worker took the crawl's last article: this one stops too."""
        if not self.max_articles or self.limit_reached:
            return
        if self.server.get(self.keys.stopped) == self.crawl_id.encode():
            self.limit_reached = True
            logger.info("another worker took the crawl's %d-th article: stopping", self.max_articles)
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None:
                self._closing = asyncio.ensure_future(engine.close_spider_async(reason="max_articles"))

    # --- the heartbeat -------------------------------------------------------------

    async def _beat(self) -> None:
        while not self.failed:
            await asyncio.sleep(self.beat)
            self._redis(self.heartbeat, None)

    def heartbeat(self) -> None:
        """Acknowledge finished requests, renew the leases of the others (and the seeding
        marker), return expired leases of any worker to the queue."""
        self._check_stopped()
        self._look_while_waiting()
        self._ack(self._finished())
        self.queue.renew(self.held)
        if self.seeding:
            self.server.pexpire(self.keys.seed, int(self.lease_seconds * 1000))
        self._count("reclaimed", self.queue.reclaim_expired())

    def _finished(self) -> list[str]:
        """Leases whose requests have left the crawler (absent two beats in a row: one
        absence may be the moment between the downloader and the scraper)."""
        engine = self.crawler.engine
        if engine is None:
            return []
        alive = set(map(id, engine.downloader.active))
        slot = engine.scraper.slot
        if slot is not None:
            alive.update(map(id, slot.active))
            alive.update(id(request) for _, request, _ in slot.queue)
        gone = {lease for lease, request in self.held.items() if id(request) not in alive}
        finished, self._gone = list(gone & self._gone), gone - self._gone
        return finished

    def _ack(self, leases: list[str]) -> None:
        for lease in leases:
            self.held.pop(lease, None)
            self._gone.discard(lease)
        self._count("acked", self._redis(lambda: self.queue.ack(leases), 0))

    # --- Redis failing -------------------------------------------------------------

    def _redis(self, call: Any, default: Any) -> Any:
        """``call()``; on a Redis error the worker stops (once) and ``default`` is returned."""
        if self.failed:
            return default
        try:
            return call()
        except redis.RedisError as exc:
            self._fail(exc)
            return default

    def _fail(self, exc: Exception) -> None:
        self.failed = f"Redis at {mask_url(self.url)}: {type(exc).__name__}: {exc}"
        logger.error("%s; stopping this worker (the requests it held return to the crawl's "
                     "queue when their leases expire)", self.failed)
        if self.stats is not None:
            self.stats.set_value("newscrawl/redis/error", self.failed)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            self._closing = asyncio.ensure_future(engine.close_spider_async(reason=REDIS_FAILED))

    def _count(self, what: str, value: int = 1) -> None:
        if value and self.stats is not None:
            self.stats.inc_value(f"newscrawl/redis/{what}", value)


class SharedBudget:
    """``bounds.ArticleBudget`` of a distributed crawl: the count is the crawl's, in Redis."""

    def __init__(self, scheduler: RedisScheduler):
        self.scheduler = scheduler

    def reached(self) -> bool:
        return self.scheduler.limit_reached

    def take(self) -> bool:
        return self.scheduler.take_article()
