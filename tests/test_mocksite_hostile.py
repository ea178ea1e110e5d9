"""Hostile pages of the mock site (newscrawl/testing/mocksite/hostile.py), served over real sockets."""

from __future__ import annotations

import re
import zlib
from urllib.parse import urlsplit

from newscrawl.testing.mocksite import MockServer, build_mock_site
from newscrawl.testing.mocksite.hostile import (
    MIB,
    gzip_bomb,
    plant_gzip_bomb,
    plant_huge_feed,
    plant_quote_heavy,
)
from tests.fixtures_mocksite import fetch

IR = "www.presstv.ir"


def test_gzip_bomb_is_valid_gzip_a_thousand_times_smaller() -> None:
    bomb = gzip_bomb(16 * MIB, b"<p>", b"</p>")
    assert len(bomb) < 16 * MIB // 500
    inflated = zlib.decompress(bomb, wbits=31)  # checks the CRC and length of the trailer
    assert len(inflated) == 16 * MIB + 7 and inflated.startswith(b"<p>  ") and inflated.endswith(b" </p>")


def test_planted_bomb_is_served_gzip_encoded_as_is() -> None:
    site = build_mock_site(8)
    record = plant_gzip_bomb(site, index=2, size=4 * MIB)
    with MockServer(site, [f"http://{IR}"]) as server:
        response = fetch(server, IR, record.path)
        other = fetch(server, IR, site.manifest[0].path)
    assert response.headers["content-encoding"] == "gzip" and response.body == site.pages[record.path]
    assert len(zlib.decompress(response.body, wbits=31)) > 4 * MIB
    assert "content-encoding" not in other.headers and b"</html>" in other.body


def test_huge_feed_lists_distinct_urls_that_serve_articles() -> None:
    site = build_mock_site(8)
    plant_huge_feed(site, items=5000)
    with MockServer(site, [f"http://{IR}"]) as server:
        feed = fetch(server, IR, "/rss.xml").text
        links = re.findall(r"<link>([^<]+)</link>", feed)
        last = fetch(server, IR, urlsplit(links[-1]).path)
    assert len(links) == 8 + 5000 and len(set(links)) == len(links)
    assert links[0].endswith(site.manifest[0].path) and "@@" not in feed
    record = site.manifest[(5000 - 1) % 8]
    assert last.status == 200 and f'rel="canonical" href="{server.origins[0]}{record.path}"' in last.text


def test_quote_heavy_article_has_the_paragraph_in_its_page_and_manifest() -> None:
    site = build_mock_site(8)
    record = plant_quote_heavy(site, index=3, kilobytes=64)
    heavy = record.body[1]
    assert 60_000 < len(heavy.encode()) < 66_000 and heavy.count("“") > 300
    assert site.manifest[3] is record and site.by_id[record.id] is record
    with MockServer(site, [f"http://{IR}"]) as server:
        page = fetch(server, IR, record.path).text
    assert f"<p>{heavy}</p>" in page and record.body[0] in page
