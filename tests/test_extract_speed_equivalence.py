"""The faster forms of extraction helpers select what their XPath or regex forms selected."""

from __future__ import annotations

import random
import re

from lxml import etree, html

from newscrawl.extract import metadata
from newscrawl.extract.captions import _closing_group, _visible_texts, text_of
from newscrawl.extract.document import parse_document
from newscrawl.extract.structured import meta_tags

OLD_VISIBLE_TEXT = (".//text()[not(ancestor::*[self::button or self::script or self::style or self::svg "
                    "or @role='button' or contains(concat(' ', @class, ' '), ' button ') "
                    "or contains(concat(' ', @class, ' '), ' btn ')][count(ancestor::*) >= $d])]")
OLD_HIDDEN = ("//*[@hidden or contains(@style, 'none') or contains(@style, 'hidden')"
              " or contains(@style, 'clip')]")

PAGE = """<html><body><div id=top class="btn">
<figure id=f><img src=a.jpg><figcaption>Lead <b>bold</b> tail <button>Show more</button> after
<span class="x button">Share</span> kept <span class="button-like">named like</span>
<span role=button>Zoom</span><script>var x</script><style>p{}</style><svg><text>icon</text></svg>
<!-- a comment --> end <i>in<em>ner</em> t</i> last</figcaption></figure>
<p class="byline">By Ann Smith</p><a rel="author" href="/b">Bob Jones</a>
<span itemprop="author">Carl Diaz</span>
<nav aria-label="breadcrumb"><a>News</a> / <a>World</a></nav>
<ol itemtype="https://schema.org/BreadcrumbList"><li>Home</li><li>Politics</li></ol>
<div hidden>gone</div><div style="display:none">gone too</div><div style="DISPLAY:NONE">stays</div>
<div style="color: red">stays too</div><form><input name=q><label>Search</label><select></select></form>
<meta itemprop="datePublished" content="2024-05-01"><span itemprop="headline">Micro headline</span>
</div></body></html>"""


def test_visible_text_walk_reads_what_the_xpath_read() -> None:
    tree = html.document_fromstring(PAGE, parser=html.HTMLParser(remove_comments=False))
    for element in tree.iter(etree.Element):
        depth = sum(1 for _ in element.iterancestors())
        old = " ".join(" ".join(element.xpath(OLD_VISIBLE_TEXT, d=depth + 1)).split())
        assert " ".join(" ".join(_visible_texts(element)).split()) == old, element.tag
    caption = text_of(tree.find(".//figcaption"))
    assert "Show more" not in caption and "Share" not in caption and "Zoom" not in caption
    assert "named like" in caption and "ner t last" in caption and "a comment" not in caption


def test_closing_group_finds_what_the_regex_found() -> None:
    pieces = ["(", ")", " ", "\n", "\u00a0", "a", "AP", "/", "Photo"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        part = "".join(rng.choice(["a", "AP", " ", "(", ")", "Photo"]) for _ in range(rng.randint(1, 3)))
        match = re.search(rf"\s*\([^()]*{re.escape(part)}[^()]*\)\s*$", text)
        assert _closing_group(text, part) == (match.start() if match else None), (text, part)


def test_byline_and_breadcrumb_keep_the_xpath_order_of_preference() -> None:
    tree = parse_document(PAGE, "https://example.com/a").tree
    assert tree is not None
    assert metadata.byline(tree) == ["Bob Jones"]  # rel=author before the earlier class=byline
    assert metadata.breadcrumb(tree) == ["Home", "Politics"]  # the schema.org list before the nav
    first = tree.find(".//figure")  # a subtree still searches the whole document, as "//" did
    assert metadata.byline(first) == ["Bob Jones"]


def test_hidden_elements_are_those_the_xpath_found() -> None:
    old = html.document_fromstring(PAGE)
    hidden = [e for e in old.xpath(OLD_HIDDEN)]
    assert [e.get("style") or "hidden" for e in hidden] == ["hidden", "display:none"]
    tree = parse_document(PAGE, "https://example.com/a").tree
    assert tree is not None
    text = tree.text_content()
    assert "gone" not in text and "stays" in text and "stays too" in text


def test_parsed_tree_walks_forms_and_reads_microdata() -> None:
    tree = parse_document(PAGE, "https://example.com/a").tree
    assert tree is not None
    assert all(isinstance(e, html.HtmlElement) for e in tree.iter(etree.Element))
    assert tree.find(".//label").text_content() == "Search"
    fields = meta_tags(tree)
    assert fields["published_at"] == "2024-05-01" and fields["headline"] == "Micro headline"
