"""End-to-end failover: whatever is wrong with the primary, the crawl collects the same
articles (same canonical URLs, same bodies) as a crawl of the healthy site."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import HOSTS, CrawlRun, MockPressTV, serve_presstv

PRIMARY = HOSTS[0]


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    with serve_presstv(tmp_path_factory.mktemp("healthy")) as mock:
        run = mock.crawl()
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.by_path) == len(mock.site.manifest)
    return run


@pytest.fixture
def mock(tmp_path: Path) -> Iterator[MockPressTV]:
    with serve_presstv(tmp_path) as served:
        yield served


def assert_from_mirror(run: CrawlRun, mirror: str) -> None:
    """Every article came from ``mirror`` but those a hedge to a later domain won (a loaded
    machine answers slower than the hedge delay now and then)."""
    won = re.search(r"'failover/hedge_won': (\d+)", run.stderr)
    elsewhere = [item["mirror"] for item in run.items if item["mirror"] != mirror]
    assert len(elsewhere) <= (int(won.group(1)) if won else 0), Counter(elsewhere)


def assert_same_articles(run: CrawlRun, healthy: CrawlRun, mock: MockPressTV) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    assert Counter(run.urls) == Counter(mock.expected_urls)  # canonical, each once
    assert run.by_path == healthy.by_path  # same bodies


MODES: list[tuple[str, dict[str, Any], str]] = [
    ("refuse", {}, "tcp_refused"),
    ("blackhole", {}, "http_timeout"),
    ("reset", {}, "tcp_reset"),
    ("http_5xx", {}, "http_5xx"),
    ("http_4xx", {"status": 403}, "http_4xx"),
    ("http_4xx", {"status": 451}, "http_4xx"),
    ("seized", {}, "soft_seized"),
    ("parked", {}, "soft_parked"),
    ("challenge", {}, "soft_challenge"),
    ("blockpage", {}, "soft_blockpage"),
    ("offsite_redirect", {}, "offsite_redirect"),
    ("wrong_site", {}, "content_mismatch"),
]


@pytest.mark.parametrize(("mode", "params", "failure_class"), MODES,
                         ids=[f"{m}-{p.get('status', '')}" for m, p, _ in MODES])
def test_failed_primary_collects_the_healthy_crawl(
        mode: str, params: dict[str, Any], failure_class: str, healthy: CrawlRun,
        mock: MockPressTV) -> None:
    mock.server.set_mode(PRIMARY, mode, **params)
    run = mock.crawl()
    assert_same_articles(run, healthy, mock)
    primary = mock.server.origins[0]
    assert all(item["mirror"] != primary for item in run.items)
    assert_from_mirror(run, mock.server.origins[1])
    assert f"open ({failure_class} x" in run.stderr  # the one log line of the switch


def test_slow_primary_is_hedged_without_losing_anything(healthy: CrawlRun, mock: MockPressTV) -> None:
    mock.server.set_mode(PRIMARY, "slow", delay=2.0)
    run = mock.crawl()
    assert_same_articles(run, healthy, mock)
    assert "'failover/hedge_won'" in run.stderr  # the mirror answered while the primary dawdled


def test_unresolvable_primary(healthy: CrawlRun, tmp_path: Path) -> None:
    with serve_presstv(tmp_path, extra_domains=("http://www.presstv.invalid:8080",)) as dead_dns:
        run = dead_dns.crawl()
        assert_same_articles(run, healthy, dead_dns)
        assert "www.presstv.invalid:8080: open (dns_" in run.stderr


def test_tls_certificate_for_another_name(healthy: CrawlRun, tmp_path: Path) -> None:
    origins = [f"https://{PRIMARY}:0", *(f"http://{host}:0" for host in HOSTS[1:])]
    with serve_presstv(tmp_path, origins=origins) as tls:
        run = tls.crawl()
        assert_same_articles(run, healthy, tls)
        assert "open (tls_error x" in run.stderr


def test_seized_primary_and_blackholed_first_mirror_use_the_second(
        healthy: CrawlRun, mock: MockPressTV) -> None:
    mock.server.set_mode(PRIMARY, "seized")
    mock.server.set_mode(HOSTS[1], "blackhole")
    run = mock.crawl()
    assert_same_articles(run, healthy, mock)
    assert_from_mirror(run, mock.server.origins[2])


def test_all_domains_dead_then_next_run_completes_the_pending(
        healthy: CrawlRun, mock: MockPressTV) -> None:
    for host in HOSTS:
        mock.server.set_mode(host, "refuse", after=8)  # each domain dies after 8 requests
    first = mock.crawl()
    pending = mock.stored("SELECT url FROM pending")
    stored = mock.stored("SELECT url FROM articles")
    assert pending, first.stderr[-3000:]
    assert "recorded as pending" in first.stderr
    assert len(stored) < len(mock.site.manifest)
    for host in HOSTS:
        mock.server.set_mode(host, "ok")
    second = mock.crawl()
    assert second.returncode == 0, second.stderr[-3000:]
    urls = [row[0] for row in mock.stored("SELECT url FROM articles")]
    assert Counter(urls) == Counter(mock.expected_urls)  # everything, nothing twice
    assert mock.stored("SELECT COUNT(*) FROM pending WHERE resolved_at IS NULL")[0][0] == 0


def test_primary_that_dies_mid_crawl_is_used_again_after_the_cooldown(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=150) as flapping:
        flapping.server.set_mode(PRIMARY, "refuse", after=20)
        # A fixed download delay: the ~130 articles left take >= 2.6 s on any machine, more
        # than the cooldown; the primary is back as soon as the crawl has given it up.
        crawl = flapping.start("-s", "NEWSCRAWL_FAILOVER_COOLDOWN=1.0", "-s", "DOWNLOAD_DELAY=0.02",
                               "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
                               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        crawl.wait_for("open (tcp_refused x")
        flapping.server.set_mode(PRIMARY, "ok")
        run = crawl.finish()
        assert run.returncode == 0, run.stderr[-3000:]
        assert Counter(run.urls) == Counter(flapping.expected_urls)
        assert "closed (probe succeeded) -> back in use" in run.stderr
        primary = flapping.server.origins[0]
        mirrors = [item["mirror"] for item in run.items]
        first_switch = mirrors.index(flapping.server.origins[1])
        assert primary in mirrors[first_switch:]  # the primary served articles again later
