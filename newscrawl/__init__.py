"""newscrawl: a Scrapy news crawler with mirror failover.

The Python API::

    from newscrawl import crawl_articles, fetch_article, open_store, parse_article

    article = parse_article(html, "https://www.presstv.ir/Detail/...", site="presstv")
    article.to_dict()
    for article in crawl_articles("presstv", max_articles=10):  # a child process; call it again freely
        print(article.headline)
    store = open_store("output/newscrawl.db")           # or sqlite:///..., postgresql://...
    store.iter_articles("presstv", since=date(2026, 8, 1)); store.revisions(url); store.pending("presstv")
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any

try:
    __version__ = metadata.version("newscrawl")
except metadata.PackageNotFoundError:  # run from a checkout that is not installed
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:
    from newscrawl.api import CrawlError, article_from_dict, crawl_articles, fetch_article, parse_article
    from newscrawl.items import Article
    from newscrawl.sites import Site, get_site, load_sites
    from newscrawl.storage import Store, StoreError, open_store

__all__ = ["Article", "CrawlError", "Site", "Store", "StoreError", "__version__", "article_from_dict",
           "crawl_articles", "fetch_article", "get_site", "load_sites", "open_store", "parse_article"]

_LAZY = {"Article": "newscrawl.items", "CrawlError": "newscrawl.api", "article_from_dict": "newscrawl.api",
         "crawl_articles": "newscrawl.api", "fetch_article": "newscrawl.api",
         "parse_article": "newscrawl.api",
         "Site": "newscrawl.sites", "get_site": "newscrawl.sites", "load_sites": "newscrawl.sites",
         "Store": "newscrawl.storage", "StoreError": "newscrawl.storage", "open_store": "newscrawl.storage"}


def __getattr__(name: str) -> Any:
    """The API's names, imported when first used (``import newscrawl`` stays light)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'newscrawl' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
