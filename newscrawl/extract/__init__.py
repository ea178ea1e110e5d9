"""Article extraction in layers: site selectors, structured data, generic heuristics.

``parse_article(html, url, site=None)`` never raises: whatever the input, it returns an
``Article`` with what could be found (missing fields empty, the reason logged). Each layer
runs on its own: one that fails leaves its fields empty and is listed in
``sources["errors"]`` (see ``layers``); a broken image gives no image, not an empty article. Fields are
merged field by field, best layer first; ``Article.sources`` records each field's layer and
``Article.parser`` the body's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lxml import html

from newscrawl.extract import metadata, site_selectors
from newscrawl.extract.body import MIN_ARTICLE, Body, extract_body, find_container
from newscrawl.extract.choose import generic_body
from newscrawl.extract.dates import parse_date
from newscrawl.extract.document import parse_document, visible
from newscrawl.extract.embedded import embedded_article
from newscrawl.extract.images import extract_images
from newscrawl.extract.layers import TIMEOUT, ExtractionTimeout, Layers
from newscrawl.extract.quotes import find_quotes
from newscrawl.extract.structured import json_ld, meta_tags
from newscrawl.items import Article, Image
from newscrawl.sites.model import Site

logger = logging.getLogger(__name__)

__all__ = ["parse_article"]


def parse_article(page: str | bytes, url: str, site: Site | None = None,
                  deadline: float | None = None, encoding: str | None = None) -> Article:
    """Extract one article page (HTML as bytes or text) into the item contract; bytes are
    decoded with ``encoding`` (the HTTP ``Content-Type`` charset, see ``header_encoding``)
    before the page's own declaration. Each layer runs on its own (see ``layers``): what
    fails, or is not reached by ``deadline`` (a ``time.monotonic()`` value), is left empty
    and listed in ``sources["errors"]``."""
    article = Article(url=url, site=site.name if site else "",
                      article_key=site.article_key(url) if site else "")  # computed once, here
    layers = Layers(url, deadline)
    try:
        _parse(page, url, site, layers, article, encoding)
    except ExtractionTimeout:
        layers.timed_out = True
        layers.failures.append(f"article: {TIMEOUT}")
    except Exception as exc:  # the glue between layers: a bad page must never stop a crawl
        layers.fail("article", exc)
    layers.record(article.sources)
    return article


class _Merger:
    """Takes each field from the first layer that has it; remembers which layer."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.offers: dict[str, list[tuple[str, Any]]] = {}  # every layer's value, first offered first

    def offer(self, layer: str, **fields: Any) -> None:
        for name, value in fields.items():
            if value:
                self.offers.setdefault(name, []).append((layer, value))
                if name not in self.values:
                    self.values[name], self.sources[name] = value, layer

    def first(self, name: str, usable: Callable[[str, Any], Any]) -> Any:
        """The first layer's value of ``name`` that ``usable(layer, value)`` turns into something
        (that layer then named its source), or ``usable`` of nothing."""
        for layer, value in self.offers.get(name, ()):
            cleaned = usable(layer, value)
            if cleaned:
                self.sources[name] = layer
                return cleaned
        self.sources.pop(name, None)
        return usable("", None)


def _site_layer(tree: html.HtmlElement, site: Site | None, merge: _Merger) -> html.HtmlElement | None:
    """Fields from the site's selectors; returns the body container when its selector matched."""
    if site is None or not site.selectors:
        return None
    selectors = site.selectors
    found = {name: site_selectors.texts(tree, css) for name, css in selectors.items() if name != "body"}
    merge.offer("site", **{name: values if name in ("authors", "breadcrumb", "subheadings") else values[0]
                           for name, values in found.items() if values})
    containers = site_selectors.select(tree, selectors["body"]) if "body" in selectors else []
    if not containers:
        return None
    best = max(containers, key=lambda c: sum(len(p.text_content()) for p in c.iter("p")))
    return best if best.find(".//p") is not None else None


