"""Objects made before the crawl starts left out of Python's garbage collector for the crawl.

The crawler starts with some 110,000 container objects that live as long as it does:
modules, the site, compiled patterns, Scrapy's components. Every full collection of the
cyclic garbage collector walks all of them again; during a crawl, which allocates requests,
responses and Deferreds at a high rate, that was about 8% of the crawling thread's time
(``bench/crawl.py``: 0.33 s of full collections in a 4 s crawl). ``gc.freeze()`` at
``spider_opened`` moves them to a generation the collector never walks; ``gc.unfreeze()``
when the engine stops gives them back (a process
that runs another crawl after this one collects them as before; two crawls at once in one
process share the one frozen generation, and the first to stop gives it back). Cycles made at
startup that were garbage already are kept until then.

``NEWSCRAWL_GC_FREEZE`` (default on) turns it off.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class FreezeStartupObjects:
    """An extension: ``gc.freeze()`` when the spider opens, ``gc.unfreeze()`` when the engine stops."""

    def __init__(self) -> None:
        self.frozen = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FreezeStartupObjects:
        if not crawler.settings.getbool("NEWSCRAWL_GC_FREEZE"):
            raise NotConfigured("NEWSCRAWL_GC_FREEZE is off")
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        gc.freeze()
        self.frozen = gc.get_freeze_count()

    def engine_stopped(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = 0
