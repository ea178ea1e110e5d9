"""Bodies over DOWNLOAD_MAXSIZE in a real crawl: a gzip bomb costs at most the limit, and a
page cut for its size is counted, logged and never taken for a failing domain."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from newscrawl.sizelimit import BodySizeLimit
from tests.local_http import MIB, Route, ScriptedServer, gzip_bomb, scripted_server
from tests.peak_rss import Measured, run_measured

RSS_CEILING_MIB = 200  # measured: 100 MiB (crawler and extraction worker, 16 MiB limit)
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-L", "INFO"]


def article(number: int) -> bytes:
    return (f"<html><head><title>Story {number} - Bomb News</title></head><body><article>"
            f"<h1>Story number {number}</h1>"
            + "".join(f"<p>Paragraph {i} of story {number}, long enough to be kept as body text"
                      f" by the generic extraction layer of newscrawl.</p>" for i in range(6))
            + "</article><footer>Bomb News</footer></body></html>").encode()


def listing(numbers: list[int]) -> bytes:
    links = "".join(f'<li><a href="/article/{n}/story">Story {n}</a></li>' for n in numbers)
    return f"<html><head><title>News - Bomb News</title></head><body><ul>{links}</ul></body></html>".encode()


@contextmanager
def two_origins(article_routes: dict[str, Route]) -> Iterator[tuple[ScriptedServer, ScriptedServer]]:
    """The site's primary (with ``article_routes``) and a healthy mirror serving every page."""
    numbers = [int(path.split("/")[2]) for path in article_routes]
    mirror_routes = {"/news": Route(body=listing(numbers)),
                     **{path: Route(body=article(int(path.split("/")[2]))) for path in article_routes}}
    with ExitStack() as stack:
        primary = stack.enter_context(scripted_server({"/news": Route(body=listing(numbers)),
                                                        **article_routes}))
        mirror = stack.enter_context(scripted_server(mirror_routes))
        yield primary, mirror


def crawl(tmp_path: Path, primary: ScriptedServer, mirror: ScriptedServer, *extra: str) -> Measured:
    sites = tmp_path / "sites.toml"
    sites.write_text(
        "[sites.bombnews]\n"
        f'domains = ["http://www.bombnews.test:{primary.port}", "http://mirror.bombnews.test:{mirror.port}"]\n'
        'sections = ["/news"]\narticle_pattern = \'^/article/(\\d+)/\'\nmax_pages = 1\n')
    return run_measured([
        sys.executable, "-m", "newscrawl.cli", "crawl", "bombnews", "--sites", str(sites),
        "--store", f"sqlite:///{tmp_path}/store.db", "-o", str(tmp_path / "out.jsonl"),
        "--resolve", "www.bombnews.test:127.0.0.1", "--resolve", "mirror.bombnews.test:127.0.0.1",
        *FAST, *extra], tmp_path)


def stored(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "store.db") as connection:
        return connection.execute(sql).fetchall()


def assert_counted_not_failed_over(run: Measured, tmp_path: Path, mirror: ScriptedServer,
                                   too_large: list[str]) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"too_large {len(too_large)}" in run.stdout, "the summary counts them"
    for path in too_large:
        assert f"{path}: body over DOWNLOAD_MAXSIZE" in run.stderr
        assert path not in mirror.served, f"{path} was failed over to the mirror"
    assert "failover/reason_count" not in run.stderr, "a big page is not a domain failure"
    assert stored(tmp_path, "SELECT url FROM pending") == []
    assert [u for (u,) in stored(tmp_path, "SELECT url FROM articles")] == [
        f"http://www.bombnews.test:{run_port(tmp_path)}/article/1/story"]


def run_port(tmp_path: Path) -> int:
    text = (tmp_path / "sites.toml").read_text()
    return int(text.split("www.bombnews.test:")[1].split('"')[0])


def test_a_gzip_bomb_is_cut_at_download_maxsize_and_counted(tmp_path: Path) -> None:
    bomb = Route(body=gzip_bomb(1024 * MIB),
                 headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with two_origins({"/article/1/story": Route(body=article(1)), "/article/2/story": bomb}) as (
            primary, mirror):
        run = crawl(tmp_path, primary, mirror)
        assert "/article/2/story" in primary.served, "the bomb was sent"
    print(f"crawler peak RSS {run.peak_rss_mib:.1f} MiB")
    assert "exceeded DOWNLOAD_MAXSIZE (16777216 B) during decompression" in run.stderr
    assert_counted_not_failed_over(run, tmp_path, mirror, ["/article/2/story"])
    assert run.peak_rss_mib < RSS_CEILING_MIB, f"peak RSS {run.peak_rss_mib:.0f} MiB"


def test_a_body_too_large_on_the_wire_is_counted_not_failed_over(tmp_path: Path) -> None:
    big = article(3) + b" " * (2 * MIB)
    routes = {"/article/1/story": Route(body=article(1)),
              "/article/3/story": Route(body=big),                # Content-Length over the limit
              "/article/4/story": Route(body=big, sized=False)}   # no length: cut while reading
    with two_origins(routes) as (primary, mirror):
        run = crawl(tmp_path, primary, mirror, "-s", f"DOWNLOAD_MAXSIZE={MIB}")
    assert_counted_not_failed_over(run, tmp_path, mirror, ["/article/3/story", "/article/4/story"])


class SitemapSpider(Spider):
    name = "sitemaps"

    def parse_sitemap(self, response: object) -> None:
        pass


def test_sitemap_requests_get_their_own_limit() -> None:
    crawler = get_crawler(SitemapSpider, settings_dict={
        "DOWNLOAD_MAXSIZE": 16 * MIB, "NEWSCRAWL_SITEMAP_MAXSIZE": 50 * MIB})
    crawler._apply_settings()
    middleware = BodySizeLimit.from_crawler(crawler)
    spider = SitemapSpider()
    sitemap = Request("http://a.test/sitemap.xml", callback=spider.parse_sitemap)
    page = Request("http://a.test/page", callback=spider.parse)
    for request in (sitemap, page):
        middleware.process_request(request)
    assert sitemap.meta["download_maxsize"] == 50 * MIB
    assert "download_maxsize" not in page.meta, "pages keep DOWNLOAD_MAXSIZE"
