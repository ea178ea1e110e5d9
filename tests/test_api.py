"""The Python API: ``from newscrawl import ...``, against the mock site on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import newscrawl
from newscrawl import Article, CrawlError, crawl_articles, fetch_article, open_store, parse_article
from tests.e2e import serve_presstv


def test_version_is_the_package_version_and_the_command_prints_it() -> None:
    assert newscrawl.__version__ and newscrawl.__version__[0].isdigit()
    done = subprocess.run([sys.executable, "-m", "newscrawl.cli", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"newscrawl {newscrawl.__version__}"


def test_parse_article_takes_a_site_name_and_to_dict_is_the_json_form() -> None:
    html = ('<html lang="en"><head><title>Big news</title></head><body><article><h1>Big news</h1><p>'
            + "A sentence of the story that goes on. " * 8 + "</p></article></body></html>")
    article = parse_article(html, "https://www.presstv.ir/Detail/2026/01/01/1/Big", site="presstv")
    assert isinstance(article, Article) and article.site == "presstv" and article.headline == "Big news"
    record = article.to_dict()
    assert record["url"].endswith("/Big") and record["body"].startswith("A sentence")
    assert newscrawl.article_from_dict(record) == article


def test_crawl_articles_twice_in_one_process_fetch_article_fails_over_and_the_store_answers(
        tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=6) as mock:
        pins, store = mock.server.pins(), str(tmp_path / "api.db")
        fast = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}
        first = list(crawl_articles("presstv", max_articles=3, store=store, sites_file=str(mock.sites_file),
                                    resolve=pins, settings=fast))
        assert len(first) == 3 and all(isinstance(a, Article) and a.url in mock.expected_urls for a in first)
        second = list(crawl_articles("presstv", store=store, sites_file=str(mock.sites_file), resolve=pins,
                                     settings=fast))
        assert {a.url for a in first + second} == mock.expected_urls  # the rest, in a second crawl
        opened = open_store(store)
        try:
            assert len(list(opened.iter_articles("presstv", since=date(2000, 1, 1)))) == 6
            assert opened.revisions(first[0].url)[0]["revision"] == 1 and opened.pending("presstv") == []
        finally:
            opened.close()
        record = mock.site.manifest[0]
        mock.server.set_mode(mock.server.origins[0], "seized")
        site = newscrawl.get_site("presstv", str(mock.sites_file))
        article = fetch_article(mock.domains[0] + record.path, site, resolve=pins)
        assert article.headline == record.headline
        for origin in mock.server.origins:
            mock.server.set_mode(origin, "http_5xx")
        with pytest.raises(CrawlError, match=r"every domain failed \(.*http_5xx"):
            fetch_article(mock.domains[0] + record.path, site, resolve=pins)


def test_a_failed_crawl_raises_crawl_error(tmp_path: Path) -> None:
    with pytest.raises(CrawlError, match="exit status 2"):
        list(crawl_articles("no-such-site", store=str(tmp_path / "x.db")))
