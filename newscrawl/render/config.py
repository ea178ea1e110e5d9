"""Rendering settings (``NEWSCRAWL_RENDER_*``), read once, and the crawl's download handler.

A site that may render (``render`` is "auto" or "always") gets ``RenderDownloadHandler`` as
the handler the failover hedging layer wraps, so browser requests are failed over and hedged
like plain ones; that handler fetches every request without ``meta["playwright"]`` over
Scrapy's HTTP/1.1 handler, as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

HANDLER = "newscrawl.render.handler.RenderDownloadHandler"
HANDLER_SETTING = "NEWSCRAWL_FAILOVER_HEDGE_HANDLER"
INSTALL_HINT = "install it with `apt-get install chromium` or set NEWSCRAWL_RENDER_CHROMIUM to its path"


@dataclass(frozen=True)
class RenderConfig:
    """What rendering may do in one crawl."""

    chromium: str = "/usr/lib/chromium/chromium"
    """Path of the Chromium executable (Debian's; ``playwright install`` is not needed)."""
    learn_after: int = 3
    """Pages of one URL pattern rendered after a plain fetch before the pattern goes straight
    to the browser (0: never learn)."""
    recheck_every: int = 10
    """Of the pages of a learned pattern, every this-many-th is fetched plainly first, in
    case the site changed (0: never)."""
    settle_seconds: float = 5.0
    """After the page's load event, how long to wait at most for its network to go quiet
    (the article fetched from an API) before its HTML is read."""
    handler: str = ""
    """The download handler under the hedging layer (``NEWSCRAWL_FAILOVER_HEDGE_HANDLER``)."""

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RenderConfig:
        return cls(
            chromium=settings.get("NEWSCRAWL_RENDER_CHROMIUM") or cls.chromium,
            learn_after=max(0, settings.getint("NEWSCRAWL_RENDER_LEARN_AFTER", cls.learn_after)),
            recheck_every=max(0, settings.getint("NEWSCRAWL_RENDER_RECHECK_EVERY", cls.recheck_every)),
            settle_seconds=settings.getfloat("NEWSCRAWL_RENDER_SETTLE_SECONDS", cls.settle_seconds),
            handler=str(settings.get(HANDLER_SETTING) or ""),
        )

    def unavailable(self) -> str:
        """Why no page can be rendered in this crawl, in one line; empty when one can."""
        from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

        try:
            handler = load_object(self.handler)
        except (ImportError, NameError, ValueError):
            return f"{HANDLER_SETTING} ({self.handler!r}) cannot be loaded"
        if not (isinstance(handler, type) and issubclass(handler, ScrapyPlaywrightDownloadHandler)):
            return f"{HANDLER_SETTING} is {self.handler!r}, not a scrapy-playwright handler"
        if not (os.path.isfile(self.chromium) and os.access(self.chromium, os.X_OK)):
            return f"Chromium not found at {self.chromium}: {INSTALL_HINT}"
        return ""


def use_render_handler(settings: BaseSettings, render: str) -> None:
    """For a site that may render, the render handler under the hedging layer, unless the
    command line named another handler (spider priority: below the command line's)."""
    if render != "never" and not settings.frozen:
        settings.set(HANDLER_SETTING, HANDLER, priority="spider")
