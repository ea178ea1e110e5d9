"""Machine-readable pages: the RSS feed (with the real feed's quirks), sitemap, robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape

from newscrawl.testing.mocksite.model import BARE, SELF, ArticleRecord

RSS_ITEMS = 20
REPEATED = 3
"""The newest item appears this many times in the feed, as in the real one."""


def _rss_item(record: ArticleRecord) -> str:
    """An item the way Press TV's feed writes it: link without www., no pubDate, a
    description with leading spaces and trailing newlines, an empty content:encoded."""
    lead = record.body[0] if record.body else record.headline
    return (f"<item><title>{escape(record.headline)}</title>"
            f"<link>{BARE.decode()}{record.path}</link>"
            f"<description>   {escape(lead)}\n\n</description>"
            "<content:encoded></content:encoded></item>\n")


def render_rss(manifest: list[ArticleRecord]) -> bytes:
    """``/rss.xml``: the newest ``RSS_ITEMS`` articles, the first one repeated."""
    newest = manifest[:RSS_ITEMS]
    items = [_rss_item(r) for r in newest]
    if items:
        items[1:1] = [items[0]] * (REPEATED - 1)
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
           f"<channel><title>PressTV</title><link>{SELF.decode()}/</link>"
           "<description>PressTV News</description>\n" + "".join(items) + "</channel></rss>\n")
    return xml.encode("utf-8")


def render_sitemap(manifest: list[ArticleRecord]) -> bytes:
    """``/sitemap.xml``: every article's canonical URL with its lastmod."""
    urls = "".join(f"<url><loc>{SELF.decode()}{escape(r.path)}</loc><lastmod>{r.published}</lastmod>"
                   "<changefreq>never</changefreq></url>\n" for r in manifest)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')
    return xml.encode("utf-8")


def render_robots() -> bytes:
    """``/robots.txt``: everything allowed except the admin area."""
    return (b"User-agent: *\nDisallow: /Admin/\nDisallow: /Default/Search\n\n"
            b"Sitemap: " + SELF + b"/sitemap.xml\n")
