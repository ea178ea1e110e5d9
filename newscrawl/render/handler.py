"""The download handler under failover's hedging layer when a site may render.

scrapy-playwright's handler, with what a crawl that renders only some pages needs: Playwright
and Chromium start when the first request asks for the browser (``meta["playwright"]``), not
when the engine starts; Chromium is the one at ``NEWSCRAWL_RENDER_CHROMIUM``, headless, with
the addresses ``--resolve`` pinned; a page's navigation has the request's download timeout;
after its load event the page is given ``NEWSCRAWL_RENDER_SETTLE_SECONDS`` for its network to
go quiet; it is closed in every outcome, cancellation by the hedging layer included; and
Chromium's network errors become the download errors failover classifies. Every other
request is Scrapy's HTTP/1.1 handler's, as before.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import weakref
from contextlib import suppress
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import Request as BrowserRequest
from scrapy import Request, Spider
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from newscrawl.render.config import RenderConfig
from newscrawl.render.errors import download_error
from newscrawl.render.meta import MORE, MORE_DONE
from newscrawl.resolver import parse_pins

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")
HEAVY_RESOURCES = frozenset(("image", "font", "media"))
MORE_BUTTON = re.compile(r"\b(load|show|view|see)\s+more\b|\bmore\s+(stories|articles|news|results)\b", re.I)
"""The name of a button or link that loads more of a listing."""
LINKS = "() => document.links.length"
CAN_SCROLL = "() => document.documentElement.scrollHeight > window.innerHeight + window.scrollY + 1"
_OPENED: contextvars.ContextVar[list[Page]] = contextvars.ContextVar("newscrawl_render_pages")
_SHARED: weakref.WeakKeyDictionary[Crawler, RenderDownloadHandler] = weakref.WeakKeyDictionary()
logger = logging.getLogger(__name__)


def skip_heavy_resources(request: BrowserRequest) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: images, fonts and media are not downloaded."""
    return request.resource_type in HEAVY_RESOURCES


def launch_options(config: RenderConfig, given: dict[str, Any], pins: dict[str, str]) -> dict[str, Any]:
    """``PLAYWRIGHT_LAUNCH_OPTIONS`` completed: Debian's Chromium, headless, its arguments,
    and the pinned host addresses (``--host-resolver-rules``), unless given otherwise."""
    options = {"executable_path": config.chromium, "headless": True, **given}
    args = [*CHROMIUM_ARGS, *options.get("args", ())]
    if pins:
        rules = ", ".join(f"MAP {host} {address}" for host, address in sorted(pins.items()))
        args.append(f"--host-resolver-rules={rules}")
    options["args"] = list(dict.fromkeys(args))
    return options


class BrowserUnavailable(IgnoreRequest):
    """Chromium could not be started: the page is not fetched (counted, said once)."""


class RenderDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler, started lazily (see the module docstring); one
    per crawl, whichever schemes it serves (one browser, one bound on its pages)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderDownloadHandler:
        shared = _SHARED.get(crawler)
        if shared is None:
            shared = _SHARED[crawler] = cls(crawler)
        return shared

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.render = RenderConfig.from_settings(settings)
        self.config.launch_options = launch_options(
            self.render, self.config.launch_options, parse_pins(settings.getlist("NEWSCRAWL_RESOLVE")))
        self._start_lock = asyncio.Lock()
        self._started = self._closed = False
        self._broken = ""  # why Chromium could not be started, once it could not

    async def _maybe_launch_in_thread(self) -> None:
        """Not at engine start: at the first request for the browser (``_start``)."""

    async def _start(self) -> None:
        async with self._start_lock:
            if not self._started:
                await self._launch()
                self._started = True

    async def close(self) -> None:
        if self._closed:  # shared by the http and https handlers: closed by the first
            return
        self._closed = True
        if self._started:
            await super().close()
        else:  # no page needed the browser: nothing of Playwright to close
            await HTTP11DownloadHandler.close(self)

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        if self._broken:
            self.stats.inc_value("newscrawl/render/failed/no_browser")
            raise BrowserUnavailable(self._broken)
        await self._start()
        opened: list[Page] = []
        token = _OPENED.set(opened)
        try:
            return await super().download_request(request)
        except PlaywrightError as error:
            translated = download_error(error.message)
            if translated is None:
                raise
            raise translated from error
        finally:
            _OPENED.reset(token)
            for page in opened:
                if not page.is_closed():
                    await page.close()
                    self.stats.inc_value("playwright/page_count/closed")

    async def _maybe_launch_browser(self) -> None:
        try:
            await super()._maybe_launch_browser()
        except PlaywrightError as error:
            if not self._broken:
                self._broken = (f"Chromium at {self.config.launch_options.get('executable_path')} could "
                                f"not be started ({error.message.splitlines()[0]}): pages that need the "
                                "browser are not fetched (counted in newscrawl/render/failed/no_browser)")
                logger.error("%s", self._broken)
            self.stats.inc_value("newscrawl/render/failed/no_browser")
            raise BrowserUnavailable(self._broken) from None

    async def _create_page(self, request: Request, spider: Spider) -> Page:
        page = await super()._create_page(request, spider)
        _OPENED.get([]).append(page)
        timeout = request.meta.get("download_timeout")
        if timeout:
            page.set_default_navigation_timeout(float(timeout) * 1000)
        return page

    async def _apply_page_methods(self, page: Page, request: Request, spider: Spider) -> None:
        await super()._apply_page_methods(page, request, spider)
        if self.render.settle_seconds > 0:
            with suppress(PlaywrightError):  # a page that never goes quiet is read as it is then
                await page.wait_for_load_state("networkidle", timeout=self.render.settle_seconds * 1000)
        steps = int(request.meta.get(MORE) or 0)
        if steps > 0:
            request.meta[MORE_DONE] = await self._load_more(page, steps)

    async def _load_more(self, page: Page, steps: int) -> int:
        """Up to ``steps`` times: click the listing's "load more" button (or link), else scroll
        to the bottom, and wait (``NEWSCRAWL_RENDER_SETTLE_SECONDS`` at most) for more links;
        the steps that brought some."""
        done = 0
        wait = max(self.render.settle_seconds, 0.1) * 1000
        for _ in range(steps):
            before = await page.evaluate(LINKS)
            more = page.get_by_role("button", name=MORE_BUTTON).or_(
                page.get_by_role("link", name=MORE_BUTTON))
            try:
                if await more.count():
                    await more.first.click(timeout=wait)
                elif await page.evaluate(CAN_SCROLL):
                    await page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
                else:
                    break
                await page.wait_for_function(f"() => document.links.length > {int(before)}", timeout=wait)
            except PlaywrightError:  # no button to click, no new links in time: all there is
                break
            done += 1
        self.stats.inc_value("newscrawl/render/more_steps", done)
        return done
