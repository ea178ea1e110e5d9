"""What discovery met in one crawl: the pages it requested (each once), the malformed URLs it
skipped and the sitemap nesting it refused, each counted and logged once."""

from __future__ import annotations

from typing import Any

BAD_URL = "newscrawl/discovery/bad_url"
BAD_CANONICAL = "newscrawl/articles/bad_canonical"
REPEATED_PAGE = "newscrawl/discovery/repeated_page"
TOO_DEEP = "newscrawl/discovery/sitemap_too_deep"
EXAMPLES = 3


class DiscoveryLedger:
    """The spider's bookkeeping of listing pages, feeds and sitemaps (stats keys above)."""

    def __init__(self, logger: Any, crawler: Any, max_sitemap_depth: int = 3):
        self.logger, self.crawler = logger, crawler  # its stats exist once the crawl starts
        self.max_sitemap_depth = max_sitemap_depth
        self._pages: set[str] = set()
        self._warned_depth = False

    def _count(self, key: str, count: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(key, count)

    def first_visit(self, url: str) -> bool:
        """True the first time a page (its canonical URL) is to be requested in this run."""
        if url in self._pages:
            self._count(REPEATED_PAGE)
            self.logger.debug("not requesting %s again in this run", url)
            return False
        self._pages.add(url)
        return True

    def bad_urls(self, page_url: str, rejected: list[str]) -> None:
        """Malformed URLs skipped on one page: counted, and one line for the page."""
        if not rejected:
            return
        self._count(BAD_URL, len(rejected))
        shown = ", ".join(repr(value[:200]) for value in rejected[:EXAMPLES])
        more = f" and {len(rejected) - EXAMPLES} more" if len(rejected) > EXAMPLES else ""
        self.logger.info("skipped %d malformed URL%s on %s: %s%s", len(rejected),
                         "" if len(rejected) == 1 else "s", page_url, shown, more)

    def bad_canonical(self, page_url: str, raw: str) -> None:
        """A page's ``rel=canonical`` is malformed: the fetched URL names the article."""
        self._count(BAD_CANONICAL)
        self.logger.info("malformed rel=canonical %r on %s: using the fetched URL", raw[:200], page_url)

    def may_descend(self, sitemap_url: str, depth: int) -> bool:
        """May a sitemap index at ``sitemap_url`` be followed to a sitemap at ``depth``?"""
        if depth <= self.max_sitemap_depth:
            return True
        self._count(TOO_DEEP)
        if not self._warned_depth:
            self._warned_depth = True
            self.logger.warning("sitemap index %s nests deeper than NEWSCRAWL_SITEMAP_MAX_DEPTH=%d: "
                                "its sitemaps are not followed (counted in %s)", sitemap_url,
                                self.max_sitemap_depth, TOO_DEEP)
        return False