def _parse(page: str | bytes, url: str, site: Site | None, layers: Layers | None = None,
           article: Article | None = None, encoding: str | None = None) -> Article:
    """Fill ``article`` layer by layer, the headline and metadata first, quotes last. Without
    ``layers``, strict: an exception in any layer goes through (tests of the extractors)."""
    layers = layers or Layers(url, strict=True)
    article = article or Article(url=url, site=site.name if site else "")
    run = layers.run
    document = run("document", lambda: parse_document(page, url, encoding), None)
    tree = document.tree if document is not None else None
    if tree is None:
        return article
    merge = _Merger()
    article.sources = merge.sources  # filled as the layers go: a timeout keeps what was found
    container = run("site", lambda: _site_layer(tree, site, merge), None)
    nothing: dict[str, Any] = {}
    ld, metas = run("json_ld", lambda: json_ld(tree), nothing), run("meta", lambda: meta_tags(tree), nothing)
    title = run("headline", lambda: tree.findtext(".//title") or "", "")
    h1, named = run("headline", lambda: metadata.named_h1(tree, title), ("", False))
    body_container = container if container is not None else run("body", lambda: find_container(tree), None)
    merge.offer("generic", lead=run("lead", lambda: metadata.standfirst(tree, body_container), ""))
    merge.offer("structured", **{k: v for k, v in ld.items() if k not in ("body", "image")})
    merge.offer("structured", **{k: v for k, v in metas.items() if k != "image"})
    none: list[str] = []
    site_name = str(merge.values.get("site_name", ""))
    shown = run("headline", lambda: metadata.page_headline(h1, named, title, site_name), "")
    merge.offer("generic", headline=shown,
                authors=run("authors", lambda: metadata.byline(tree), none),
                breadcrumb=run("breadcrumb", lambda: metadata.breadcrumb(tree), none),
                published_at=run("published_at", lambda: metadata.time_element(tree), ""),
                language=run("language", lambda: metadata.page_language(tree), ""))
    _fields(article, merge, h1, site, run, tree, title)
    body, parser, shipped, candidate = run("body", lambda: _body(tree, container, ld, metas, url),
                                           (Body(), "", None, ""))
    if parser:
        merge.sources["body"] = parser
    if candidate:
        merge.sources["body_candidate"] = candidate
    body = Body(paragraphs=[p for p in map(visible, body.paragraphs) if p.strip()],
                subheadings=[h for h in map(visible, body.subheadings) if h.strip()])
    article.body, article.parser = body.text, parser
    site_subheadings = _as_list(merge.values.get("subheadings")) if merge.sources.get("subheadings") else []
    article.subheadings = site_subheadings or body.subheadings  # the site's selector first
    article.images = run("images", lambda: _images(tree, url, ld, metas, body_container, shipped, layers), [])
    article.quotes = run("quotes", lambda: find_quotes(body.paragraphs), [])
    if not article.body:
        logger.info("%s: no article body found", url)
    return article


def _headline(merge: _Merger, site_name: str, tree: html.HtmlElement, title: str) -> str:
    """The first layer's headline, except that the site's name gives way to any other, and a
    structured headline the page shows nowhere gives way to a later structured one it shows
    (JSON-LD's "headline" holding the page's description, og:title its title)."""
    offered = [*merge.offers.get("headline", ()), *merge.offers.get("name", ())]  # JSON-LD's name last
    offers = [(layer, str(value)) for layer, value in offered if str(value).strip()]
    named = [(layer, value) for layer, value in offers if value.casefold() != site_name] or offers
    if not named:
        return ""
    layer, value = named[0]
    seen = metadata.page_words(tree, title) if layer == "structured" else set()  # one walk of the <h1>s
    if layer == "structured" and not metadata.shown(value, seen):
        layer, value = next(((later, other) for later, other in named[1:]
                             if later == "structured" and metadata.shown(other, seen)), (layer, value))
    merge.sources["headline"] = layer
    return value


