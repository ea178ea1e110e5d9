"""Rendering decisions with hand-made pages (newscrawl.render): shell detection, URL-pattern
learning, the render middleware, the site setting, the handler's launch options and errors.
The crawls with a real headless Chromium are in test_render_browser.py."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.classify import classify_exception
from newscrawl.items import Article
from newscrawl.pipelines import ValidationPipeline
from newscrawl.render.config import HANDLER, HANDLER_SETTING, RenderConfig, use_render_handler
from newscrawl.render.errors import download_error
from newscrawl.render.handler import launch_options
from newscrawl.render.meta import MORE, PAGE, REASON, RENDER
from newscrawl.render.middleware import RenderMiddleware
from newscrawl.render.patterns import PatternLearner, url_pattern
from newscrawl.render.shell import LOW_TEXT, MOUNT_POINT, NOSCRIPT, shell_reason, thin
from newscrawl.sites import Site, SiteError
from newscrawl.sites.loader import build_site
from newscrawl.testing.appshell import AppShellSite
from tests.helpers import project_settings

ORIGIN = "http://news.example"
MOCK = AppShellSite(plain=2, shells=2)
SHELL = MOCK.shell(1001)
PLAIN = MOCK.plain(1)
CHALLENGE = ("<html><head><title>Just a moment...</title></head><body><div id=\"root\"></div>"
             "<noscript>Enable JavaScript and cookies to continue</noscript></body></html>")
LONG_BODY = "A real article paragraph. " * 40


def site(render: str = "auto") -> Site:
    return build_site("news", {"domains": [ORIGIN], "sections": ["/news/"],
                               "article_pattern": r"^/(?:news|live)/(\d+)/", "render": render}, "test")


def chromium(tmp_path: Path) -> str:
    """An executable file where Chromium is looked for (the unit tests launch nothing)."""
    path = tmp_path / "chromium"
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def middleware(tmp_path: Path, render: str = "auto", **settings: Any) -> RenderMiddleware:
    settings.setdefault("NEWSCRAWL_RENDER_CHROMIUM", chromium(tmp_path))
    settings.setdefault(HANDLER_SETTING, HANDLER)
    crawler = get_crawler(settings_dict=project_settings(**settings))
    crawler.stats.open_spider()  # type: ignore[union-attr]
    result = RenderMiddleware.from_crawler(crawler)
    result.spider_opened(SimpleNamespace(site=site(render)))  # type: ignore[arg-type]
    return result


def stats(mw: RenderMiddleware) -> dict[str, Any]:
    assert mw.crawler is not None and mw.crawler.stats is not None
    return {k.removeprefix("newscrawl/render/"): v for k, v in mw.crawler.stats.get_stats().items()
            if k.startswith("newscrawl/render/")}


def page(path: str, html: str, rendered_for: str = "", more: int = 0) -> HtmlResponse:
    url = ORIGIN + path
    meta: dict[str, Any] = {RENDER: True, REASON: rendered_for} if rendered_for else {}
    if more:
        meta[MORE] = more
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url, meta=meta),
                        flags=["playwright"] if rendered_for else [])


def extracted(response: HtmlResponse, body: str = "") -> Article:
    return Article(url=response.url, headline="Headline", body=body)


def empty_listing(mw: RenderMiddleware, response: HtmlResponse, kwargs: dict[str, Any]) -> Request | None:
    """What follows a listing on which no article link was found."""
    return mw.listing_follow_up(response, False, None, kwargs)


def planned(mw: RenderMiddleware, path: str) -> Request:
    request = Request(ORIGIN + path, meta={PAGE: True})
    mw.process_request(request)
    return request


# --- what looks script-built -----------------------------------------------------------

def test_an_app_shell_a_javascript_notice_and_a_large_textless_page_look_script_built() -> None:
    assert shell_reason(SHELL) == MOUNT_POINT
    notice = "<html><body><p>Menu</p><noscript>This site requires JavaScript.</noscript></body></html>"
    assert shell_reason(notice) == NOSCRIPT
    textless = "<html><body>" + "<div class='x'></div>" * 2000 + "<p>Hi</p></body></html>"
    assert shell_reason(textless) == LOW_TEXT


def test_a_page_with_its_text_in_the_html_does_not_look_script_built() -> None:
    assert shell_reason(PLAIN) is None
    server_rendered = f'<html><body><div id="root"><p>{LONG_BODY}</p></div></body></html>'
    assert shell_reason(server_rendered) is None  # a mount point full of text: rendered on the server
    assert thin("Loading… Please enable JavaScript") and not thin(LONG_BODY)


# --- URL patterns ------------------------------------------------------------------------

def test_url_patterns_group_ids_dates_and_slugs() -> None:
    assert url_pattern("http://s/live/2024/5/some-story") == url_pattern("http://s/live/2025/12/other-one")
    assert url_pattern("http://s/live/1001/shell-story-1001") == "/live/N/S"
    assert url_pattern("http://s/news/1/plain-story-1") != url_pattern("http://s/live/1/plain-story-1")


def test_a_pattern_is_learned_after_n_pages_rechecked_every_mth_and_unlearned_by_a_plain_body() -> None:
    learner = PatternLearner(learn_after=2, recheck_every=3)
    url = "http://s/live/1/a-b"
    learner.needed_browser(url)
    assert not learner.straight(url)
    learner.needed_browser("http://s/live/2/c-d")
    assert [learner.straight(url) for _ in range(6)] == [True, True, False, True, True, False]
    assert learner.plain_sufficed(url) and not learner.learned(url)
    assert not PatternLearner(learn_after=0, recheck_every=3).learned(url)


# --- the middleware ----------------------------------------------------------------------

def test_auto_renders_a_shell_again_and_learns_its_pattern(tmp_path: Path) -> None:
    mw = middleware(tmp_path, NEWSCRAWL_RENDER_LEARN_AFTER=2, NEWSCRAWL_RENDER_RECHECK_EVERY=3)
    shell = page("/live/1001/shell-story-1001", SHELL)
    again = mw.follow_up(shell, extracted(shell, "Loading…"), callback=None)
    assert again is not None and again.meta[RENDER] and again.dont_filter
    assert again.url == shell.url and again.meta[REASON] == MOUNT_POINT
    assert planned(mw, "/live/1002/shell-story-1002").meta.get(RENDER) is None  # not learned yet
    for n in (1001, 1002):
        done = page(f"/live/{n}/shell-story-{n}", PLAIN, rendered_for=MOUNT_POINT)
        article = extracted(done, LONG_BODY)
        assert mw.follow_up(done, article, callback=None) is None and article.rendered
    straight = [planned(mw, f"/live/{n}/s-{n}").meta.get(RENDER, False) for n in range(2000, 2006)]
    assert straight == [True, True, False, True, True, False]
    assert planned(mw, "/news/1/plain-story-1").meta.get(RENDER) is None  # another pattern
    plain = page("/live/2006/s-2006", PLAIN)
    assert mw.follow_up(plain, extracted(plain, LONG_BODY), callback=None) is None
    assert planned(mw, "/live/2007/s-2007").meta.get(RENDER) is None  # the site changed: unlearned
    assert stats(mw) == {"reason/mount_point": 1, "pages": 2, "reason/learned": 4, "rechecked": 2,
                         "unlearned": 1}


def test_a_plain_page_with_its_body_is_not_rendered(tmp_path: Path) -> None:
    mw = middleware(tmp_path)
    plain = page("/news/1/plain-story-1", PLAIN)
    article = extracted(plain, LONG_BODY)
    assert mw.follow_up(plain, article, callback=None) is None and article.rendered is False
    assert stats(mw) == {}


def test_always_sends_every_page_to_the_browser_but_not_feeds_or_robots(tmp_path: Path) -> None:
    mw = middleware(tmp_path, "always")
    assert planned(mw, "/news/1/plain-story-1").meta[RENDER] is True
    robots = Request(ORIGIN + "/robots.txt")
    mw.process_request(robots)
    assert RENDER not in robots.meta
    assert stats(mw) == {"reason/always": 1}


def test_a_listing_without_links_is_rendered_when_script_built_or_the_others_had_links(
        tmp_path: Path) -> None:
    mw = middleware(tmp_path)
    kwargs = {"section": "/apps/", "page": 1}
    empty = "<html><body><h1>Apps</h1><p>Nothing here yet.</p></body></html>"
    assert empty_listing(mw, page("/apps/", empty), kwargs) is None  # nothing to compare
    shell = page("/apps/", MOCK.app_listing().replace("id=\"app\"", "id=\"root\""))
    again = empty_listing(mw, shell, kwargs)
    assert again is not None and again.meta[REASON] == MOUNT_POINT and again.cb_kwargs == kwargs
    assert mw.listing_follow_up(page("/news/", MOCK.listing()), True, None, kwargs) is None
    again = empty_listing(mw, page("/apps/", empty, more=3), kwargs)
    assert again is not None and again.meta[REASON] == "no_links" and again.meta[MORE] == 3
    assert empty_listing(mw, page("/apps/2", empty), {"section": "/apps/", "page": 2}) is None
    assert mw.listing_follow_up(page("/apps/", PLAIN, rendered_for="no_links"), False, None, kwargs) is None
    assert stats(mw) == {"reason/mount_point": 1, "reason/no_links": 1, "listing_pages": 1}


def test_a_challenge_page_is_never_a_reason_to_render(tmp_path: Path) -> None:
    mw = middleware(tmp_path)
    challenge = page("/live/1/s-1", CHALLENGE)
    assert mw.follow_up(challenge, extracted(challenge), callback=None) is None
    assert stats(mw) == {"skipped/soft_challenge": 1}
    same_without_title = page("/live/2/s-2", CHALLENGE.replace("Just a moment...", "News"))
    assert mw.follow_up(same_without_title, extracted(same_without_title), callback=None) is not None


def test_never_keeps_a_shell_with_an_empty_body_counted_and_marked(tmp_path: Path) -> None:
    mw = middleware(tmp_path, "never")
    shell = page("/live/1001/shell-story-1001", SHELL)
    article = extracted(shell, "News Loading… Please enable JavaScript")
    assert mw.follow_up(shell, article, callback=None) is None
    assert article.body == "" and article.sources["body"] == "app_shell" and not article.rendered
    assert planned(mw, "/live/1002/x-2").meta.get(RENDER) is None
    assert stats(mw) == {"unrendered/never": 1}
    assert ValidationPipeline(mw.crawler.stats).process_item(article) is article  # type: ignore[arg-type]
    with pytest.raises(DropItem):  # an ordinary page without a body is still dropped
        ValidationPipeline(mw.crawler.stats).process_item(Article(url="u", headline="h"))  # type: ignore[arg-type]


def test_without_chromium_one_line_says_how_to_install_it_and_shells_are_counted(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    mw = middleware(tmp_path, NEWSCRAWL_RENDER_CHROMIUM=str(tmp_path / "missing"))
    plain = page("/news/1/plain-story-1", PLAIN)
    with caplog.at_level(logging.WARNING):
        assert mw.follow_up(plain, extracted(plain, LONG_BODY), callback=None) is None
        assert not caplog.records  # no page needed the browser yet: nothing said
        for n in (1001, 1002):
            shell = page(f"/live/{n}/shell-story-{n}", SHELL)
            article = extracted(shell, "Loading…")
            assert mw.follow_up(shell, article, callback=None) is None and article.body == ""
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "apt-get install chromium" in lines[0] and "missing" in lines[0]
    assert stats(mw) == {"unrendered/no_browser": 2}


def test_a_handler_that_cannot_render_is_named(tmp_path: Path) -> None:
    http11 = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
    config = RenderConfig(chromium=chromium(tmp_path), handler=http11)
    assert HANDLER_SETTING in config.unavailable() and "scrapy-playwright" in config.unavailable()
    assert RenderConfig(chromium=chromium(tmp_path), handler=HANDLER).unavailable() == ""


def test_a_site_that_may_render_gets_the_render_handler_unless_the_command_line_names_one() -> None:
    settings = Settings({HANDLER_SETTING: "x.Default"}, priority="project")
    use_render_handler(settings, "auto")
    assert settings[HANDLER_SETTING] == HANDLER
    never = Settings({HANDLER_SETTING: "x.Default"}, priority="project")
    use_render_handler(never, "never")
    assert never[HANDLER_SETTING] == "x.Default"
    given = Settings({HANDLER_SETTING: "x.Given"}, priority="cmdline")
    use_render_handler(given, "always")
    assert given[HANDLER_SETTING] == "x.Given"


# --- the site setting, the handler's options and errors ----------------------------------

def test_render_is_auto_by_default_and_a_bad_value_is_refused_in_one_line() -> None:
    assert site().render == "auto" and site("always").render == "always"
    with pytest.raises(SiteError, match=r"'render' must be one of auto, always, never, not 'sometimes'"):
        site("sometimes")
    with pytest.raises(SiteError, match=r"'render' must be a string"):
        build_site("news", {"domains": [ORIGIN], "sections": ["/"], "article_pattern": "x",
                            "render": True}, "test")


def test_launch_options_use_debian_chromium_headless_with_the_pinned_addresses() -> None:
    options = launch_options(RenderConfig(chromium="/usr/bin/chromium"), {"args": ["--lang=en"]},
                             {"www.example.org": "127.0.0.1"})
    assert options["executable_path"] == "/usr/bin/chromium" and options["headless"] is True
    assert options["args"][:3] == ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    assert "--lang=en" in options["args"]
    assert "--host-resolver-rules=MAP www.example.org 127.0.0.1" in options["args"]
    assert launch_options(RenderConfig(), {"executable_path": "/opt/c"}, {})["executable_path"] == "/opt/c"


@pytest.mark.parametrize(("message", "expected"), [
    ("net::ERR_CONNECTION_REFUSED at http://a/", "tcp_refused"),
    ("net::ERR_NAME_NOT_RESOLVED at http://a/", "dns_error"),
    ("net::ERR_CERT_COMMON_NAME_INVALID at https://a/", "tls_error"),
    ("net::ERR_EMPTY_RESPONSE at http://a/", "tcp_reset"),
    ("net::ERR_CONNECTION_TIMED_OUT at http://a/", "tcp_timeout"),
])
def test_chromium_network_errors_are_the_download_errors_failover_classifies(message: str,
                                                                             expected: str) -> None:
    assert classify_exception(download_error(message)) == expected


def test_other_browser_errors_are_left_as_they_are() -> None:
    assert download_error("Target page, context or browser has been closed") is None
