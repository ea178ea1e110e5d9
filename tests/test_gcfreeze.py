"""FreezeStartupObjects: startup objects frozen and young collections rarer while the spider
runs, both given back at the end."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.gcfreeze import FreezeStartupObjects


def test_objects_are_frozen_while_the_spider_runs_and_given_back_when_the_engine_stops() -> None:
    extension = FreezeStartupObjects.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_GC_FREEZE": True}))
    startup = [["made before the crawl"]]  # a container the collector tracks
    assert gc.get_freeze_count() == 0
    try:
        extension.spider_opened()
        assert gc.get_freeze_count() > 1000  # the test process's modules and objects
        assert not any(o is startup for o in gc.get_objects())  # walked by no collection
    finally:
        extension.engine_stopped()
    assert gc.get_freeze_count() == 0
    assert any(o is startup for o in gc.get_objects())


def test_off_by_setting() -> None:
    with pytest.raises(NotConfigured):
        FreezeStartupObjects.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_GC_FREEZE": False}))


def test_the_youngest_generation_is_collected_less_often_while_crawling_then_as_before() -> None:
    before = gc.get_threshold()
    extension = FreezeStartupObjects.from_crawler(get_crawler(settings_dict={
        "NEWSCRAWL_GC_FREEZE": False, "NEWSCRAWL_GC_YOUNG_THRESHOLD": 12345}))
    try:
        extension.spider_opened()
        assert gc.get_threshold() == (12345, *before[1:])
        assert gc.get_freeze_count() == 0  # freezing stays off
    finally:
        extension.engine_stopped()
    assert gc.get_threshold() == before
