"""An article page in Press TV's layout (as public scrapers recorded it)."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from newscrawl.testing.mocksite.model import MIRRORS, SELF, ArticleRecord
from newscrawl.testing.mocksite.seed import FOOTER_START, ROKU
from newscrawl.testing.mocksite.text import SECTION_NAMES

ROKU_URL = "https://channelstore.roku.com/details/press-tv-news"
PLACEHOLDER_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def page_head(title: str, extra: str = "") -> str:
    """The ``<head>`` every page of the site shares (title with the " - PressTV" suffix)."""
    return (f'<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} - PressTV</title>\n"
            f'<link rel="stylesheet" href="/Content/css/site.min.css?v=3.2">\n{extra}</head>\n')


def site_nav() -> str:
    """The header menu: home and the sections."""
    items = "".join(f'<li><a href="/Section/{sid}">{escape(name)}</a></li>'
                    for sid, name in SECTION_NAMES.items())
    return (f'<header class="header"><a class="logo" href="/"><img src="/Content/img/logo.png" '
            f'alt="PressTV"></a>\n<nav class="main-menu"><ul><li><a href="/">Home</a></li>'
            f"{items}</ul></nav></header>\n")


def site_footer() -> str:
    return ('<footer class="footer"><ul><li><a href="/Default/AboutUs">About us</a></li>'
            '<li><a href="/Default/ContactUs">Contact us</a></li><li><a href="/rss.xml">RSS</a></li>'
            "</ul><p>© Copyright 2026 Press TV. All rights reserved.</p></footer>\n</body>\n</html>\n")


def _jsonld(record: ArticleRecord) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": record.headline,
            "datePublished": record.published, "dateModified": record.published,
            "image": ["https:" + record.image], "mainEntityOfPage": "@@SELF@@" + record.path,
            "publisher": {"@type": "Organization", "name": "PressTV"}}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'


def _meta(record: ArticleRecord) -> str:
    url = SELF.decode() + record.path
    tags = (f'<meta property="og:title" content="{escape(record.headline)}">\n'
            f'<meta property="og:type" content="article">\n<meta property="og:url" content="{url}">\n'
            f'<meta property="og:image" content="https:{record.image}">\n'
            f'<meta property="og:site_name" content="PressTV">\n'
            f'<meta name="DC.Date.Created" content="{record.dc_date}">\n'
            f'<link rel="canonical" href="{url}">\n')
    return tags + (_jsonld(record) if record.jsonld else "")


def _block(kind: str, text: str) -> str:
    if kind == "h2":
        return f"<h2>{escape(text, quote=False)}</h2>"
    if kind == "strong":
        return f"<p><strong>{escape(text, quote=False)}</strong></p>"
    return f"<p>{escape(text, quote=False)}</p>"


def _printed_date(published: str) -> str:
    return datetime.fromisoformat(published).strftime("%a %b %d, %Y %I:%M%p")


def render_article(record: ArticleRecord, related: list[tuple[str, str]]) -> bytes:
    """The page of ``record``; ``related``: (href, headline) of the related-news box."""
    body = "\n".join(_block(kind, text) for kind, text in record.blocks)
    related_items = "".join(f'<li><a href="{escape(href)}">{escape(title)}</a></li>'
                            for href, title in related)
    share = "".join(f'<a class="share-{n.lower()}" href="#" title="Share on {n}">{n}</a>'
                    for n in ("Facebook", "Twitter", "Telegram", "WhatsApp"))
    html = (
        page_head(record.headline, _meta(record)) + "<body>\n" + site_nav()
        + '<main class="container"><div class="row"><div class="col-lg-8 news-content">\n'
        + f'<div class="breadcrumb-news"><a href="/">News</a> &nbsp;/&nbsp; '
        f'<a href="/Section/{record.section_id}">{escape(record.section)}</a></div>\n'
        f"<h1>{escape(record.headline)}</h1>\n"
        f'<div class="news-date"><span>{_printed_date(record.published)}</span></div>\n'
        f'<div class="share-bar">{share}</div>\n'
        f'<div class="main-image">\n<img class="lazy img-fluid" src="{PLACEHOLDER_GIF}" '
        f'data-src="{record.image}" alt="">\n'
        f'<noscript><img class="img-fluid" src="{record.image}" alt=""></noscript>\n'
        f'<div class="mt-2 px-3">{escape(record.caption)} (Photo by {escape(record.credit)})</div>\n'
        f"</div>\n"
        f'<div class="news-body">\n{body}\n'
        f"<p>{escape(FOOTER_START)}</p>\n<p>{MIRRORS.decode()}</p>\n"
        f'<p><a href="{ROKU_URL}" target="_blank">{ROKU}</a></p>\n</div>\n'
        f'<div class="related-news"><h3>Related news</h3><ul>{related_items}</ul></div>\n'
        "</div>\n" + _sidebar() + "</div></main>\n" + site_footer())
    return html.encode("utf-8")


def _sidebar() -> str:
    names = list(SECTION_NAMES.items())[:6]
    items = "".join(f'<li><a href="/Section/{sid}">{escape(name)}</a></li>' for sid, name in names)
    return f'<aside class="col-lg-4 sidebar"><h3>Most viewed sections</h3><ul>{items}</ul></aside>\n'
