"""Requests no domain answered (``newscrawl.failover.pending``): recorded for the next run and
counted once per URL, however many requests end at it."""

from __future__ import annotations

import asyncio

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from newscrawl.failover.breaker import CircuitBreaker
from newscrawl.failover.pending import PendingRecorder
from newscrawl.sites import load_sites

SITE = load_sites()["presstv"]


def test_two_requests_ending_at_one_url_are_one_pending_request() -> None:
    """Two redirect chains into one loop both give up at ``/loop``: the store's pending table
    has one row for it (an upsert), and ``failover/pending`` (the summary, the exit status)
    must say one too, not two."""
    crawler = get_crawler()
    crawler.stats.open_spider()
    breaker = CircuitBreaker(SITE.domains)
    recorder = PendingRecorder(SITE, breaker, None, crawler.stats)
    for _ in range(2):
        with pytest.raises(IgnoreRequest):
            asyncio.run(recorder.give_up(scrapy.Request(SITE.primary + "/loop")))
    with pytest.raises(IgnoreRequest):
        asyncio.run(recorder.give_up(scrapy.Request(SITE.primary + "/other")))
    assert crawler.stats.get_value("failover/pending") == 2
