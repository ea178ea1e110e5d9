"""Finding article URLs: section listings with pagination, RSS/Atom feeds, sitemaps."""

from newscrawl.discovery.feeds import FeedEntry, parse_feed
from newscrawl.discovery.listing import article_links, next_page_url
from newscrawl.discovery.sitemaps import SitemapEntries, parse_sitemap

__all__ = ["FeedEntry", "SitemapEntries", "article_links", "next_page_url", "parse_feed",
           "parse_sitemap"]
