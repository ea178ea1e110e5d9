"""The store extension: one owner of the crawl's store, found by every component through
Scrapy's own lookups (``get_extension``, ``get_downloader_middleware``), never a private
attribute. Built from a crawler like Scrapy's own tests, on a real SQLite store."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from scrapy import signals
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from scrapy.utils.test import get_crawler

from newscrawl.failover.gate import FailoverGate
from newscrawl.failover.middleware import FailoverMiddleware
from newscrawl.sites import load_sites
from newscrawl.spiders.news import NewsSpider
from newscrawl.storage import open_store
from newscrawl.storeext import StoreExtension
from newscrawl.storepipeline import StoragePipeline
from tests.helpers import project_settings

SITE = load_sites()["presstv"]
PENDING = SITE.primary + "/Detail/2026/08/15/774416/Iran-Oman"


def crawler_for(store_url: str | None, tmp_path: Any, site: Any = SITE, **extra: Any) -> Any:
    settings = project_settings(NEWSCRAWL_STORE_ENABLED=store_url is not None,
                                NEWSCRAWL_STORE=store_url or "", NEWSCRAWL_FAILOVER_USE_MONITOR=False,
                                NEWSCRAWL_STORE_SPOOL_DIR=str(tmp_path / "spool"), **extra)
    crawler = get_crawler(NewsSpider, settings)
    crawler.spider = NewsSpider.from_crawler(crawler, site=site)
    crawler.stats.open_spider()
    if not is_reactor_installed():  # the engine's downloader imports the reactor: Scrapy's one
        install_reactor(settings["TWISTED_REACTOR"])
    crawler.engine = crawler._create_engine()  # downloader middlewares and item pipelines
    return crawler


def runs(store_url: str) -> list[tuple[Any, ...]]:
    store = open_store(store_url)
    with store.read() as cur:
        cur.execute("SELECT site, finished_at, outcome FROM runs ORDER BY id")
        rows = [tuple(row) for row in cur.fetchall()]
    store.close()
    return rows


def test_every_component_shares_the_one_store_run_and_pending_set(tmp_path: Any) -> None:
    store_url = f"sqlite:///{tmp_path}/s.db"
    store = open_store(store_url)
    store.add_pending(None, SITE.name, PENDING, ["timeout"])
    store.close()
    crawler = crawler_for(store_url, tmp_path)
    extension = crawler.get_extension(StoreExtension)
    assert extension is not None
    late: list[str] = []

    async def another_component_closing(spider: Any, reason: str) -> None:  # e.g. a middleware
        late.append(await extension.call(lambda s: str(s.pending(SITE.name)[0].url)))

    crawler.signals.connect(another_component_closing, signal=signals.spider_closed)

    async def crawl() -> None:
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
        assert runs(store_url) == [("presstv", None, None)]  # begun when the spider opened
        assert extension.run_id is not None
        failover = crawler.get_downloader_middleware(FailoverMiddleware)
        assert failover.store is extension and failover.pending.store is extension
        assert crawler.get_downloader_middleware(FailoverGate).failover is failover
        assert crawler.get_item_pipeline(StoragePipeline).store is extension
        assert crawler.spider.store is extension
        requests = await crawler.spider.pending_requests()
        assert [r.url for r in requests] == [PENDING] and extension.pending_urls == {PENDING}
        await extension.resolve_if_pending(SITE.primary + "/Detail/2026/08/14/774313/Heds")
        assert extension.pending_urls == {PENDING}  # not pending: nothing asked of the store
        await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider,
                                                   reason="finished")

    asyncio.run(crawl())
    assert late == [PENDING]  # the store was still open for a later spider_closed handler
    (_site, finished, outcome), = runs(store_url)
    assert finished is not None and outcome == "finished"
    with pytest.raises(RuntimeError):  # closed last: its thread is gone
        extension.link._executor.submit(print)
    assert not [name for name in vars(crawler) if name.startswith("_newscrawl")]


def test_a_request_pending_from_an_earlier_run_is_resolved_once_answered(tmp_path: Any) -> None:
    store_url = f"sqlite:///{tmp_path}/s.db"
    store = open_store(store_url)
    store.add_pending(None, SITE.name, PENDING, ["timeout"])
    store.close()
    crawler = crawler_for(store_url, tmp_path)
    extension = crawler.get_extension(StoreExtension)

    async def crawl() -> None:
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
        await extension.load_pending()
        await extension.resolve_if_pending(PENDING)
        await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider,
                                                   reason="finished")

    asyncio.run(crawl())
    assert extension.pending_urls == set()
    store = open_store(store_url)
    assert store.pending(SITE.name) == []
    store.close()


def test_without_a_store_there_is_no_extension_and_no_storage_pipeline(tmp_path: Any) -> None:
    crawler = crawler_for(None, tmp_path)
    assert crawler.get_extension(StoreExtension) is None
    assert crawler.get_item_pipeline(StoragePipeline) is None
    assert crawler.spider.store is None
    assert crawler.get_downloader_middleware(FailoverMiddleware).store is None


def test_a_store_gone_when_the_run_begins_stops_the_crawl_without_a_traceback(tmp_path: Any) -> None:
    from tests.fixtures_postgres import _free_port

    crawler = crawler_for(f"postgresql://nobody@127.0.0.1:{_free_port()}/gone", tmp_path,
                          NEWSCRAWL_STORE_RETRY_TIMES=0)
    extension = crawler.get_extension(StoreExtension)

    async def opened() -> list[Any]:
        return list(await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider))

    results = asyncio.run(opened())
    assert not [result for _, result in results if isinstance(result, BaseException) or
                type(result).__name__ == "Failure"]  # no handler raised
    assert extension.failed and extension.run_id is None
    assert crawler.stats.get_value("newscrawl/store/error") == extension.failed
    extension.close()


def test_an_unforeseen_store_error_spools_the_batch_and_no_item_waits_forever(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug nobody foresaw (here: the store answering fewer outcomes than articles) must not
    leave the batch's items waiting on their outcome: they are spooled and the crawl stops."""
    def broken_save(store: Any, run_id: Any, articles: Any, near: Any = None) -> list[str]:
        return []

    monkeypatch.setattr(StoragePipeline, "_save", staticmethod(broken_save))
    crawler = crawler_for(f"sqlite:///{tmp_path}/s.db", tmp_path, NEWSCRAWL_STORE_BATCH=1)
    extension = crawler.get_extension(StoreExtension)
    pipeline = crawler.get_item_pipeline(StoragePipeline)
    item = {"url": SITE.primary + "/Detail/2026/08/15/774416/Iran-Oman", "site": SITE.name,
            "headline": "H", "body": "B"}

    async def crawl() -> Any:
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
        kept = await asyncio.wait_for(pipeline.process_item(item), 60)  # a safety net, not a wait
        await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider,
                                                   reason="finished")
        return kept

    assert asyncio.run(crawl()) == item  # still exported: the JSON lines keep it
    assert crawler.stats.get_value("newscrawl/store/spooled") == 1
    assert extension.failed
    spooled = "".join(path.read_text() for path in (tmp_path / "spool").glob("*.jsonl"))
    assert item["url"] in spooled


