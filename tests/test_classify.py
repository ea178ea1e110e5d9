"""Tests for newscrawl.classify: fingerprints, response classes, real download errors."""

from __future__ import annotations

import re

import pytest

from newscrawl import classify as c
from newscrawl.sites.model import Site

SITE = Site(
    name="presstv",
    domains=("https://www.presstv.ir", "https://www.presstv.co.uk", "https://www.presstv.com"),
    sections=("/Section/101",),
    article_pattern=re.compile(r"/Detail/\d{4}/\d\d/\d\d/(\d+)/"),
    expected_markers=("PressTV", "Press TV"),
)

SEIZURE_BANNER = (
    "The domain presstv.com has been seized by the United States Government in accordance "
    "with a seizure warrant issued pursuant to 18 USC §§981, 982 and 50 USC 1701-1705 as part "
    "of a law enforcement action by the Bureau of Industry and Security, Office of Export "
    "Enforcement and Federal Bureau of Investigation"
)


def obs(body: str | bytes = "", status: int = 200, url: str = "https://www.presstv.ir/", **kw: object) -> c.Observation:
    data = body.encode() if isinstance(body, str) else body
    return c.Observation(url, status, kw.pop("headers", {}), data, **kw)  # type: ignore[arg-type]


def test_failure_classes_are_the_contract() -> None:
    assert c.FAILURE_CLASSES == (
        "dns_nxdomain", "dns_error", "tcp_refused", "tcp_timeout", "tcp_reset", "tls_error",
        "http_timeout", "http_5xx", "http_4xx", "soft_seized", "soft_parked", "soft_challenge",
        "soft_blockpage", "offsite_redirect", "content_mismatch",
    )  # fmt: skip
    assert c.OK == "ok" and c.OK not in c.FAILURE_CLASSES


def test_seizure_banner_served_with_200_is_seized() -> None:
    page = f"<html><head><title>Seized</title></head><body><p>{SEIZURE_BANNER}</p></body></html>"
    assert c.classify_response(SITE, obs(page, url="https://www.presstv.com/")) == c.SOFT_SEIZED


def test_site_page_with_marker_is_ok() -> None:
    assert c.classify_response(SITE, obs("<title>News - PressTV</title>")) == c.OK
