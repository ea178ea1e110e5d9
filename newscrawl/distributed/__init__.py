"""Many workers, one crawl: Scrapy's queue and dupefilter in Redis (scrapy-redis).

``newscrawl crawl SITE --redis redis://HOST:PORT/DB`` (``NEWSCRAWL_REDIS_URL``) on any number
of processes makes them one crawl of SITE: the scheduler (``scheduler.RedisScheduler``)
keeps the requests in a leased queue (``leases.LeasedQueue``) and their fingerprints in a
Redis set (``dupefilter.RedisDupeFilter``); the first worker seeds the start requests
(``seeding.SeedOnce``), the others join; each exits once the whole crawl has been idle for
``NEWSCRAWL_REDIS_IDLE_CLOSE`` seconds. Circuit breakers and the hedge delay are the crawl's
(``failover.SharedFailover``), and so are ``--max-articles`` (``scheduler.SharedBudget``) and
per-domain concurrency and delay (``politeness.SharedPoliteness``).
"""

from __future__ import annotations

import warnings

from scrapy.settings import SETTINGS_PRIORITIES, Settings

# scrapy-redis 0.9.1 calls APIs Scrapy deprecates: its warnings, not ours, are left out.
warnings.filterwarnings("ignore", module=r"scrapy_redis(\.|$)")

BIG_BACKLOG = 1_000_000_000
"""Discovery queue in a distributed crawl: every article request goes to Redis at once (a
URL held back in one worker's memory would be lost with that worker)."""


def redis_settings(settings: Settings, prefix: str) -> None:
    """Turn ``settings`` into a worker's of the distributed crawl under key ``prefix``."""
    priority = "cmdline"
    for name in ("NEWSCRAWL_REDIS_LEASE_SECONDS", "NEWSCRAWL_REDIS_IDLE_CLOSE"):
        if settings.getfloat(name) <= 0:
            raise ValueError(f"-s {name}={settings.get(name)!r}: must be above 0")
    settings.set("SCHEDULER", "newscrawl.distributed.scheduler.RedisScheduler", priority)
    settings.set("DUPEFILTER_CLASS", "newscrawl.distributed.dupefilter.RedisDupeFilter", priority)
    settings.set("SCHEDULER_PERSIST", True, priority)  # the others go on with the queue
    settings.set("NEWSCRAWL_REDIS_PREFIX", prefix, priority)
    middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    middlewares["newscrawl.distributed.seeding.SeedOnce"] = 10
    settings.set("SPIDER_MIDDLEWARES", middlewares, priority)
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["newscrawl.distributed.failover.SharedFailover"] = 0  # breakers and hedge delay
    settings.set("EXTENSIONS", extensions, priority)
    downloader = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    # after failover (a request moved to a mirror waits for the mirror), next to the downloader
    downloader["newscrawl.distributed.politeness.SharedPoliteness"] = 950
    settings.set("DOWNLOADER_MIDDLEWARES", downloader, priority)
    if (settings.getpriority("NEWSCRAWL_DISCOVERY_QUEUE") or 0) < SETTINGS_PRIORITIES[priority]:
        settings.set("NEWSCRAWL_DISCOVERY_QUEUE", BIG_BACKLOG, priority)


def key_prefix(site: str, job: str | None) -> str:
    return f"newscrawl:{site}" + (f":{job}" if job else "")
