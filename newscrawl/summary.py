"""The end-of-crawl summary: articles found, stored, dropped (by reason), errors, elapsed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _prefixed(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): int(v) for k, v in sorted(stats.items())
            if k.startswith(prefix) and isinstance(v, int)}


def format_summary(site: str, stats: Mapping[str, Any]) -> str:
    """A short, human-readable account of one crawl, from its Scrapy stats."""
    get = stats.get
    store = _prefixed(stats, "newscrawl/store/")
    dropped = _prefixed(stats, "newscrawl/dropped/")
    errors = _prefixed(stats, "downloader/exception_type_count/")
    reason = "store_failed" if get("newscrawl/store/error") else get("finish_reason", "unknown")
    lines = [
        f"newscrawl summary for {site} ({reason}):",
        f"  listing pages  {get('newscrawl/listing_pages', 0)}",
        f"  articles found {get('newscrawl/articles/discovered', 0)}"
        f" (parsed {get('newscrawl/articles/parsed', 0)},"
        f" skipped by --since {get('newscrawl/articles/skipped_since', 0)}"
        + (f", fetched past --max-articles and not parsed {get('newscrawl/articles/past_limit')}"
           if get("newscrawl/articles/past_limit") else "") + ")",
        f"  stored         {store.get('new', 0)} new, {store.get('revision', 0)} revised,"
        f" {store.get('unchanged', 0)} unchanged,"
        f" {store.get('duplicate', 0)} duplicates, {store.get('near_duplicate', 0)} near-duplicates"
        + (" (newscrawl duplicates lists them)"
           if store.get("duplicate") or store.get("near_duplicate") else ""),
        "  dropped        " + (", ".join(f"{k} {v}" for k, v in dropped.items()) or "0"),
        "  errors         " + (", ".join(f"{k.rsplit('.', 1)[-1]} {v}" for k, v in errors.items())
                               or "0")
        + (f"; {get('spider_exceptions/count', 0)} in callbacks"
           if get("spider_exceptions/count") else ""),
        f"  elapsed        {float(get('elapsed_time_seconds', 0.0)):.1f} s",
    ]
    lines += store_lines(stats)
    reasons = _prefixed(stats, "failover/reason_count/")
    if reasons:
        lines.append(f"  failovers      {get('failover/count', 0)} re-issued, "
                     f"{get('failover/rerouted', 0)} moved before sending, "
                     f"{get('failover/hedge_won', 0)} hedges won ("
                     + ", ".join(f"{k} {v}" for k, v in reasons.items()) + ")")
    extraction = _prefixed(stats, "newscrawl/extract/")
    if extraction:  # pages past their deadline, dead workers, layers that failed (extraction_pool)
        lines.append("  extraction     " + ", ".join(f"{k} {v}" for k, v in extraction.items()))
    discovery = _prefixed(stats, "newscrawl/discovery/")
    if discovery:  # malformed URLs skipped, pages met again, sitemaps too deep (spiders/discovered.py)
        lines.append("  discovery      " + ", ".join(f"{k} {v}" for k, v in discovery.items()))
    if get("failover/pending"):
        lines.append(f"  pending        {get('failover/pending')} requests failed on every domain;"
                     " the next run retries them first")
    domains = domain_table(stats)
    return "\n".join(lines + ([domains] if domains else []))


def store_lines(stats: Mapping[str, Any]) -> list[str]:
    """What a failed store did not take, and what this run imported from an earlier one."""
    get, lines = stats.get, []
    if get("newscrawl/store/error"):
        spooled, unspooled = get("newscrawl/store/spooled", 0), get("newscrawl/store/unspooled", 0)
        lines.append(f"  store failed   {spooled + unspooled} articles not stored are in the JSON lines"
                     + (f", {spooled} of them spooled to {get('newscrawl/store/spool_file')}"
                        " (the next run imports them)" if spooled else "")
                     + (f", {unspooled} in the JSON lines only" if unspooled else "")
                     + f": {get('newscrawl/store/error')}")
    if get("newscrawl/store/run_unfinished"):
        lines.append(f"  run row        not finished in the store: {get('newscrawl/store/run_unfinished')}")
    if get("newscrawl/store/imported"):
        lines.append(f"  imported       {get('newscrawl/store/imported')} articles spooled by an earlier run")
    return lines


def domain_table(stats: Mapping[str, Any]) -> str:
    """Per domain: requests, successes, failures by class and final breaker state."""
    hosts = sorted({key.split("/")[2] for key in stats if key.startswith("failover/domain/")})
    if not hosts:
        return ""
    lines = [f"  {'domain':<28} {'requests':>8} {'ok':>6}  {'failures':<28} state"]
    for host in hosts:
        prefix = f"failover/domain/{host}/"
        failures = ", ".join(f"{key.removeprefix(prefix + 'failures/')} {value}"
                             for key, value in sorted(stats.items())
                             if key.startswith(prefix + "failures/"))
        lines.append(f"  {host:<28} {stats.get(prefix + 'requests', 0)!s:>8} "
                     f"{stats.get(prefix + 'successes', 0)!s:>6}  {failures or '-':<28} "
                     f"{stats.get(prefix + 'state', '?')}")
    return "\n".join(lines)


class RunSummary:
    """Logs ``format_summary`` once the engine has stopped, when every component has written
    its final stats (the failover middleware writes its per-domain ones on spider_closed)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.text = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        spider = self.crawler.spider
        site = getattr(getattr(spider, "site", None), "name", getattr(spider, "name", "?"))
        self.text = format_summary(site, stats)
        if self.crawler.settings.getbool("NEWSCRAWL_SUMMARY_LOG"):  # the CLI prints it instead
            logger.info("%s", self.text)
