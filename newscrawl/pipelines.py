"""Item pipelines: validate, normalise, then store. Items are touched only via ItemAdapter."""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.render.middleware import APP_SHELL
from newscrawl.storepipeline import StoragePipeline

logger = logging.getLogger(__name__)
__all__ = ["NormalizationPipeline", "StoragePipeline", "ValidationPipeline", "clean_text"]

REQUIRED_FIELDS = ("url", "headline", "body")
DATE_FIELDS = ("published_at", "updated_at", "fetched_at")


class ValidationPipeline:
    """Drops an item without url, headline or body, with the reason logged and counted; an
    app shell not rendered (``sources["body"] == "app_shell"``, counted by newscrawl.render)
    is kept without its body."""

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
            if name == "body" and (adapter.get("sources") or {}).get("body") == APP_SHELL:
                continue
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
