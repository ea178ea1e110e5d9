"""Failover's request meta keys live in one module; ``dont_hedge``; a hedge to a mirror on
another host carries no cookies or credentials of the first host (issue 12)."""

from __future__ import annotations

from scrapy import Request

from newscrawl.failover import hedging, requests
from newscrawl.failover.hedging import hedge_request
from newscrawl.failover.meta import DONT_HEDGE, HEDGE_URL
from tests.test_failover_middleware import make, request, send

PRIMARY = "https://www.presstv.ir/Detail/2026/08/15/774416/A"
MIRROR = "https://www.presstv.co.uk/Detail/2026/08/15/774416/A"


def test_a_hedge_to_another_host_drops_cookies_and_authorization() -> None:
    first = Request(PRIMARY, headers={"Cookie": "session=s3cret", "Authorization": "Bearer t0ken",
                                      "Proxy-Authorization": "Basic eA==", "Accept-Language": "en"})
    hedge = hedge_request(first, MIRROR)
    assert hedge.url == MIRROR
    assert hedge.headers.get("Cookie") is None and hedge.headers.get("Authorization") is None
    assert hedge.headers.get("Proxy-Authorization") is None
    assert hedge.headers.get("Accept-Language") == b"en"
    assert first.headers.get("Cookie") == b"session=s3cret"  # the first request keeps its own
    same_host = hedge_request(first, PRIMARY + "?again")
    assert same_host.headers.get("Cookie") == b"session=s3cret"


def test_dont_hedge_keeps_failover_but_arms_no_hedge() -> None:
    mw, _ = make()
    plain, opted_out = request(), request(**{DONT_HEDGE: True})
    assert send(mw, plain) is None and send(mw, opted_out) is None
    assert HEDGE_URL in plain.meta and HEDGE_URL not in opted_out.meta
    assert opted_out.meta["dont_retry"] is True  # still failover's request


def test_every_failover_meta_key_comes_from_one_module() -> None:
    from newscrawl.failover import meta

    for module in (hedging, requests):
        for name in getattr(module, "__all__", ()):
            if name.isupper() and isinstance(getattr(module, name), str):
                assert getattr(meta, name) is getattr(module, name), name


def test_the_hedging_layer_wraps_the_handler_named_by_its_setting() -> None:
    import asyncio

    from scrapy.core.downloader.handlers.datauri import DataURIDownloadHandler
    from scrapy.utils.test import get_crawler

    from newscrawl.failover.hedging import HedgingDownloadHandler
    from newscrawl.settings import NEWSCRAWL_FAILOVER_HEDGE_HANDLER
    from tests.helpers import project_settings

    assert NEWSCRAWL_FAILOVER_HEDGE_HANDLER.endswith("http11.HTTP11DownloadHandler")  # the e2e tests' one
    crawler = get_crawler(settings_dict=project_settings(
        NEWSCRAWL_FAILOVER_HEDGE_HANDLER="scrapy.core.downloader.handlers.datauri.DataURIDownloadHandler"))
    handler = HedgingDownloadHandler.from_crawler(crawler)
    assert isinstance(handler.inner, DataURIDownloadHandler)

    async def fetch() -> bytes:
        response = await handler.download_request(Request("data:text/html,<p>from the inner handler</p>"))
        await handler.close()
        return response.body
    assert asyncio.run(fetch()) == b"<p>from the inner handler</p>"


def test_a_followed_redirect_moved_to_a_mirror_asks_for_the_page_first_asked_for() -> None:
    """The primary redirected /Detail/... to /loop; before /loop is sent the primary opens (a
    loop seen on another request): the mirror is asked for /Detail/..., not for the primary's
    /loop (the mirrors answer 404 there: a request lost as pending although every mirror has
    the page)."""
    from newscrawl.sites import load_sites

    site = load_sites()["presstv"]
    asked = site.primary + "/Detail/2026/08/15/774416/Iran-Oman"
    follow = requests.followed(Request(asked), site.primary + "/loop")
    moved = requests.reissued(follow, site, site.domains[1])
    assert moved.url == site.domains[1] + "/Detail/2026/08/15/774416/Iran-Oman"
    assert moved.meta[requests.ORIGINAL] == asked and "redirect_urls" not in moved.meta
