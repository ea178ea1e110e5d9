"""Listing pages: the home page and the paginated section pages."""

from __future__ import annotations

from html import escape

from newscrawl.testing.mocksite.article_html import page_head, site_footer, site_nav
from newscrawl.testing.mocksite.links import noisy_href
from newscrawl.testing.mocksite.model import ArticleRecord
from newscrawl.testing.mocksite.text import SECTION_NAMES

_THUMB = '<img class="lazy" data-src="{src}" alt=""><noscript><img src="{src}" alt=""></noscript>'


def _thumb(record: ArticleRecord) -> str:
    return _THUMB.format(src=record.image.replace(".jpg", ".s.jpg"))


def _listing_item(record: ArticleRecord, context: str, position: int) -> str:
    """One article link, in one of the three markups Press TV listings use."""
    href = escape(noisy_href(record, context))
    title = escape(record.headline)
    style = position % 3
    if style == 0:
        return (f'<div class="col-md-6"><a class="hover-effect" href="{href}">{_thumb(record)}'
                f"<h3>{title}</h3></a></div>")
    if style == 1:
        return (f'<div class="section-data"><div><a href="{href}">{_thumb(record)}</a>'
                f'<h4><a href="{href}">{title}</a></h4></div></div>')
    return f'<div class="item"><a class="section-latest-news-link" href="{href}">{title}</a></div>'


def _latest_box(latest: list[ArticleRecord], context: str) -> str:
    items = "".join(f'<li><a class="section-latest-news-link" href="{escape(noisy_href(r, context))}">'
                    f"{escape(r.headline)}</a></li>" for r in latest)
    return f'<aside class="latest-news"><h3>Latest news</h3><ul>{items}</ul></aside>\n'


def render_section_page(section_id: int, page: int, last_page: int,
                        records: list[ArticleRecord], latest: list[ArticleRecord]) -> bytes:
    """Page ``page`` of a section; every page but the last has ``li.next > a``."""
    name = SECTION_NAMES[section_id]
    context = f"/Section/{section_id}/{page}"
    items = "\n".join(_listing_item(r, context, i) for i, r in enumerate(records))
    pager = []
    if page > 1:
        previous = f"/Section/{section_id}" if page == 2 else f"/Section/{section_id}/{page - 1}"
        pager.append(f'<li class="prev"><a href="{previous}">Previous</a></li>')
    pager.append(f'<li class="active"><span>{page}</span></li>')
    if page < last_page:
        pager.append(f'<li class="next"><a href="/Section/{section_id}/{page + 1}">Next</a></li>')
    html = (page_head(name) + "<body>\n" + site_nav()
            + f'<main class="container"><h2 class="section-title">{escape(name)}</h2>\n'
            f'<div class="row section-list">\n{items}\n</div>\n'
            f'<ul class="pagination">{"".join(pager)}</ul>\n' + _latest_box(latest, context)
            + "</main>\n" + site_footer())
    return html.encode("utf-8")


def render_home(latest: list[ArticleRecord], by_section: dict[int, list[ArticleRecord]]) -> bytes:
    """The home page: top stories, then a few headlines per section (2018-style panels)."""
    top = "\n".join(_listing_item(r, "/", i) for i, r in enumerate(latest[:12]))
    panels = []
    for sid, records in by_section.items():
        items = "".join(f'<li><div class="dsc"><h3><a href="{escape(noisy_href(r, "/home"))}">'
                        f"{escape(r.headline)}</a></h3></div></li>" for r in records[:4])
        panels.append(f'<div class="panel items"><h2><a href="/Section/{sid}">'
                      f"{escape(SECTION_NAMES[sid])}</a></h2><ul>{items}</ul></div>")
    html = (page_head("Home") + "<body>\n" + site_nav() + '<main class="container">\n'
            f'<div class="row top-news">\n{top}\n</div>\n' + "\n".join(panels) + "\n"
            + _latest_box(latest[:10], "/latest") + "</main>\n" + site_footer())
    return html.encode("utf-8")
