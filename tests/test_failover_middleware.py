"""FailoverMiddleware with hand-made requests and responses (Scrapy's unit-test style)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.failover.breaker import State
from newscrawl.failover.gate import FailoverGate
from newscrawl.failover.hedging import HEDGE_AFTER, HEDGE_URL, HEDGE_WON
from newscrawl.failover.middleware import FailoverMiddleware
from newscrawl.failover.requests import CLASSES
from newscrawl.sites import load_sites
from tests.helpers import project_settings

SITE = load_sites()["presstv"]
IR, UK, TV, COM = SITE.domains
PATH = "/Detail/2026/08/15/774416/Iran-Oman-Hormuz-Baghaei"
PAGE = b"<html><head><title>Iran - PressTV</title></head><body>Press TV news</body></html>"
SEIZED = (b"<html><body>The domain presstv.ir has been seized by the United States Government "
          b"in accordance with a seizure warrant</body></html>")


class SiteSpider(Spider):
    name = "presstv"
    site = SITE


def make(**settings: Any) -> tuple[FailoverMiddleware, Any]:
    crawler = get_crawler(SiteSpider, project_settings(
        NEWSCRAWL_STORE_ENABLED=False, NEWSCRAWL_FAILOVER_USE_MONITOR=False, **settings))
    crawler.spider = crawler._create_spider()
    crawler.stats.open_spider()
    middleware = FailoverMiddleware.from_crawler(crawler)
    asyncio.run(middleware.spider_opened(crawler.spider))
    return middleware, crawler.stats


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def send(mw: FailoverMiddleware, req: Request) -> Request | None:
    """Both looks failover takes at a request before it is downloaded."""
    moved = run(mw.process_request(req))
    if moved is None:
        moved = run(FailoverGate(mw).process_request(req))
    return moved


def callback(response: Any) -> None:  # pragma: no cover - identity only
    pass


def request(origin: str = IR, **meta: Any) -> Request:
    return Request(origin + PATH, callback=callback, meta={"section": "Iran", **meta})


def response(req: Request, body: bytes = PAGE, status: int = 200, url: str | None = None) -> HtmlResponse:
    return HtmlResponse(url or req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "text/html; charset=utf-8"})


def test_healthy_request_passes_with_short_timeout_no_retries_and_a_hedge() -> None:
    mw, _ = make()
    req = request()
    assert send(mw, req) is None
    assert req.meta["download_timeout"] == 10.0
    assert req.meta["dont_retry"] is True
    assert req.meta[HEDGE_URL] == UK + PATH
    assert req.meta[HEDGE_AFTER] == 1.0
    ok = response(req)
    assert run(mw.process_response(req, ok)) is ok
    assert mw.breaker is not None and mw.breaker[IR].successes == 1


def test_seizure_banner_fails_over_with_same_callback_and_meta_and_opens_the_domain() -> None:
    mw, stats = make()
    req = request()
    send(mw, req)
    again = run(mw.process_response(req, response(req, SEIZED)))
    assert isinstance(again, Request)
    assert again.url == UK + PATH
    assert again.callback is callback and again.meta["section"] == "Iran"
    assert again.dont_filter
    assert again.meta[CLASSES] == {IR: "soft_seized"}
    assert stats.get_value("failover/count") == 1
    assert stats.get_value("failover/reason_count/soft_seized") == 1
    assert mw.breaker is not None and mw.breaker[IR].state is State.OPEN
    # the next request for the primary is moved before it is sent
    moved = send(mw, request())
    assert isinstance(moved, Request) and moved.url == UK + PATH
    assert stats.get_value("failover/rerouted") == 1


def test_timeouts_open_the_domain_after_the_threshold() -> None:
    mw, stats = make()
    for i in range(3):
        req = request()
        assert send(mw, req) is None
        again = run(mw.process_exception(req, DownloadTimeoutError("took longer than 10.0 seconds")))
        assert isinstance(again, Request) and again.url == UK + PATH
        assert mw.breaker is not None
        assert mw.breaker[IR].state is (State.OPEN if i == 2 else State.CLOSED)
    assert stats.get_value("failover/reason_count/http_timeout") == 3


def test_failure_on_the_mirror_moves_on_to_the_next_one() -> None:
    mw, _ = make()
    req = request()
    send(mw, req)
    on_uk = run(mw.process_response(req, response(req, SEIZED)))
    send(mw, on_uk)
    on_tv = run(mw.process_exception(on_uk, DownloadConnectionRefusedError("refused")))
    assert on_tv.url == TV + PATH
    assert on_tv.meta[CLASSES] == {IR: "soft_seized", UK: "tcp_refused"}


def test_every_domain_failing_gives_up_as_pending() -> None:
    mw, stats = make()
    req = request()
    for origin in (IR, UK, TV, COM):
        assert send(mw, req) is None
        assert req.url == origin + PATH
        if origin == COM:
            with pytest.raises(IgnoreRequest):
                run(mw.process_response(req, response(req, b"<html>Welcome to nginx</html>", 503)))
        else:
            req = run(mw.process_response(req, response(req, b"<html>oops</html>", 503)))
    assert stats.get_value("failover/pending") == 1
    assert stats.get_value("failover/reason_count/http_5xx") == 4


@pytest.mark.parametrize(("status", "error", "counted", "not_counted"), [
    (404, "gone on every domain", "failover/gone", "failover/pending"),  # deleted: gone
    (410, "gone on every domain", "failover/gone", "failover/pending"),
    (403, "every domain failed", "failover/pending", "failover/gone"),  # blocked: pending
    (451, "every domain failed", "failover/pending", "failover/gone"),
])
def test_a_page_missing_everywhere_is_gone_but_blocked_everywhere_is_pending(
        status: int, error: str, counted: str, not_counted: str) -> None:
    mw, stats = make()
    req = request()
    with pytest.raises(IgnoreRequest, match=error):
        while True:
            send(mw, req)
            req = run(mw.process_response(req, response(req, b"<html>PressTV</html>", status)))
    assert stats.get_value(counted) == 1 and not stats.get_value(not_counted)


def test_offsite_redirect_is_caught_before_the_offsite_host_is_fetched() -> None:
    mw, stats = make()
    redirected = Request("http://parking.example.invalid/lander", callback=callback,
                         meta={"redirect_urls": [IR + PATH]})
    again = send(mw, redirected)
    assert isinstance(again, Request) and again.url == UK + PATH
    assert "redirect_urls" not in again.meta
    assert stats.get_value("failover/reason_count/offsite_redirect") == 1


def test_hedge_won_counts_against_the_slow_domain_and_for_the_mirror() -> None:
    mw, stats = make()
    req = request()
    send(mw, req)
    req.meta[HEDGE_WON] = UK + PATH
    ok = response(req, url=UK + PATH)
    assert run(mw.process_response(req, ok)) is ok
    assert mw.breaker is not None
    assert mw.breaker[IR].failures == {"http_timeout": 1}
    assert mw.breaker[UK].successes == 1
    assert stats.get_value("failover/hedge_won") == 1


def test_dont_failover_and_other_sites_are_left_alone() -> None:
    mw, _ = make()
    req = request(dont_failover=True)
    assert send(mw, req) is None and "download_timeout" not in req.meta
    other = Request("https://example.com/x")
    bad = HtmlResponse(other.url, status=503, body=b"x", request=other)
    assert run(mw.process_response(other, bad)) is bad


def test_unknown_class_in_settings_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown failure class 'soft_sezied'"):
        make(NEWSCRAWL_FAILOVER_INSTANT_CLASSES=["soft_sezied"])



def redirect(req: Request, location: str, status: int = 302) -> HtmlResponse:
    return HtmlResponse(req.url, status=status, body=b"<html>Moved</html>", request=req,
                        headers={"Content-Type": "text/html", "Location": location})


def follow(mw: FailoverMiddleware, req: Request, location: str) -> Request:
    send(mw, req)
    out = run(mw.process_response(req, redirect(req, location)))
    assert isinstance(out, Request)
    return out


@pytest.mark.parametrize("target", [
    "https://www.presstv.ir:8443" + PATH,  # the same host, another port
    "http://www.presstv.ir" + PATH,        # the same host, another scheme
    "https://www.presstv.ir:8443/internal-admin",
])
def test_a_redirect_to_another_origin_of_a_site_host_is_offsite_and_never_followed(target: str) -> None:
    """An origin is scheme, host and port (issue 10, item 11)."""
    mw, stats = make()
    out = follow(mw, request(), target)
    assert out.url == UK + PATH and "redirect_urls" not in out.meta  # failed over, target not fetched
    assert out.meta[CLASSES] == {IR: "offsite_redirect"}
    assert stats.get_value("failover/reason_count/offsite_redirect") == 1


def test_a_redirect_to_a_site_domain_or_its_www_variant_is_followed() -> None:
    mw, _ = make()
    out = follow(mw, request(), "https://presstv.ir" + PATH + "-x")
    assert out.url == "https://presstv.ir" + PATH + "-x" and out.meta["redirect_urls"] == [IR + PATH]
    on_uk = follow(mw, out, UK + PATH)
    assert on_uk.url == UK + PATH and out.dont_filter
    assert send(mw, on_uk) is None  # on a site origin: goes out as it is


def test_a_redirect_loop_fails_over_is_counted_logged_and_ends_pending(caplog: Any) -> None:
    """A -> B -> A on every domain: no request dropped silently (issue 10, item 6)."""
    mw, stats = make()
    req = request()
    with caplog.at_level("INFO"):
        for origin in (IR, UK, TV, COM):
            assert req.url == origin + PATH
            looped = follow(mw, req, origin + "/loop-b")
            send(mw, looped)
            if origin == COM:
                with pytest.raises(IgnoreRequest, match="every domain failed"):
                    run(mw.process_response(looped, redirect(looped, origin + PATH)))
            else:
                req = run(mw.process_response(looped, redirect(looped, origin + PATH)))
    assert stats.get_value("failover/reason_count/redirect_loop") == 4
    assert stats.get_value("failover/pending") == 1
    loops = [r.getMessage() for r in caplog.records if "redirect loop" in r.getMessage()]
    assert loops[0] == f"redirect loop on www.presstv.ir: {PATH} -> /loop-b -> {PATH} (redirect_loop)"
    assert len(loops) == 4
    pending = [r.getMessage() for r in caplog.records if "recorded as pending" in r.getMessage()]
    assert pending and "www.presstv.com redirect_loop" in pending[0]


def test_an_endless_redirect_chain_is_a_loop_too() -> None:
    mw, stats = make(REDIRECT_MAX_TIMES=3)
    req = request()
    for hop in range(3):
        req = follow(mw, req, f"{IR}/hop/{hop}")
        assert "redirect_urls" in req.meta
    out = follow(mw, req, f"{IR}/hop/3")
    assert out.url == UK + PATH and stats.get_value("failover/reason_count/redirect_loop") == 1


def test_a_malformed_redirect_target_fails_over_instead_of_raising() -> None:
    mw, stats = make()
    out = follow(mw, request(), "http://[oops/x")
    assert out.url == UK + PATH and stats.get_value("failover/reason_count/offsite_redirect") == 1


def test_a_robots_txt_redirect_loop_is_its_answer_not_a_pending_request() -> None:
    mw, stats = make()
    robots = Request(IR + "/robots.txt")
    looped = follow(mw, robots, IR + "/loop")  # on the site: followed
    assert send(mw, looped) is None  # still robots.txt of its host: never moved
    answer = redirect(looped, IR + "/loop")
    assert run(mw.process_response(looped, answer)) is answer
    assert stats.get_value("failover/reason_count/redirect_loop") == 1
    assert not stats.get_value("failover/pending")
