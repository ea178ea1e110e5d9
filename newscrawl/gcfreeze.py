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

For the crawl the youngest generation is also collected less often
(``NEWSCRAWL_GC_YOUNG_THRESHOLD``, 10,000 new container objects instead of Python's 700; 0
keeps Python's): most of what a page allocates is freed by reference counting before a
collection comes, and with the default the collector ran some 480 young and 40 middle
collections in a 1,000-article crawl of ``bench/crawl.py`` (0.13 s of the crawl's thread),
about 20 and 2 with 10,000 (0.06 s), for some 5 MB more peak RSS. Python's thresholds
come back when the engine stops.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class FreezeStartupObjects:
    """An extension: ``gc.freeze()`` when the spider opens, ``gc.unfreeze()`` when the engine stops."""

    def __init__(self, freeze: bool = True, young_threshold: int = 0) -> None:
        self.freeze = freeze
        self.young_threshold = young_threshold
        self.frozen = 0
        self.thresholds: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FreezeStartupObjects:
        freeze = crawler.settings.getbool("NEWSCRAWL_GC_FREEZE")
        young = max(0, crawler.settings.getint("NEWSCRAWL_GC_YOUNG_THRESHOLD"))
        if not freeze and not young:
            raise NotConfigured("NEWSCRAWL_GC_FREEZE is off and NEWSCRAWL_GC_YOUNG_THRESHOLD 0")
        extension = cls(freeze, young)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        if self.freeze:
            gc.freeze()
            self.frozen = gc.get_freeze_count()
        if self.young_threshold and self.thresholds is None:
            self.thresholds = gc.get_threshold()
            gc.set_threshold(self.young_threshold, *self.thresholds[1:])

    def engine_stopped(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = 0
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            self.thresholds = None
