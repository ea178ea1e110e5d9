"""Deduplication: URL normalisation, the mirror-agnostic request fingerprint, content
fingerprints and near-duplicate signatures, and the store's verdicts on real cases."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from newscrawl.dedup.content import (
    BINS,
    EMPTY,
    MIN_BODY_WORDS,
    NEAR_DUPLICATE_SIMILARITY,
    band_keys,
    body_print,
    content_fingerprint,
    minhash,
    normalize_body,
    similarity,
    words,
)
from newscrawl.dedup.fingerprinter import MirrorAgnosticFingerprinter
from newscrawl.dedup.urls import normalize_url
from newscrawl.sites import load_sites
from newscrawl.storage import open_store
from newscrawl.testing.mocksite.text import Prose

SITE = load_sites()["presstv"]
IR = SITE.primary
ARTICLE = "/Detail/2026/08/15/774416/Iran-Oman"
FOOTER = "\n\nFollow Press TV on Telegram, X and Instagram. Copyright 2026 Press TV, all rights reserved."


def story(seed: int, paragraphs: int = 6) -> str:
    prose = Prose(random.Random(seed), 102)
    return "\n\n".join(prose.paragraph() for _ in range(paragraphs))


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://WWW.Example.COM/a/B?x=1", "https://www.example.com/a/B?x=1"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=X&gclid=Y&dclid=Z&msclkid=1&mc_cid=2&mc_eid=3&_ga=4&yclid=5"
     "&igshid=6&ref_src=twsrc", "https://example.com/a"),
    ("https://example.com/a?UTM_Campaign=x&q=a%20b", "https://example.com/a?q=a%20b"),
    ("https://example.com/a?q=a+b&empty=", "https://example.com/a?empty=&q=a+b"),
])
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", [
    "https://presstv.ir" + ARTICLE, "https://www.presstv.co.uk" + ARTICLE + "?utm_source=rss",
    "https://presstv.tv" + ARTICLE + "#top", "https://WWW.PRESSTV.COM:443" + ARTICLE + "?fbclid=abc",
])
def test_normalize_url_maps_mirrors_to_the_primary(url: str) -> None:
    assert normalize_url(url, SITE) == IR + ARTICLE
    assert normalize_url("https://elsewhere.example" + ARTICLE, SITE) == "https://elsewhere.example" + ARTICLE


def fingerprinter(with_site: bool) -> MirrorAgnosticFingerprinter:
    crawler = get_crawler(settings_dict={"REQUEST_FINGERPRINTER_CLASS":
                                         "newscrawl.dedup.fingerprinter.MirrorAgnosticFingerprinter"})
    crawler.spider = type("Spider", (), {"site": SITE if with_site else None})()
    assert isinstance(crawler.request_fingerprinter, MirrorAgnosticFingerprinter)
    return crawler.request_fingerprinter


def test_one_article_from_three_mirrors_and_five_links_is_one_request() -> None:
    prints = fingerprinter(with_site=True)
    links = [IR + ARTICLE, IR + ARTICLE + "?utm_source=rss&utm_medium=feed", IR + ARTICLE + "#comments",
             "https://presstv.co.uk" + ARTICLE + "?fbclid=xyz", "https://www.presstv.tv" + ARTICLE,
             "https://www.presstv.com" + ARTICLE + "?gclid=1#top"]
    assert len({prints.fingerprint(Request(url)) for url in links}) == 1
    others = [IR + "/Detail/2026/08/15/774417/Other", IR + ARTICLE + "?page=2",
              "https://elsewhere.example" + ARTICLE]
    assert len({prints.fingerprint(Request(url)) for url in [links[0], *others]}) == 4
    post = Request(IR + ARTICLE, method="POST")
    assert prints.fingerprint(post) != prints.fingerprint(Request(IR + ARTICLE))


def test_without_a_site_mirrors_stay_apart_but_tracking_is_ignored() -> None:
    prints = fingerprinter(with_site=False)
    assert prints.fingerprint(Request(IR + ARTICLE)) != prints.fingerprint(
        Request("https://www.presstv.co.uk" + ARTICLE))
    assert prints.fingerprint(Request(IR + ARTICLE)) == prints.fingerprint(
        Request(IR + ARTICLE + "?utm_source=x#top"))


@pytest.mark.parametrize("with_site", [True, False])
def test_the_fingerprint_is_scrapys_of_the_normalised_request(with_site: bool) -> None:
    """Computed without a copy of the request, it stays Scrapy's own fingerprint of the
    request with its URL normalised (JOBDIR's requests.seen and Redis hold these)."""
    from scrapy.utils.request import fingerprint

    prints = fingerprinter(with_site=with_site)
    requests = [Request("https://presstv.ir" + ARTICLE + "?utm_source=rss&b=2&a=1#top"),
                Request("http://www.presstv.co.uk/Section/Iran/2"), Request("https://example.com/ä ö?q=é"),
                Request(IR + "/search", method="POST", body=b"q=iran&page=2"),
                Request("HTTPS://Example.COM:443/a/%7Euser"), Request(IR + "/x", meta={"verbatim_url": True})]
    for request in requests:
        expected = fingerprint(request.replace(url=normalize_url(request.url, SITE if with_site else None)))
        assert prints.fingerprint(request) == expected, request


def test_content_fingerprint_ignores_layout_case_and_punctuation() -> None:
    body = story(1)
    syndicated = "  " + body.replace("\n\n", "\n").upper().replace(".", " .") + "\n"
    assert normalize_body(body) == normalize_body(syndicated)
    assert content_fingerprint(body) == content_fingerprint(syndicated)
    assert content_fingerprint(body) != content_fingerprint(body.replace("said", "told"))


def test_body_print_is_each_fingerprint_from_one_pass_over_the_words() -> None:
    short = "Watch the video: the minister said it again."
    for body in [story(seed) for seed in range(20)] + [short, ""]:
        found = body_print(body)
        assert (found.body, found.digest, found.words) == (body, content_fingerprint(body), len(words(body)))
        assert found.signature == (minhash(body) if len(words(body)) >= MIN_BODY_WORDS else None)
    assert body_print(short).signature is None


def test_near_duplicates_are_similar_and_other_stories_are_not() -> None:
    bodies = [story(seed) for seed in range(120)]
    signatures = [minhash(body) for body in bodies]
    others = max(similarity(a, b) for i, a in enumerate(signatures) for b in signatures[i + 1:])
    assert others < NEAR_DUPLICATE_SIMILARITY - 0.1  # templated prose, still well apart
    rng = random.Random(7)
    for body, signature in zip(bodies[:40], signatures, strict=False):
        words = body.split(" ")
        spot = rng.randrange(len(words))
        typo = " ".join([*words[:spot], words[spot] + "s", *words[spot + 1:]])
        for variant in (body + FOOTER, typo, typo + FOOTER):
            near = minhash(variant)
            assert similarity(near, signature) >= NEAR_DUPLICATE_SIMILARITY + 0.1
            assert set(band_keys("presstv", near)) & set(band_keys("presstv", signature))
    assert not set(band_keys("presstv", signatures[0])) & set(band_keys("other", signatures[0]))


def test_similarity_is_the_share_of_equal_bins_among_those_used() -> None:
    """The whole-integer count agrees with the definition on random signatures, empty bins and
    equal bins mixed in."""
    rng = random.Random(7)
    for _ in range(2000):
        values = [rng.choice([EMPTY, rng.randrange(3), rng.randrange(2**32)]) for _ in range(2 * BINS)]
        a, b = values[:BINS], values[BINS:]
        used = [(x, y) for x, y in zip(a, b, strict=True) if x != EMPTY or y != EMPTY]
        expected = sum(x == y for x, y in used) / len(used) if used else 1.0
        packed = struct.Struct(f"<{BINS}I")
        assert similarity(packed.pack(*a), packed.pack(*b)) == pytest.approx(expected)


def test_the_store_judges_the_issue_cases(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/s.db")
    body = story(1)

    def item(url: str, text: str = body, site: str = "presstv") -> dict[str, Any]:
        return {"url": url, "site": site, "body": text}

    mirrors = {normalize_url(host + ARTICLE + "?utm_source=x#top", SITE)
               for host in ("https://presstv.co.uk", "https://www.presstv.tv", IR)}
    assert mirrors == {IR + ARTICLE}  # the spider hands the store one canonical URL
    assert store.save_articles(None, [item(IR + ARTICLE)]) == ["new"]
    assert store.save_articles(None, [
        item(IR + ARTICLE),  # the same article again, from another mirror or run
        item(IR + ARTICLE + "-Hormuz"),  # a slug variant
        item("https://syndicator.example/world/1", body.replace("\n\n", "\n"), site="syndicator"),
        item(IR + "/Detail/2026/08/16/774500/Iran-Oman-talks", body + FOOTER),  # changed footer
        item(IR + "/Detail/2026/08/16/774501/Other", story(2)),  # another story
    ]) == ["unchanged", "duplicate", "duplicate", "near_duplicate", "new"]
    update = body + "\n\nLater on Saturday, the ministry said talks would resume in Muscat next week."
    assert store.save_articles(None, [item(IR + ARTICLE, update)]) == ["revision"]
    (latest, _) = [a for a in store.iter_articles("presstv")]
    assert (latest["body"], latest["revision"], latest["is_revision"]) == (update, 2, True)
    assert [r["body"] for r in store.revisions(IR + ARTICLE)] == [body, update]
    store.close()
