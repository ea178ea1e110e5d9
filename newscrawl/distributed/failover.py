"""Failover state shared by the workers of a distributed crawl.

Each worker's ``FailoverMiddleware`` keeps its own circuit breaker and hedge delay; this
extension makes them the crawl's. A transition to open or closed on any worker is written
to a Redis hash (origin -> state, time on Redis's clock, failure class: ``PUBLISH_DOMAIN``),
and every worker reads the hash once a second and applies what changed since it last looked:
a domain one worker found dead or seized is open for all, with its cool-down counted from
when it opened. The half-open probe is claimed in Redis (``SET NX PX``): one worker probes,
the others keep using the mirrors until the probe's outcome reaches them. The response times
the hedge delay is learned from are pooled (a Redis list of the crawl's latest), so every
worker hedges after the same delay. One Redis round trip a second, plus one per transition
and one per probe.

Redis failing here only stops the sharing (``shared.SharedWithWorkers``).
"""

from __future__ import annotations

import asyncio
import time

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newscrawl.distributed import scripts
from newscrawl.distributed.leases import CrawlKeys
from newscrawl.distributed.shared import SharedWithWorkers, redis_of
from newscrawl.failover.breaker import CircuitBreaker, State, Transition
from newscrawl.failover.middleware import FailoverMiddleware

BEAT_SECONDS = 1.0


class SharedFailover(SharedWithWorkers):
    """Extension (enabled by ``--redis``): this worker's breaker and hedge delay, shared."""

    shared = "failover state"

    def __init__(self, crawler: Crawler, server: redis.Redis, keys: CrawlKeys,
                 beat: float = BEAT_SECONDS):
        super().__init__(crawler, server)
        self.keys, self.beat = keys, beat
        self.breaker: CircuitBreaker | None = None
        self.failover: FailoverMiddleware | None = None
        self._applying = False
        self._known: dict[str, float] = {}
        """Per origin, the Redis time of the latest record this worker applied or wrote."""
        self._denied_until: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._publish_script = server.register_script(scripts.PUBLISH_DOMAIN)
        self._sync_script = server.register_script(scripts.SYNC_FAILOVER)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFailover:
        keys = CrawlKeys.under(crawler.settings.get("NEWSCRAWL_REDIS_PREFIX"))
        extension = cls(crawler, redis_of(crawler), keys)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    async def spider_opened(self, spider: Spider) -> None:
        """Attach to the failover middleware and take the crawl's state before the first
        request: the middleware makes its breaker in its own ``spider_opened`` handler, which
        has run up to its first wait when this one resumes (the engine waits for both)."""
        await asyncio.sleep(0)
        if self.attach():
            self.sync()
        self._task = asyncio.ensure_future(self._run())

    def spider_closed(self, spider: Spider) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        while not self.failed:
            await asyncio.sleep(self.beat)
            if self.breaker is not None or self.attach():
                self.sync()

    # --- joining the worker's failover ------------------------------------------------

    def attach(self, failover: FailoverMiddleware | None = None) -> bool:
        """Hook into the failover middleware's breaker (made when the spider opened); what it
        already holds open (the availability monitor's word) is written for the others."""
        failover = failover or self.crawler.get_downloader_middleware(FailoverMiddleware)
        if failover is None or failover.breaker is None:
            return False
        self.failover, self.breaker = failover, failover.breaker
        self.breaker.listeners.append(self.publish)
        self.breaker.probe_gate = self.claim_probe
        failover.latency.sharing = True
        for origin, health in self.breaker.domains.items():
            if health.state is State.OPEN:
                self._write(origin, "open", health.last_class)
        return True

    # --- this worker's changes -----------------------------------------------------------

    def publish(self, transition: Transition) -> None:
        """A transition of this worker's breaker (not one it took from the others)."""
        if self._applying or transition.new is State.HALF_OPEN:  # half-open: the claim says it
            return
        self._write(transition.origin, str(transition.new), transition.failure_class)

    def claim_probe(self, origin: str) -> bool:
        """May this worker send the half-open probe to ``origin``? Only one worker of the
        crawl may, for one cool-down (the claim expires if its probe never comes back)."""
        assert self.breaker is not None
        if time.monotonic() < self._denied_until.get(origin, 0.0):  # asked a moment ago: no
            return False
        ttl = max(100, int(self.breaker.cooldown * 1000))
        claimed = self._call(lambda: self.server.set(self._probe_key(origin), "1", nx=True, px=ttl), True)
        if not claimed:  # not again before the next beat: no round trip per request meanwhile
            self._denied_until[origin] = time.monotonic() + self.beat
            self._count("probe_left_to_another")
        return bool(claimed)

    def _write(self, origin: str, state: str, failure_class: str) -> None:
        stamp = self._call(lambda: self._publish_script(keys=[self.keys.domains, self._probe_key(origin)],
                                                        args=[origin, state, failure_class or "-"]), None)
        if stamp is not None:
            self._known[origin] = float(stamp)
            self._count("domain_changes_shared")

    def _probe_key(self, origin: str) -> str:
        return f"{self.keys.domains}:probe:{origin}"

    # --- the others' changes -----------------------------------------------------------

    def sync(self) -> None:
        """Share this worker's response times, apply the other workers' domain changes and
        take the crawl's hedge delay (one round trip)."""
        if self.breaker is None or self.failover is None:
            return
        latency = self.failover.latency
        fresh = latency.take_fresh()
        answer = self._call(lambda: self._sync_script(keys=[self.keys.domains, self.keys.latency],
                                                      args=[latency.window, *fresh]), None)
        if answer is None:
            return
        now, flat, samples = float(answer[0]), answer[1], answer[2]
        for origin_raw, record in zip(flat[::2], flat[1::2], strict=True):
            self._apply(origin_raw.decode(), record.decode(), now)
        latency.replace([float(sample) for sample in reversed(samples)])

    def _apply(self, origin: str, record: str, now: float) -> None:
        assert self.breaker is not None
        state, stamp_text, failure_class = record.split(" ", 2)
        stamp = float(stamp_text)
        if stamp <= self._known.get(origin, 0.0) or origin not in self.breaker.domains:
            return
        self._known[origin] = stamp
        self._applying = True
        try:
            if state == "open":
                changed = self.breaker.opened_elsewhere(origin, failure_class, max(0.0, now - stamp))
            else:
                changed = self.breaker.closed_elsewhere(origin)
        finally:
            self._applying = False
        if changed is not None:
            self._count("domain_changes_applied")
