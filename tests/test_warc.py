"""``--warc DIR``: every response of a crawl to WARC 1.1 with its request, read back with
warcio; ``newscrawl parse --warc`` re-extracts every article from it without the network."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from newscrawl.failover.meta import HEDGE_PASSED, HEDGE_WON
from newscrawl.warc import WarcWriterMiddleware
from tests.e2e import CRAWL_ENV, serve_presstv
from tests.test_cli_feeds import crawl


def test_every_response_is_archived_and_every_article_re_extracted(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=8) as mock:
        mock.server.set_mode(mock.server.origins[0], "http_5xx", after=6)  # failures' bodies too
        done = crawl(mock, "s.db", "-o", str(tmp_path / "a.jsonl"), "--warc", str(tmp_path / "warc"),
                     "-s", "NEWSCRAWL_WARC_MAX_SIZE=20000")
        assert done.returncode == 0, done.stderr[-3000:]
        files = sorted((tmp_path / "warc").glob("presstv-*.warc.gz"))
        assert len(files) > 1  # rotated by size
        kinds: dict[str, int] = {}
        responses: dict[str, int] = {}
        for path in files:
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    kinds[record.rec_type] = kinds.get(record.rec_type, 0) + 1
                    assert record.rec_headers.protocol == "WARC/1.1"
                    if record.rec_type == "response":
                        url = record.rec_headers.get_header("WARC-Target-URI")
                        responses[url] = int(record.http_headers.get_statuscode())
        assert kinds["warcinfo"] == len(files) and kinds["request"] == kinds["response"]
        assert any(status >= 500 for status in responses.values())  # the failing primary's pages kept
        assert any(urlsplit(url).path == "/robots.txt" for url in responses)
        assert any(urlsplit(url).path.startswith("/Detail/") for url in responses)
        lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
        crawled = {urlsplit(a["url"]).path: a for a in map(json.loads, lines)}
        assert len(crawled) == 8
        again: dict[str, dict[str, object]] = {}
        for path in files:
            parsed = subprocess.run([sys.executable, "-m", "newscrawl.cli", "parse", "--warc", str(path),
                                     "--site", "presstv", "--sites", str(mock.sites_file)],
                                    capture_output=True, text=True, timeout=120, env=CRAWL_ENV)
            assert parsed.returncode == 0, parsed.stderr[-2000:]
            for line in parsed.stdout.splitlines():
                article = json.loads(line)
                again[urlsplit(article["url"]).path] = article
        assert set(again) == set(crawled)  # every article, from the archive alone
        for path, article in crawled.items():
            assert again[path]["headline"] == article["headline"] and again[path]["body"] == article["body"]


def test_a_hedge_answer_is_archived_once(tmp_path: Path) -> None:
    """A winning hedge went through the downloader middlewares itself (with the mirror's own
    request); the first request's pass back through them must not archive it again."""
    crawler = get_crawler(settings_dict={"NEWSCRAWL_WARC_DIR": str(tmp_path / "warc")})
    middleware = WarcWriterMiddleware.from_crawler(crawler)
    mirror = Request("http://127.0.0.1:9/Detail/1")
    response = HtmlResponse(mirror.url, body=b"<html><p>text</p></html>", request=mirror)
    middleware.process_response(mirror, response)  # the hedge's own way in
    first = Request("http://localhost:9/Detail/1", meta={HEDGE_WON: mirror.url, HEDGE_PASSED: True})
    middleware.process_response(first, response)  # the first request's way back
    middleware.spider_closed(Spider("warc"))
    records = []
    for path in (tmp_path / "warc").glob("*.warc.gz"):
        with path.open("rb") as stream:
            records += [r.rec_type for r in ArchiveIterator(stream)]
    assert records.count("response") == 1 and records.count("request") == 1
