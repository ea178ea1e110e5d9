"""End-to-end: discovery against the mock Press TV site with hostile pages (issue 10, items 2,
6 and 11): malformed links, a sitemap index that lists itself under ``--job``, nested sitemap
indexes without end, a redirect loop and a redirect to another port of the primary's host."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newscrawl.testing.mocksite import MockServer, MockSite, build_mock_site
from newscrawl.testing.mocksite.model import SELF
from tests.e2e import HOSTS, CrawlRun, MockPressTV

BAD_LINK = b'<a href="http://[oops/x">broken</a>'


@contextmanager
def serve(tmp: Path, change: Callable[[MockSite], None], sites_toml: str = "",
          hidden_origin: bool = False) -> Iterator[MockPressTV]:
    """The mock Press TV site changed by ``change``; ``sites_toml`` lines are added to the site
    (e.g. its sitemaps); ``hidden_origin``: one more origin on the primary's host (another port)
    that is not one of the site's domains."""
    site = build_mock_site(articles=36)
    change(site)
    origins = [f"http://{host}:0" for host in HOSTS] + (["http://www.presstv.ir:0"] if hidden_origin else [])
    with MockServer(site, origins) as server:
        mock = MockPressTV(site, server, tmp, server.origins[: len(HOSTS)])
        if sites_toml:
            with mock.sites_file.open("a", encoding="utf-8") as toml:
                toml.write(sites_toml)
        yield mock


def assert_every_article_once(mock: MockPressTV, run: CrawlRun) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    assert Counter(run.urls) == Counter(mock.expected_urls)


def stat(run: CrawlRun, key: str) -> int:
    """A value of the stats Scrapy dumps at the end of the crawl."""
    match = re.search(rf"'{re.escape(key)}': (\d+),", run.stderr)
    assert match, f"no {key} in the stats"
    return int(match.group(1))


def sitemap_index(*paths: str) -> bytes:
    entries = b"".join(b"<sitemap><loc>" + SELF + path.encode() + b"</loc></sitemap>" for path in paths)
    return b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' \
        + entries + b"</sitemapindex>"


def test_a_malformed_link_on_every_listing_page_and_in_the_feed_loses_no_article(tmp_path: Path) -> None:
    def break_links(site: MockSite) -> None:
        for path in [p for p in site.pages if p.startswith("/Section/")]:
            site.pages[path] = site.pages[path].replace(b"</body>", BAD_LINK + b"</body>")
        site.pages["/rss.xml"] = site.pages["/rss.xml"].replace(
            b"<item>", b"<item><link>http://[oops/feed</link></item><item>", 1)

    with serve(tmp_path, break_links) as mock:
        run = mock.crawl()
        assert_every_article_once(mock, run)
        assert f"skipped 1 malformed URL on {mock.domains[0]}/Section/101: 'http://[oops/x'" in run.stderr
        assert stat(run, "newscrawl/discovery/bad_url") == stat(run, "newscrawl/listing_pages") + 1 > 10
        assert f"  discovery      bad_url {stat(run, 'newscrawl/discovery/bad_url')}" in run.stdout


def test_with_a_job_a_sitemap_index_that_lists_itself_is_fetched_once(tmp_path: Path) -> None:
    def self_listing(site: MockSite) -> None:
        site.pages["/sitemap-index.xml"] = sitemap_index("/sitemap-index.xml", "/sitemap.xml")

    with serve(tmp_path, self_listing, 'sitemaps = ["/sitemap-index.xml"]\n') as mock:
        run = mock.crawl("--job", "loop", "-s", f"NEWSCRAWL_JOBS_DIR={tmp_path / 'jobs'}",
                         "-s", "CLOSESPIDER_TIMEOUT=40")  # bounds the endless crawl of the bug
        assert mock.server.hits("/sitemap-index.xml") == 1
        assert mock.server.hits("/sitemap.xml") == 1
        assert_every_article_once(mock, run)
        assert "(finished)" in run.stdout


def test_nested_sitemap_indexes_are_followed_down_to_the_maximum_depth(tmp_path: Path) -> None:
    def chain(site: MockSite) -> None:
        for level in range(8):
            site.pages[f"/sm-{level}.xml"] = sitemap_index(f"/sm-{level + 1}.xml")

    with serve(tmp_path, chain, 'sitemaps = ["/sm-0.xml"]\n') as mock:
        run = mock.crawl()
        assert_every_article_once(mock, run)  # listings and feed still found every article
        assert [mock.server.hits(f"/sm-{level}.xml") for level in range(6)] == [1, 1, 1, 1, 0, 0]
        assert "nests deeper than NEWSCRAWL_SITEMAP_MAX_DEPTH=3" in run.stderr
        assert stat(run, "newscrawl/discovery/sitemap_too_deep") == 1


def test_a_redirect_loop_on_the_primary_fails_over_and_loses_nothing(tmp_path: Path) -> None:
    with serve(tmp_path, lambda site: None) as mock:
        primary = mock.domains[0]
        mock.server.set_mode(primary, "offsite_redirect", location=primary + "/loop")
        run = mock.crawl()
        assert_every_article_once(mock, run)
        assert {item["mirror"] for item in run.items} <= set(mock.domains[1:])
        assert f"redirect loop on {primary.split('://')[1]}: " in run.stderr
        assert stat(run, "failover/reason_count/redirect_loop") >= 1


def test_a_redirect_to_another_port_of_the_primary_host_is_not_followed(tmp_path: Path) -> None:
    with serve(tmp_path, lambda site: None, hidden_origin=True) as mock:
        hidden = mock.server.origins[-1]
        assert hidden not in mock.domains and hidden.split(":")[1] == mock.domains[0].split(":")[1]
        mock.server.set_mode(mock.domains[0], "offsite_redirect", location=hidden + "/")
        run = mock.crawl()
        assert mock.server.hits(origin=hidden) == 0
        assert_every_article_once(mock, run)
        assert hidden not in {item["mirror"] for item in run.items}
        assert stat(run, "failover/reason_count/offsite_redirect") >= 1


def test_a_huge_feed_stops_at_max_articles_with_bounded_memory() -> None:
    """100,000 feed items, --max-articles 20: the requests wait as URLs, not in the scheduler
    (before: every item a queued request, 710 MB peak at 200,000 items; now 137 MB)."""
    from bench.huge_feed import run

    result = run(items=100_000, max_articles=20)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.articles >= 1
    assert result.peak_rss_mb < 250, f"peak RSS {result.peak_rss_mb:.0f} MB"


def test_a_redirect_loop_on_every_domain_leaves_pending_rows_with_its_class(tmp_path: Path) -> None:
    with serve(tmp_path, lambda site: None) as mock:
        for origin in mock.domains:
            mock.server.set_mode(origin, "offsite_redirect", location=origin + "/loop")
        run = mock.crawl()
        rows = mock.stored("SELECT url, classes FROM pending WHERE resolved_at IS NULL")
        assert {url for url, _ in rows} >= {mock.domains[0] + "/rss.xml", mock.domains[0] + "/Section/101"}
        assert all("redirect_loop" in classes for _, classes in rows), rows[:3]
        assert stat(run, "failover/pending") == len(rows)
        assert run.items == []