def test_a_run_row_that_cannot_be_finished_is_visible_and_fails_the_crawl(tmp_path: Any) -> None:
    """The store works, but the one UPDATE finishing the run row fails (a real SQLite trigger
    aborts it): the crawl must not exit 0, and the summary says so in one line."""
    import sqlite3

    from newscrawl.exitstatus import FAILED, crawl_exit
    from newscrawl.summary import format_summary

    crawler = crawler_for(f"sqlite:///{tmp_path}/s.db", tmp_path)
    extension = crawler.get_extension(StoreExtension)

    async def crawl() -> None:
        await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
        db = sqlite3.connect(tmp_path / "s.db")
        db.execute("CREATE TRIGGER no_finish BEFORE UPDATE OF finished_at ON runs "
                   "BEGIN SELECT RAISE(ABORT, 'finishing refused'); END")
        db.commit()
        db.close()
        crawler.stats.set_value("newscrawl/listing_pages", 1)
        await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider,
                                                   reason="finished")

    asyncio.run(crawl())
    assert extension.failed is None  # the store itself stayed healthy
    why = crawler.stats.get_value("newscrawl/store/run_unfinished")
    assert why and "finishing refused" in why and "\n" not in why
    stats = dict(crawler.stats.get_stats(), finish_reason="finished")
    status, message = crawl_exit("finished", stats)
    assert status == FAILED and message.startswith("the run row was not finished")
    unfinished = [line for line in format_summary(SITE.name, stats).splitlines() if "run row" in line]
    assert len(unfinished) == 1 and "finishing refused" in unfinished[0]
    assert runs(f"sqlite:///{tmp_path}/s.db")[0][1] is None  # really not finished


