"""Fuzz test of ``parse_article``: real pages (tests/data/ and the mock site's articles) with
one mutation each: a byte flipped, control characters inserted, the page cut, a bad URL in an
``href``/``src``/``srcset``, a wrong ``meta charset``. Extraction never raises, no layer fails,
and a page keeps its headline and most of its body when the mutation did not touch them."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import parse_article
from newscrawl.extract.layers import failures
from newscrawl.testing.mocksite import build_mock_site

DATA = Path(__file__).parent / "data"
REAL_PAGES = ("APNews_0", "TheGuardian_1", "Reuters_2", "TheNewYorker_0", "FoxNews_3", "iNews_4")
URL = "https://example.org/news/2024/story"
EXAMPLES = 300
BAD_URLS = ("http://[::1/x", "http://[oops/a.jpg", "https://[::g]/p.jpg", "http://exa mple.org/\x01",
            "//[", "http://example.org:99999/", "javascript:alert(1)", "&#xD800;", "http://%zz/",
            "a.jpg 1.5.0x, b.jpg 2.x", "x.jpg 1e999w", ", , ,", "data:image/png;base64,%%%")
CHARSETS = ("utf-16", "utf-16be", "utf-32", "cp037", "utf-7", "latin-1", "shift_jis", "no-such-charset",
            "utf-8", "x-user-defined")
CONTROLS = st.text(st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=4)
URL_ATTRIBUTE = re.compile(rb"""\b(href|src|srcset|data-src|content)\s*=\s*(["'])(.*?)\2""", re.DOTALL)
META_CHARSET = re.compile(rb"""(<meta[^>]+charset\s*=\s*["']?)[^"'\s/>]+""")
BODY_KEPT = 0.8  # share of the body's text a page keeps when the mutation was outside it


@dataclass
class Page:
    name: str
    data: bytes
    headline: str
    paragraphs: list[str]
    spans: list[tuple[int, int]]
    """Byte ranges of the page that hold the headline or the body (as far as they are found)."""


def _spans(data: bytes, texts: list[str]) -> list[tuple[int, int]]:
    """Where each text is in the page: from each place its first (or last) 24 characters are,
    as far as the whole text could reach with markup inside it, generously widened."""
    found = []
    for text in texts:
        reach = 2 * len(text.encode()) + 64
        for part in {text[:24], text[-24:]}:
            for match in re.finditer(re.escape(part.encode()), data):
                found.append((match.start() - reach, match.end() + reach))
    return found


@cache
def pages() -> list[Page]:
    raw = [(name, gzip.decompress((DATA / "extraction" / "html" / f"{name}.html.gz").read_bytes()))
           for name in REAL_PAGES]
    raw.append(("presstv_seed", (DATA / "presstv_seed.html").read_bytes()))
    mock = build_mock_site(articles=4)
    served = mock.for_origin("http://www.presstv.ir", [])
    raw += [(f"mock{record.id}", served[record.path]) for record in mock.manifest[:3]]
    found = []
    for name, data in raw:
        article = parse_article(data, URL)
        assert article.headline and article.body, name
        paragraphs = article.body.split("\n\n")
        found.append(Page(name, data, article.headline, paragraphs,
                          _spans(data, [article.headline, *paragraphs])))
    return found


def _touches(page: Page, start: int, end: int) -> bool:
    return any(start < b and a < end for a, b in page.spans)


def _kept(page: Page, body: str) -> float:
    total = sum(len(p) for p in page.paragraphs)
    return sum(len(p) for p in page.paragraphs if p in body) / total


@dataclass
class Mutation:
    """One mutation of one page, described briefly (a failing example stays readable)."""

    page: int
    kind: str
    where: int
    value: str

    def apply(self) -> tuple[Page, bytes, tuple[int, int] | None]:
        """(page, mutated bytes, changed byte range or None when the whole page changed)."""
        page = pages()[self.page]
        data, where = page.data, self.where % len(page.data)
        if self.kind == "flip":
            return page, data[:where] + bytes([ord(self.value)]) + data[where + 1:], (where, where + 1)
        if self.kind == "control":
            return page, data[:where] + self.value.encode() + data[where:], (where, where + 1)
        if self.kind == "truncate":
            return page, data[:where], (where, len(data))
        if self.kind == "url":
            attributes = list(URL_ATTRIBUTE.finditer(data))
            match = attributes[self.where % len(attributes)]
            bad = self.value.encode("utf-8", "surrogatepass")
            return page, data[:match.start(3)] + bad + data[match.end(3):], (match.start(3), match.end(3))
        charset = self.value.encode()
        declared = META_CHARSET.sub(rb"\g<1>" + charset, data, count=1)
        if declared == data:
            declared = data.replace(b"<head>", b'<head><meta charset="' + charset + b'">', 1)
        return page, declared, None


VALUES = {"flip": st.characters(min_codepoint=0, max_codepoint=255), "control": CONTROLS,
          "truncate": st.just(""), "url": st.sampled_from(BAD_URLS), "charset": st.sampled_from(CHARSETS)}
MUTATIONS = st.sampled_from(sorted(VALUES)).flatmap(lambda kind: st.builds(
    Mutation, page=st.integers(0, len(REAL_PAGES) + 3), kind=st.just(kind),
    where=st.integers(0, 1 << 20), value=VALUES[kind]))


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(MUTATIONS)
def test_a_mutated_page_keeps_what_the_mutation_did_not_touch(mutation: Mutation) -> None:
    page, data, changed = mutation.apply()
    article = parse_article(data, URL)  # never raises
    assert not failures(article.sources), article.sources["errors"]
    if changed is None:  # another charset: the text may change, not vanish
        assert article.headline
        assert len(article.body) >= 0.5 * sum(len(p) for p in page.paragraphs)
        return
    if not _touches(page, *changed):  # the headline and body are elsewhere in the page
        assert article.headline == page.headline
        assert _kept(page, article.body) >= BODY_KEPT
