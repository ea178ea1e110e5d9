"""Structured data: JSON-LD (NewsArticle and kin, nested @graph), microdata, Open Graph,
Dublin Core and other meta tags. Each reader returns field -> raw value."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

from lxml import etree, html

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "blogposting",
                 "liveblogposting", "report", "webpage", "socialmediaposting", "discussionforumposting"}
# the guards CMS templates put around a script's JSON
WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
META_FIELDS: dict[str, tuple[str, ...]] = {  # field -> meta names/properties, best first
    "headline": ("og:title", "twitter:title", "dc.title", "title"),
    "lead": ("og:description", "description", "twitter:description", "dc.description"),
    "published_at": ("article:published_time", "dc.date.created", "dc.date.issued", "dc.date",
                     "pubdate", "publishdate", "date", "sailthru.date", "parsely-pub-date"),
    "updated_at": ("article:modified_time", "og:updated_time", "dc.date.modified", "lastmod"),
    "authors": ("author", "article:author", "dc.creator", "parsely-author", "byl"),
    "section": ("article:section", "section", "parsely-section"),
    "image": ("og:image", "og:image:url", "twitter:image"),
    "language": ("og:locale", "dc.language", "language", "content-language"),
    "site_name": ("og:site_name", "application-name"),
}


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _objects(entry)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _objects(data[key])


def _types(obj: dict[str, Any]) -> set[str]:
    """The object's types, lower-case; any ``...Article`` type (TechArticle, ScholarlyArticle...)
    also counts as ``article``."""
    kind = obj.get("@type", "")
    types = {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}
    return types | {"article"} if any(t.endswith("article") for t in types) else types


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    if isinstance(value, list):
        return [name for entry in value for name in _names(entry)]
    return []


def _image(value: Any) -> dict[str, str]:
    if isinstance(value, list):
        return _image(value[0]) if value else {}
    if isinstance(value, str):
        return {"url": value}
    if isinstance(value, dict):
        credit = value.get("creditText") or ", ".join(_names(value.get("copyrightHolder"))) or ""
        return {"url": str(value.get("url") or value.get("contentUrl") or ""),
                "caption": str(value.get("caption") or value.get("description") or ""), "credit": str(credit)}
    return {}


def json_ld(tree: html.HtmlElement) -> dict[str, Any]:
    """Fields of the page's (first) article object in JSON-LD."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(WRAPPER.sub("", script.text_content()).strip() or "null", strict=False)
        except json.JSONDecodeError as exc:
            logger.debug("broken JSON-LD skipped: %s", exc)
            continue
        for obj in _objects(data):
            if _types(obj) & ARTICLE_TYPES - {"webpage"} or ("headline" in obj and "webpage" in _types(obj)):
                return _article_fields(obj)
    return {}


def _article_fields(obj: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "headline": obj.get("headline") or obj.get("name") or "",
        # another headline, for where "headline" holds something else (text only: names can be objects)
        "name": obj["name"] if obj.get("headline") and isinstance(obj.get("name"), str) else "",
        "lead": obj.get("description") or "",
        "published_at": obj.get("datePublished") or "",
        "updated_at": obj.get("dateModified") or "",
        "authors": _names(obj.get("author")),
        "section": (obj.get("articleSection") if isinstance(obj.get("articleSection"), str)
                    else (_names(obj.get("articleSection")) or [""])[0]),
        "language": obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else "",
        "body": obj.get("articleBody") or "",
        "image": _image(obj.get("image")),
    }
    image = fields.pop("image")
    fields = {k: decoded(v) for k, v in fields.items() if v}  # URLs are not text: left as they are
    if image:
        fields["image"] = {k: v if k == "url" else decoded(v) for k, v in image.items()}
    return fields


def decoded(value: Any) -> Any:
    """Text with its HTML entities decoded (``&#163;71.6m`` -> ``£71.6m``; twice-encoded
    ``&amp;#163;`` as well), in strings, lists and dicts of them; other values as they are."""
    if isinstance(value, str):
        for _ in range(2):
            if "&" not in value:
                break
            value = unescape(value)
        return value
    if isinstance(value, list):
        return [decoded(v) for v in value]
    if isinstance(value, dict):
        return {k: decoded(v) for k, v in value.items()}
    return value


_ITEMPROPS = ("headline", "datePublished", "dateModified")


def meta_tags(tree: html.HtmlElement) -> dict[str, Any]:
    """Fields from Open Graph, Dublin Core, Twitter and plain meta tags, plus microdata."""
    metas: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            metas.setdefault(key, []).append(content)
    fields: dict[str, Any] = {}
    for field, keys in META_FIELDS.items():
        for key in keys:
            if key in metas:
                values = metas[key]
                fields[field] = values if field == "authors" else values[0]
                break
    fields = {k: v if k == "image" else decoded(v) for k, v in fields.items()}
    if "image" in fields:
        fields["image"] = {"url": fields["image"]}
    every = tree.getroottree().getroot().iter(etree.Element)  # the whole document, as "//" was
    props = [e for e in every if e.get("itemprop") in _ITEMPROPS]  # one walk, not one XPath each
    for prop, field in (("headline", "headline"), ("datePublished", "published_at"),
                        ("dateModified", "updated_at")):
        node = [e for e in props if e.get("itemprop") == prop]
        if node and field not in fields:
            fields[field] = node[0].get("content") or node[0].get("datetime") or node[0].text_content()
    return fields
