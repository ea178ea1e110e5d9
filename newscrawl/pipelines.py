"""Item pipelines: validate, normalise, then store. Items are touched only via ItemAdapter."""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawl.sites.model import Site
from newscrawl.storage.articles import ARTICLE_KEY
from newscrawl.storelink import StoreLink

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("url", "headline", "body")
DATE_FIELDS = ("published_at", "updated_at", "fetched_at")


class ValidationPipeline:
    """Drops an item without url, headline or body, with the reason logged and counted."""

    def __init__(self, stats: StatsCollector):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in REQUIRED_FIELDS:
            value = adapter.get(name)
            if not (isinstance(value, str) and value.strip()):
                self.stats.inc_value(f"newscrawl/dropped/missing_{name}")
                raise DropItem(f"missing {name}: {adapter.get('fetched_url') or adapter.get('url')}")
        return item


def clean_text(value: str, keep_paragraphs: bool = False) -> str:
    """NFC, no NBSP or zero-width characters, runs of whitespace to one space; with
    ``keep_paragraphs`` paragraphs stay separated by one blank line."""
    value = unicodedata.normalize("NFC", value).replace("\u200b", "").replace("\ufeff", "")
    if keep_paragraphs:
        paragraphs = (" ".join(p.split()) for p in value.replace("\r", "").split("\n\n"))
        return "\n\n".join(p for p in paragraphs if p)
    return " ".join(value.split())


def clean_date(value: str) -> str:
    """An ISO 8601 string kept as is when valid; anything else becomes empty."""
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return value


def _clean_value(name: str, value: Any) -> Any:
    if isinstance(value, str):
        text = clean_text(value, keep_paragraphs=name == "body")
        return clean_date(text) if name in DATE_FIELDS and text else text
    if isinstance(value, list):
        cleaned = [_clean_value(name, v) for v in value]
        if cleaned and all(isinstance(v, str) for v in cleaned):
            return list(dict.fromkeys(v for v in cleaned if v))  # no empties, no repeats
        return cleaned
    if isinstance(value, dict):
        return {k: _clean_value(k, v) for k, v in value.items()}
    return value


class NormalizationPipeline:
    """Whitespace, NBSP and Unicode NFC in every string field; dates checked as ISO 8601."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in adapter.field_names():
            if name in adapter and name != "sources":
                adapter[name] = _clean_value(name, adapter[name])
        return item


class StoragePipeline:
    """Writes articles to the store in batched transactions (``NEWSCRAWL_STORE_BATCH``
    items, or whatever arrived within ``NEWSCRAWL_STORE_FLUSH_SECONDS``). An item waits for
    its batch: duplicates of stored articles are then dropped, not exported."""

    def __init__(self, crawler: Crawler, batch: int, flush_seconds: float):
        self.crawler = crawler
        self.link = StoreLink.for_crawler(crawler)
        self.batch_size = max(1, batch)
        self.flush_seconds = flush_seconds
        self._batch: list[tuple[dict[str, Any], asyncio.Future[str]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()
        self._saved_urls: set[str] = set()  # this run's articles: a second copy is dropped

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        if not crawler.settings.getbool("NEWSCRAWL_STORE_ENABLED"):
            raise NotConfigured("NEWSCRAWL_STORE_ENABLED is off")
        pipeline = cls(crawler, crawler.settings.getint("NEWSCRAWL_STORE_BATCH"),
                       crawler.settings.getfloat("NEWSCRAWL_STORE_FLUSH_SECONDS"))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def open_spider(self) -> None:
        spider = self.crawler.spider
        site = getattr(getattr(spider, "site", None), "name", getattr(spider, "name", ""))
        settings = {k: v for k, v in self.crawler.settings.copy_to_dict().items()
                    if k.startswith("NEWSCRAWL_")}
        self.link.run_id = await self.link.call(type(self)._begin, site, settings)

    @staticmethod
    def _begin(store: Any, site: str, settings: dict[str, Any]) -> int:
        return int(store.begin_run(site, settings))

    async def process_item(self, item: Any) -> Any:
        url = str(ItemAdapter(item).get("url"))
        if url in self._saved_urls:  # e.g. fetched again after a resumed job
            raise DropItem(f"already saved in this run: {url}", log_level="DEBUG")
        self._saved_urls.add(url)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        record = ItemAdapter(item).asdict()
        site = getattr(self.crawler.spider, "site", None)
        if isinstance(site, Site):
            record[ARTICLE_KEY] = site.article_key(url)
        self._batch.append((record, future))
        if len(self._batch) >= self.batch_size:
            self._start_flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.flush_seconds,
                                                                self._start_flush)
        outcome = await future
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawl/store/{outcome}")
        if outcome in ("duplicate", "near_duplicate"):
            raise DropItem(f"{outcome} of a stored article: {ItemAdapter(item).get('url')}",
                           log_level="DEBUG")
        return item

    @staticmethod
    def _save(store: Any, run_id: int | None, articles: list[dict[str, Any]]) -> list[str]:
        outcomes = store.save_articles(run_id, articles)
        store.resolve_pending([a["url"] for a in articles])  # fetched at last, if it was pending
        return list(outcomes)

    def _start_flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if batch:
            task = asyncio.ensure_future(self._write(batch))
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def _write(self, batch: list[tuple[dict[str, Any], asyncio.Future[str]]]) -> None:
        run_id = self.link.run_id
        try:
            outcomes = await self.link.call(self._save, run_id, [a for a, _ in batch])
        except Exception as exc:  # the store failed: every item of the batch fails with it
            logger.error("store write of %d articles failed: %s", len(batch), exc)
            for _, future in batch:
                future.set_exception(DropItem(f"store write failed: {exc}"))
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            future.set_result(str(outcome))

    async def close_spider(self) -> None:
        self._start_flush()
        if self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)

    async def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        counts = {k.removeprefix("newscrawl/"): v for k, v in stats.items()
                  if k.startswith("newscrawl/") and isinstance(v, int)}
        if self.link.run_id is not None:
            await self.link.call(lambda store: store.finish_run(self.link.run_id, counts, reason))
        self.link.close()
