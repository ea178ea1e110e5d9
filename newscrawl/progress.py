"""A progress line while a crawl runs: listing pages, articles found / parsed / stored,
failovers and the rate. On a terminal it is one live line on standard error, redrawn every
second; otherwise a plain log line every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds. Off with
``NEWSCRAWL_PROGRESS = False`` (``newscrawl crawl -q``)."""

from __future__ import annotations

import logging
import sys
import time
from typing import IO, Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)
TTY_INTERVAL = 1.0


def progress_text(stats: dict[str, Any], elapsed: float) -> str:
    get = stats.get
    parsed = int(get("newscrawl/articles/parsed", 0) or 0)
    stored = int(get("newscrawl/store/new", 0) or 0) + int(get("newscrawl/store/revision", 0) or 0)
    rate = parsed / elapsed if elapsed > 0 else 0.0
    return (f"progress: {get('newscrawl/listing_pages', 0)} listing pages, articles "
            f"{get('newscrawl/articles/discovered', 0)} found / {parsed} parsed / {stored} stored, "
            f"{get('failover/count', 0)} failovers, {rate:.1f} articles/s, {elapsed:.0f} s")


class ProgressLine:
    def __init__(self, crawler: Crawler, interval: float, stream: IO[str]) -> None:
        self.crawler, self.stream = crawler, stream
        self.tty = stream.isatty()
        self.interval = TTY_INTERVAL if self.tty else interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not crawler.settings.getbool("NEWSCRAWL_PROGRESS"):
            raise NotConfigured  # off by choice: nothing to warn about (NEWSCRAWL_PROGRESS is off)
        extension = cls(crawler, crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL"), sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def show(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        text = progress_text(stats, time.monotonic() - self.started)
        if self.tty:
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
        else:
            logger.info("%s", text)

    def spider_closed(self, spider: Any) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
