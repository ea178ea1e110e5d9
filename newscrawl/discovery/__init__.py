"""Finding article URLs: section listings with pagination, RSS/Atom feeds, sitemaps."""

from newscrawl.discovery.feeds import FeedEntry, iter_feed, parse_feed
from newscrawl.discovery.listing import article_links, next_page_url
from newscrawl.discovery.sitemaps import SitemapEntries, SitemapEntry, iter_sitemap, parse_sitemap
from newscrawl.discovery.urls import checked_url

__all__ = ["FeedEntry", "SitemapEntries", "SitemapEntry", "article_links", "checked_url", "iter_feed",
           "iter_sitemap", "next_page_url", "parse_feed", "parse_sitemap"]
