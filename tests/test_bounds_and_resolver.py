"""--since / --max-articles bounds and --resolve pins."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newscrawl.bounds import CrawlBounds, parse_since
from newscrawl.resolver import parse_pins


def test_since_bounds_urls_and_publication_times() -> None:
    bounds = CrawlBounds(since=date(2026, 8, 15))
    assert bounds.url_too_old("https://s.example/Detail/2026/08/14/1/x")
    assert not bounds.url_too_old("https://s.example/Detail/2026/08/15/1/x")
    assert not bounds.url_too_old("https://s.example/no-date-here")
    assert bounds.published_too_old("2026-08-14T23:00:00+00:00")
    # the article's own calendar day counts (01:00 in Tehran on the 15th is on the 15th)
    assert not bounds.published_too_old("2026-08-15T01:00:00+03:30")
    assert bounds.published_too_old("2026-08-14T23:59:00+03:30")
    assert not bounds.published_too_old("not a date")
    assert not CrawlBounds().url_too_old("https://s.example/2001/01/01/x")


def test_max_articles() -> None:
    assert CrawlBounds(max_articles=3).reached(3)
    assert not CrawlBounds(max_articles=3).reached(2)
    assert not CrawlBounds().reached(10**6)


def test_parse_since_refuses_garbage_in_one_line() -> None:
    assert parse_since("2026-08-15") == date(2026, 8, 15)
    assert parse_since("2026-08-15T10:00:00") == date(2026, 8, 15)
    with pytest.raises(ValueError, match="--since 'yesterday': expected a date"):
        parse_since("yesterday")


def test_parse_since_takes_an_age_back_from_now() -> None:
    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    assert parse_since("7d", now) == date(2026, 11, 25)
    assert parse_since("12h", now) == date(2026, 12, 1)
    assert parse_since("2W", now) == date(2026, 11, 18)
    with pytest.raises(ValueError, match="or an age like 12h, 7d, 2w"):
        parse_since("7y", now)


def test_parse_pins() -> None:
    assert parse_pins(["www.presstv.ir:127.0.0.2", "WWW.X.ORG:[::1]"]) == {
        "www.presstv.ir": "127.0.0.2", "www.x.org": "::1"}
    with pytest.raises(ValueError, match="expected HOST:IP"):
        parse_pins(["www.presstv.ir"])
    with pytest.raises(ValueError, match="is not an IP address"):
        parse_pins(["www.presstv.ir:localhost"])
