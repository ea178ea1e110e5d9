"""Hostile pages planted in a built ``MockSite``: a gzip bomb, a huge feed, an article with a
paragraph full of quotes. Each changes the site in place (before ``MockServer.start``) and
returns the article it changed, if any; the bench of faults and the tests crawl them."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace

from newscrawl.testing.mocksite.feeds import RSS_ITEMS
from newscrawl.testing.mocksite.model import BARE, ArticleRecord, MockSite

MIB = 1024 * 1024
QUOTE_UNIT = ("Minister Ahmad Karimi said, “We will rebuild the bridges and roads of the province soon,” "
              "and he added that “the work is hard,” ")
"""Quotes and cues with no sentence end: the paragraph is one sentence."""


def gzip_bomb(size: int, head: bytes = b"<!DOCTYPE html><html><body><p>",
              tail: bytes = b"</p></body></html>") -> bytes:
    """A gzip stream of ``head``, about ``size`` bytes of spaces and ``tail`` (600 MiB: ~610 KB).
    A full flush ends each MiB block with an empty dictionary, so one compressed block is
    repeated instead of deflating the whole size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * MIB
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    blocks = max(1, size // MIB)
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    length = len(head) + blocks * MIB + len(tail)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, no mtime
    return header + start + middle * blocks + end + struct.pack("<II", crc, length & 0xFFFFFFFF)


def plant_gzip_bomb(site: MockSite, index: int = 5, size: int = 600 * MIB) -> ArticleRecord:
    """The page of ``site.manifest[index]`` becomes a gzip bomb (``Content-Encoding: gzip``)."""
    record = site.manifest[index]
    site.pages[record.path] = gzip_bomb(size)
    site.encodings[record.path] = b"gzip"
    return record


def plant_huge_feed(site: MockSite, items: int = 200_000) -> None:
    """``/rss.xml`` lists the newest articles, then ``items`` more links: other slugs of the
    site's articles (each URL distinct; any slug serves its article)."""
    newest = [b"<item><link>%s%s</link></item>\n" % (BARE, r.path.encode())
              for r in site.manifest[:RSS_ITEMS]]
    stems = [r.path.rsplit("/", 1)[0].encode() for r in site.manifest]
    more = (b"<item><link>%s%s/more-%d</link></item>\n" % (BARE, stems[n % len(stems)], n)
            for n in range(items))
    site.pages["/rss.xml"] = (b"<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel>"
                              b"<title>PressTV</title>\n" + b"".join(newest) + b"".join(more)
                              + b"</channel></rss>\n")


def quote_paragraph(kilobytes: int) -> str:
    """About ``kilobytes`` KB of quotes and speech cues in one sentence."""
    return QUOTE_UNIT * max(1, kilobytes * 1024 // len(QUOTE_UNIT.encode()))


def plant_quote_heavy(site: MockSite, index: int = 3, kilobytes: int = 480) -> ArticleRecord:
    """``site.manifest[index]`` gets a second paragraph of ``kilobytes`` KB full of quotes
    (in its page and in its manifest body)."""
    record = site.manifest[index]
    first = record.body[0].encode()
    page = site.pages[record.path]
    if first + b"</p>" not in page:
        raise ValueError(f"article {record.id}: its first paragraph is not in its page as text")
    heavy = quote_paragraph(kilobytes)
    planted = first + b"</p>\n<p>" + heavy.encode() + b"</p>"
    site.pages[record.path] = page.replace(first + b"</p>", planted, 1)
    changed = replace(record, body=(record.body[0], heavy, *record.body[1:]))
    site.manifest = [changed if r.id == record.id else r for r in site.manifest]
    site.by_id[record.id] = changed
    return changed
