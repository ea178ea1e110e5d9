"""A spider loader where every site definition is a spider: ``scrapy crawl presstv``."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from newscrawl.sites import load_sites
from newscrawl.spiders.news import spider_class

if TYPE_CHECKING:
    from typing import Self


class SiteSpiderLoader:
    """Lists the built-in and user sites (``NEWSCRAWL_SITES_FILE``) as spiders."""

    def __init__(self, settings: BaseSettings):
        self.sites_file = settings.get("NEWSCRAWL_SITES_FILE") or None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        sites = load_sites(self.sites_file)
        if spider_name not in sites:
            raise KeyError(f"Spider not found: {spider_name}")
        return spider_class(spider_name)

    def list(self) -> list[str]:
        return sorted(load_sites(self.sites_file))

    def find_by_request(self, request: Request) -> builtins.list[str]:
        return [name for name, site in load_sites(self.sites_file).items() if site.owns(request.url)]
