"""Politeness for the crawl as a whole: per-domain concurrency and delay across workers.

Scrapy's downloader slots limit one process. In a distributed crawl this downloader
middleware (enabled by ``--redis``) makes ``CONCURRENT_REQUESTS_PER_DOMAIN`` and
``DOWNLOAD_DELAY`` hold for every worker together: before a request goes to a host, it takes
one of the host's slots in Redis (``ACQUIRE``: a sorted set of the requests in flight to the
host, each with a deadline, and the earliest time the next one may start); the slot is given
back when the answer (or the error) comes. A request that finds the host full waits, polling
Redis, without holding a slot of Scrapy's own. It sits after the failover
middleware, so a request moved to a mirror (and a hedge, which passes the middlewares too)
waits for the mirror's slots. Slots are leased like requests: each expires
``NEWSCRAWL_REDIS_LEASE_SECONDS`` after its worker last renewed it (every beat), so a worker
killed with slots taken blocks them for one lease at most.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import socket
import time
from urllib.parse import urlsplit

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawl.distributed.shared import SharedWithWorkers, redis_of

POLITE_SLOT = "newscrawl_polite_slot"
"""Request meta key: (host, slot id) of the crawl-wide slot a request holds."""

ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return '-1' end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return string.format('%.6f', next_start - now) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4]) * 1000))
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], string.format('%.6f', now + tonumber(ARGV[3])),
             'PX', math.ceil(tonumber(ARGV[3]) * 1000) + 1000)
end
return '0'
"""
"""Take a slot ``ARGV[1]`` of a host (keys: its requests in flight, its next start time) when
fewer than ``ARGV[2]`` are in flight and its delay ``ARGV[3]`` has passed; the slot expires
``ARGV[4]`` s from now. ``'0'``: taken; ``'-1'``: full; else the seconds until the delay is over."""

RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) * 1000))
return 0
"""
"""Push the deadlines of a host's slots ``ARGV[2..]`` to ``ARGV[1]`` s from now."""

FULL_POLL_SECONDS = 0.02
"""How often a request waiting for a full host asks again (a slot frees when an answer comes)."""


class SharedPoliteness(SharedWithWorkers):
    """Downloader middleware: crawl-wide ``CONCURRENT_REQUESTS_PER_DOMAIN`` and ``DOWNLOAD_DELAY``."""

    shared = "politeness"

    def __init__(self, crawler: Crawler, server: redis.Redis, prefix: str, limit: int, delay: float,
                 lease_seconds: float, max_hold: float = 210.0):
        super().__init__(crawler, server)
        self.prefix = prefix
        self.limit, self.delay = max(1, limit), max(0.0, delay)
        self.slot_seconds = lease_seconds
        self.beat = min(1.0, lease_seconds / 3)
        self.held: dict[str, dict[str, float]] = {}
        """Per host, the slots this worker holds and when each was taken (renewed every beat,
        for ``max_hold`` seconds at most: a request whose answer never came through this
        middleware, a hedge cancelled on the way, must not hold its slot for ever)."""
        self.max_hold = max_hold
        self._renewing: asyncio.Task[None] | None = None
        self._renew = server.register_script(RENEW)
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._ids = itertools.count(1)
        self._acquire = server.register_script(ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPoliteness:
        settings = crawler.settings
        middleware = cls(crawler, redis_of(crawler), settings.get("NEWSCRAWL_REDIS_PREFIX"),
                         settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                         settings.getfloat("DOWNLOAD_DELAY"),
                         settings.getfloat("NEWSCRAWL_REDIS_LEASE_SECONDS"),
                         settings.getfloat("DOWNLOAD_TIMEOUT") + 30.0)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        if self._renewing is not None:
            self._renewing.cancel()

    async def _renew_slots(self) -> None:
        while not self.failed:
            await asyncio.sleep(self.beat)
            too_old = time.monotonic() - self.max_hold
            for host, slots in list(self.held.items()):
                for slot in [slot for slot, taken in slots.items() if taken < too_old]:
                    del slots[slot]  # not renewed: it expires in Redis within a lease
                    self._count("polite_slots_abandoned")
                if slots:
                    self._renew_host(host, list(slots))

    def _renew_host(self, host: str, slots: list[str]) -> None:
        self._call(lambda: self._renew(keys=self._keys(host)[:1], args=[self.slot_seconds, *slots]), 0)

    def _keys(self, host: str) -> list[str]:
        return [f"{self.prefix}:polite:{host}:inflight", f"{self.prefix}:polite:{host}:next"]

    async def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).netloc or "").lower()
        if not host or self.failed:
            return
        slot = f"{self.worker}:{next(self._ids)}"
        keys, waited = self._keys(host), False
        while True:
            answer = self._call(lambda: self._acquire(keys=keys, args=[slot, self.limit, self.delay,
                                                                        self.slot_seconds]), b"0")
            wait = float(answer)
            if wait == 0:
                break
            if not waited:
                waited = True
                self._count("polite_waits")
            await asyncio.sleep(FULL_POLL_SECONDS if wait < 0 else min(wait, 5.0))
        request.meta[POLITE_SLOT] = (host, slot)
        self.held.setdefault(host, {})[slot] = time.monotonic()
        if self._renewing is None:
            self._renewing = asyncio.ensure_future(self._renew_slots())

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        held = request.meta.pop(POLITE_SLOT, None)  # a retry or redirect copies the meta: not its slot
        if held is not None:
            host, slot = held
            self.held.get(host, {}).pop(slot, None)
            self._call(lambda: self.server.zrem(self._keys(host)[0], slot), 0)
