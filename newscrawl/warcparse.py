"""``newscrawl parse --warc FILE``: the articles of a WARC file, extracted again without the
network, one JSON line each (the response records of status 200 that hold HTML and, with a
site, whose URL is one of its articles)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newscrawl.decoding import header_encoding
from newscrawl.extract import parse_article
from newscrawl.items import Article
from newscrawl.sites import Site, load_sites


def _site_for(url: str, given: Site | None, known: dict[str, Site]) -> Site | None:
    if given is not None:
        return given
    return next((site for site in known.values() if site.owns(url)), None)


def warc_articles(stream: IO[bytes], site: Site | None = None) -> Iterator[Article]:
    """Every article page of the WARC, extracted (HTTP content encodings undone by warcio)."""
    known = load_sites() if site is None else {}
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if record.http_headers.get_statuscode() != "200":
                continue
            if "html" not in (record.http_headers.get_header("Content-Type") or "text/html"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            chosen = _site_for(url, site, known)
            if chosen is not None and not chosen.is_article(url):
                continue
            encoding = header_encoding(record.http_headers.get_header("Content-Type"))
            yield parse_article(record.content_stream().read(), url, chosen, encoding=encoding)
    except ArchiveLoadFailed as exc:
        raise ValueError(f"not a WARC file ({exc})") from None


def print_warc_articles(path: str, site: Site | None) -> int:
    count = 0
    with open(path, "rb") as stream:
        for article in warc_articles(stream, site):
            print(json.dumps(article.to_dict(), ensure_ascii=False))
            count += 1
    return count