GAZETTE = """
[sites.gazette]
domains = ["https://www.gazette.example", "https://mirror.gazette.example"]
sections = ["/news"]
article_pattern = '^/story/(\\d+)/'
"""


def test_articles_stored_before_keys_existed_get_the_keys_of_a_users_own_site(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store at schema version 3 (no article keys) of a site from a user's sites file: the
    crawl that opens it keys the stored article with that file's pattern, once, so the same
    story under a new slug is a revision of its row, not a second article."""
    from newscrawl.dedup.content import content_fingerprint
    from newscrawl.storage.schema import COMPONENTS, CORE
    from tests.test_storage import article

    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(GAZETTE, encoding="utf-8")
    gazette = load_sites(sites_file)["gazette"]
    store_url = f"sqlite:///{tmp_path}/s.db"
    monkeypatch.setitem(COMPONENTS, "core", CORE[:3])  # a store written before version 4
    old = open_store(store_url)
    stored = {**article(1), "site": "gazette", "url": gazette.primary + "/story/4711/old-slug"}
    stored.pop("article_key", None)
    with old.transaction() as cur:  # as a newscrawl of then wrote it: no key column
        cur.execute("INSERT INTO articles (url, site, data, content_hash, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (stored["url"], "gazette", json.dumps(stored),
                                                  content_fingerprint(stored["body"]), "2026-08", "2026-08"))
    old.close()
    monkeypatch.undo()

    crawler = crawler_for(store_url, tmp_path, site=gazette)
    extension = crawler.get_extension(StoreExtension)
    asyncio.run(_open_and_close(crawler))
    assert crawler.stats.get_value("newscrawl/store/rekeyed") == 1 and extension.failed is None
    store = open_store(store_url)
    assert store.schema_version() == 8
    new_url = gazette.primary + "/story/4711/new-slug"
    renamed = {**stored, "url": new_url, "body": stored["body"] + " Updated.",
               "article_key": gazette.article_key(new_url)}
    assert renamed["article_key"] == "4711"
    assert store.save_articles(None, [renamed]) == ["revision"]
    assert [a["url"] for a in store.iter_articles()] == [renamed["url"]]
    assert store.rekey_articles("gazette", f"{gazette.primary} {gazette.article_pattern.pattern}",
                                gazette.article_key) == 0  # keyed with this pattern: not read again
    store.close()

    again = crawler_for(store_url, tmp_path, site=gazette)
    asyncio.run(_open_and_close(again))
    assert again.stats.get_value("newscrawl/store/rekeyed") is None  # nothing to recompute


async def _open_and_close(crawler: Any) -> None:
    await crawler.signals.send_catch_log_async(signals.spider_opened, spider=crawler.spider)
    await crawler.signals.send_catch_log_async(signals.spider_closed, spider=crawler.spider,
                                               reason="finished")
