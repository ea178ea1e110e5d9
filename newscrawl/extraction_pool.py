"""Run article extraction beside the crawler, in worker processes.

Scrapy's engine is one thread; HTML extraction is CPU work. Handing it to a process pool
lets the crawler keep downloading on one core while pages are parsed on another.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from newscrawl.items import Article
from newscrawl.sites.model import Site

logger = logging.getLogger(__name__)


class ExtractionPool:
    """``await pool.extract(html, url, site)``: in ``workers`` processes, or inline when 0."""

    def __init__(self, workers: int):
        self.workers = max(0, workers)
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    async def extract(self, html: bytes, url: str, site: Site) -> Article:
        """Extract one article; a crashed worker is replaced and the page parsed inline."""
        from newscrawl.extract import parse_article

        if not self.workers:
            return parse_article(html, url, site)
        try:
            future = self._pool().submit(parse_article, html, url, site)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            logger.warning("extraction worker died on %s; restarting it, parsing inline", url)
            self.close()
            return parse_article(html, url, site)

    def close(self) -> None:
        """Stop the worker processes."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