def _fields(article: Article, merge: _Merger, h1: str, site: Site | None, run: Any,
            tree: html.HtmlElement, title: str) -> None:
    """The merged metadata fields, each cleaned on its own."""
    values = merge.values
    site_name = str(values.get("site_name", "")).casefold()
    headline = run("headline", lambda: _headline(merge, site_name, tree, title), "")
    article.headline = run("headline", lambda: visible(metadata.clean_headline(headline, h1)), "")
    article.lead = visible(" ".join(str(values.get("lead", "")).split()))
    article.authors = run("authors", lambda: merge.first(  # a layer whose authors are all URLs gives way
        "authors", lambda _, v: metadata.clean_authors(_as_list(v or []))), [])
    zone = site.timezone if site else ""
    article.published_at_raw = str(values.get("published_at", ""))
    article.published_at = run("published_at", lambda: parse_date(article.published_at_raw, zone), "")
    article.updated_at = run("updated_at", lambda: parse_date(str(values.get("updated_at", "")), zone), "")
    article.breadcrumb = _as_list(values.get("breadcrumb"))
    article.section = str(values.get("section") or (article.breadcrumb[-1] if article.breadcrumb else ""))
    if article.breadcrumb and "section" not in merge.sources:
        merge.sources["section"] = merge.sources.get("breadcrumb", "generic")
    article.language = _language(str(values.get("language", ""))) or (site.language if site else "")


def _images(tree: html.HtmlElement, url: str, ld: dict[str, Any], metas: dict[str, Any],
            body_container: html.HtmlElement | None, shipped: html.HtmlElement | None,
            layers: Layers) -> list[Image]:
    region = shipped if shipped is not None else _region(tree, body_container=body_container)
    failed: list[tuple[str, Exception]] = []
    images = extract_images(region, url, lead=ld.get("image") or metas.get("image"),
                            body=body_container if shipped is None else None, failed=failed)
    for part, exc in failed:
        if layers.strict:
            raise exc
        layers.fail(part, exc)
    return images


def _body(tree: html.HtmlElement, container: html.HtmlElement | None, ld: dict[str, Any],
          metas: dict[str, Any], url: str) -> tuple[Body, str, html.HtmlElement | None, str]:
    """The body, the layer it came from, the HTML fragment a script shipped it in (a
    client-rendered page) when that is where it was, and the generic candidate it came from."""
    if container is not None:
        body = extract_body(tree, container)
        if body.paragraphs:
            return body, "site", None, ""
    structured = str(ld.get("body", ""))
    choice = generic_body(tree, url, str(ld.get("lead") or metas.get("lead") or ""), structured)
    body = choice.body
    if structured and len(structured) > 2 * len(body.text):  # the markup hides the text
        paragraphs = [" ".join(p.split()) for p in structured.splitlines() if p.strip()]
        return Body(paragraphs=paragraphs), "structured", None, "json-ld"
    if len(body.text) < MIN_ARTICLE:  # an empty shell: the text may be in a script
        shipped = embedded_article(tree)
        if shipped is not None:
            embedded = extract_body(shipped, shipped)
            if len(embedded.text) > 2 * len(body.text):
                return embedded, "embedded", shipped, ""
    return body, "generic", None, choice.name


def _region(tree: html.HtmlElement, body_container: html.HtmlElement | None) -> html.HtmlElement:
    """The part of the page that is the article: the body's container widened to include the
    headline (where lead images sit) and to its ``<article>`` element when that holds no other
    article, else the whole page."""
    if body_container is None:
        return tree
    h1s = list(tree.iter("h1"))
    node: html.HtmlElement | None = body_container
    while node is not None and h1s and not any(node in h1.iterancestors() for h1 in h1s):
        node = node.getparent()
    region = node if node is not None else body_container
    article = region if region.tag == "article" else next(region.iterancestors("article"), None)
    if article is not None and article.find(".//article") is None:
        return article
    return region


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


def _language(value: str) -> str:
    return value.replace("_", "-").split("-")[0].lower() if value else ""
