"""When every domain failed: a request recorded as pending in the store (or as gone, when every
domain answered 404/410), and a pending request of an earlier run marked resolved."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from newscrawl.failover.breaker import CircuitBreaker
from newscrawl.failover.report import host
from newscrawl.failover.requests import CLASSES, MISSING, ORIGINAL
from newscrawl.sites import Site
from newscrawl.storeext import StoreExtension

logger = logging.getLogger(__name__)


class PendingRecorder:
    """Records the requests no domain answered, for the next run (table ``pending``)."""

    def __init__(self, site: Site, breaker: CircuitBreaker, store: StoreExtension | None, stats: Any):
        self.site, self.breaker, self.store, self.stats = site, breaker, store, stats
        self.recorded: set[str] = set()
        """URLs recorded pending in this run: ``failover/pending`` counts each once (two
        requests may end at one URL, e.g. two redirect chains into one loop)."""

    async def give_up(self, request: Request) -> None:
        """Every domain failed (or is open): record the request as pending, then drop it."""
        classes: dict[str, str] = dict(request.meta.get(CLASSES, {}))
        for origin, health in self.breaker.domains.items():
            classes.setdefault(origin, health.last_class or "open")
        url = self.site.canonical(request.meta.get(ORIGINAL, request.url))
        if set(request.meta.get(MISSING, ())) >= set(self.breaker.domains):
            self.stats.inc_value("failover/gone")
            logger.info("every domain answers 404/410 for %s: gone, not pending", url)
            await self.resolve(request)
            raise IgnoreRequest(f"gone on every domain: {url}")
        if url not in self.recorded:
            self.recorded.add(url)
            self.stats.inc_value("failover/pending")
            logger.info("every domain failed for %s (%s): recorded as pending", url,
                        ", ".join(f"{host(o)} {c}" for o, c in classes.items()))
        if self.store is not None and self.store.run_id is not None:
            site, run_id, values = self.site.name, self.store.run_id, sorted(set(classes.values()))
            await self.store.call(lambda store: store.add_pending(run_id, site, url, values))
        raise IgnoreRequest(f"every domain failed for {url}")

    async def resolve(self, request: Request) -> None:
        """A request left pending by an earlier run got its answer."""
        url = self.site.canonical(request.meta.get(ORIGINAL, request.url))
        if self.store is not None:  # the store extension knows what earlier runs left pending
            await self.store.resolve_if_pending(url)
