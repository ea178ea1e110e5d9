"""What the components sharing a worker's state through Redis have in common
(``failover.SharedFailover``, ``politeness.SharedPoliteness``): their Redis client, made only
for a distributed crawl, and Redis failing quietly for them. The scheduler touches Redis for
every request, so it is the one that reports a lost Redis in one line and stops the worker;
these components then stop sharing and the worker goes on with its own state until it stops."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

import redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.distributed.scheduler import connect

T = TypeVar("T")
logger = logging.getLogger(__name__)


def redis_of(crawler: Crawler) -> redis.Redis:
    """The crawl's Redis client; ``NotConfigured`` when the crawl is not distributed, or when
    Redis cannot be reached (the scheduler reports that, in one line)."""
    url = crawler.settings.get("NEWSCRAWL_REDIS_URL")
    if not url:
        raise NotConfigured("not a distributed crawl")
    try:
        return connect(url)
    except ValueError as exc:
        raise NotConfigured(str(exc)) from None


class SharedWithWorkers:
    """Base: ``_call`` a Redis command (``default`` once Redis failed), ``_count`` a stat."""

    shared = "state"
    """What is shared, as the debug line says when it no longer is."""

    def __init__(self, crawler: Crawler, server: redis.Redis):
        self.crawler, self.server = crawler, server
        self.failed = False

    def _call(self, call: Any, default: T) -> Any | T:
        if self.failed:
            return default
        try:
            return call()
        except redis.RedisError as exc:  # the scheduler says so and stops the worker
            self.failed = True
            logger.debug("%s no longer shared: %s", self.shared, exc)
            return default

    def _count(self, what: str) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"newscrawl/redis/{what}")
