"""A site definition: everything newscrawl needs to crawl one news site, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit


class SiteError(ValueError):
    """A site definition is invalid; the message is one line a user understands."""


@dataclass(frozen=True, kw_only=True)
class Site:
    """One news site: its domains in failover order and where its articles are listed."""

    name: str
    """Short identifier, used as spider name (``newscrawl crawl NAME``)."""
    domains: tuple[str, ...]
    """Origins (scheme://host[:port]), primary first, then mirrors in failover order."""
    sections: tuple[str, ...]
    """Paths of section listing pages."""
    article_pattern: re.Pattern[str]
    """Regex searched in a URL path that marks article pages; its first group, if any,
    identifies the article (e.g. a numeric id, so that slug variants are one article)."""
    feeds: tuple[str, ...] = ()
    """RSS/Atom feed paths."""
    sitemaps: tuple[str, ...] = ()
    """Sitemap (or sitemap index) paths."""
    max_pages: int = 5
    """Listing pages followed per section (the first page counts)."""
    pagination: str = ""
    """Format string for page N of a section, e.g. "{section}/{page}"; empty: follow next links."""
    language: str = ""
    """Default language code of the site's articles."""
    timezone: str = ""
    """IANA zone in which the site prints times without an offset (e.g. "Asia/Tehran")."""
    selectors: dict[str, str] = field(default_factory=dict)
    """Field name -> CSS selector (or "xpath:..."), for fields generic extraction gets wrong."""
    expected_markers: tuple[str, ...] = ()
    """Strings of which every real page of the site has at least one."""
    path_rewrites: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Per mirror origin, (regex, replacement) pairs applied to the path when using it."""
    render: str = "auto"
    """When pages go through a browser (``newscrawl.render``): "auto" (a page whose body cannot
    be extracted and that looks script-built), "always" or "never"."""

    @property
    def primary(self) -> str:
        """The primary origin: canonical URLs live here."""
        return self.domains[0]

    @cached_property  # asked of every request and link: computed once per site
    def hosts(self) -> frozenset[str]:
        """Every host name of the site, with and without ``www.``."""
        names: set[str] = set()
        for origin in self.domains:
            host = (urlsplit(origin).hostname or "").lower()
            names.add(host)
            names.add(host.removeprefix("www.") if host.startswith("www.") else "www." + host)
        return frozenset(names)

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of the site's domains (with or without www.)."""
        return (urlsplit(url).hostname or "").lower() in self.hosts

    def is_article(self, url: str) -> bool:
        """True when ``url`` is on the site and its path matches the article pattern."""
        return self.owns(url) and bool(self.article_pattern.search(urlsplit(url).path))

    def article_key(self, url: str) -> str:
        """What identifies an article: the pattern's first group when it has one (an id, so
        slug variants are one article), else the canonical URL."""
        match = self.article_pattern.search(urlsplit(url).path)
        if match and match.groups() and match.group(1):
            return match.group(1)
        return self.canonical(url)

    def canonical(self, url: str) -> str:
        """Map a URL on any of the site's domains to the primary domain; drop the fragment."""
        parts = urlsplit(url)
        if not self.owns(url):
            return urlunsplit(parts._replace(fragment=""))
        primary = urlsplit(self.primary)
        return urlunsplit((primary.scheme, primary.netloc, parts.path or "/", parts.query, ""))

    def on_domain(self, url: str, origin: str) -> str:
        """The same resource as ``url`` on ``origin`` (path rewrites for that origin applied)."""
        parts = urlsplit(url)
        path = parts.path or "/"
        for pattern, replacement in self.path_rewrites.get(origin, ()):
            path = re.sub(pattern, replacement, path)
        target = urlsplit(origin)
        return urlunsplit((target.scheme, target.netloc, path, parts.query, ""))

    def origin_of(self, url: str) -> str:
        """The site origin serving ``url`` (matching host, www. ignored), else the URL's origin."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        for origin, (origin_host, port) in self._origin_hosts.items():
            if origin_host == host and port == parts.port:
                return origin
        return f"{parts.scheme}://{parts.netloc}"

    @cached_property
    def _origin_hosts(self) -> dict[str, tuple[str, int | None]]:
        """Per origin, in order: its host without ``www.`` and its port."""
        return {origin: ((o.hostname or "").lower().removeprefix("www."), o.port)
                for origin, o in ((origin, urlsplit(origin)) for origin in self.domains)}

    def section_urls(self) -> list[str]:
        """Absolute URLs of the first page of every section, on the primary domain."""
        return [self.primary + path for path in self.sections]

    def page_url(self, section_path: str, page: int) -> str:
        """Absolute URL of page ``page`` (1-based) of a section, when pagination is a template."""
        if page == 1 or not self.pagination:
            return self.primary + section_path
        return self.primary + self.pagination.format(section=section_path.rstrip("/"), page=page)
