"""The exit statuses of ``newscrawl crawl`` (and ``demo``), documented in the README:

- 0: the crawl finished (or reached ``--max-articles``) and fetched pages: new articles,
  or nothing new to fetch;
- 1: the crawl failed: it stopped early (store or feed failure, shutdown, an error), or
  fetched nothing at all, or every domain of the site failed, or its run row could not be
  finished in the store, or pages that needed a browser could not be rendered (no Chromium,
  or one that does not start: they are not stored, so the next run fetches them again);
- 2: bad input (one ``newscrawl: error:`` line, nothing crawled);
- 3: the crawl finished but requests are left pending (they failed on every domain; the
  next run retries them first; ``newscrawl pending SITE`` lists them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OK = 0
FAILED = 1
USAGE = 2
PENDING = 3
OK_REASONS = ("finished", "max_articles")


def _domain_totals(stats: Mapping[str, Any]) -> tuple[int, int]:
    """Site requests and successes over every domain (the failover middleware's stats)."""
    requests = successes = 0
    for key, value in stats.items():
        if key.startswith("failover/domain/") and isinstance(value, int):
            if key.endswith("/requests"):
                requests += value
            elif key.endswith("/successes"):
                successes += value
    return requests, successes


def crawl_exit(reason: str, stats: Mapping[str, Any]) -> tuple[int, str]:
    """The exit status of a crawl that ended with ``reason``, and why (``""`` for 0)."""
    if reason not in OK_REASONS:
        return FAILED, f"the crawl stopped early ({reason})"
    if stats.get("newscrawl/store/run_unfinished"):
        return FAILED, f"the run row was not finished ({stats['newscrawl/store/run_unfinished']})"
    requests, successes = _domain_totals(stats)
    fetched = int(stats.get("newscrawl/listing_pages", 0) or 0) \
        + int(stats.get("newscrawl/articles/parsed", 0) or 0)
    if requests and not successes:
        return FAILED, f"every domain of the site failed ({requests} requests, none answered)"
    if not fetched and not successes and not stats.get("newscrawl/redis/worker"):
        return FAILED, "nothing was fetched"  # a worker of a crawl on Redis may leave all to the others
    unrendered = int(stats.get("newscrawl/render/unrendered/no_browser", 0) or 0) \
        + int(stats.get("newscrawl/render/failed/no_browser", 0) or 0)
    if unrendered:
        return FAILED, (f"{unrendered} pages needed a browser and were not stored "
                        "(newscrawl/render/*/no_browser; the next run fetches them again)")
    pending = int(stats.get("failover/pending", 0) or 0)
    if pending:
        return PENDING, (f"{pending} requests failed on every domain and are pending "
                         "(newscrawl pending lists them; the next run retries them first)")
    return OK, ""
