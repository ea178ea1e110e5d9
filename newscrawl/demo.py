"""``newscrawl demo``: serve the mock Press TV site on 127.0.0.1 and crawl it for real.

The mock serves the same site on every Press TV domain (each on its own local port, their
names pinned to 127.0.0.1 as ``--resolve`` would). The primary, www.presstv.ir, is
blackholed (it accepts connections and never answers) and www.presstv.com shows the US
seizure banner, so the crawl has to fail over to the mirrors, as it would for real.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.crawl import CrawlOptions, CrawlResult, run_crawl
from newscrawl.sites import get_site
from newscrawl.testing.mocksite import MockServer, build_mock_site

DEMO_FAULTS = {"www.presstv.ir": "blackhole", "www.presstv.com": "seized"}
LOCAL_SPEED = {  # a local mock needs no politeness delay
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}


def run_demo(articles: int = 36, store: str | None = None, output: str | None = None,
             loglevel: str = "WARNING") -> int:
    """Serve, crawl, report; returns the exit status."""
    presstv = get_site("presstv")
    mock = build_mock_site(articles=articles)
    hosts = [urlsplit(origin).hostname for origin in presstv.domains]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with MockServer(mock, [f"http://{host}:0" for host in hosts]) as server:
        for host, mode in DEMO_FAULTS.items():
            server.set_mode(host, mode)
        site = dataclasses.replace(presstv, domains=tuple(server.origins))
        print(f"mock Press TV: {len(mock.manifest)} articles on {len(hosts)} domains")
        for origin in server.origins:
            host = urlsplit(origin).hostname or ""
            print(f"  {origin:<36} {DEMO_FAULTS.get(host, 'ok')}")
        store = store or f"sqlite:///output/demo-{stamp}.db"  # the mock's ports differ per run
        result = run_crawl(CrawlOptions(
            site=site, resolve=server.pins(), store=store,
            output=output or f"output/demo-{stamp}.jsonl", loglevel=loglevel,
            overrides=dict(LOCAL_SPEED)))
    _report(result, len(mock.manifest), store)
    return 0 if result.ok else 1


def _report(result: CrawlResult, expected: int, store: str) -> None:
    print()
    print(result.summary)
    lines = Path(result.output).read_text(encoding="utf-8").splitlines() \
        if Path(result.output).exists() else []
    items = [json.loads(line) for line in lines]
    urls = {item["url"] for item in items}
    print(f"\n{len(urls)} of {expected} mock articles in {result.output}; store: {store}")
    print(seed_check(items))


def seed_check(items: list[dict[str, Any]]) -> str:
    """How the seed article's extraction compares with its expected file."""
    expected = json.loads(resources.files("newscrawl.testing.mocksite.data").joinpath(
        "presstv-ninth-provincial-capital.expected.json").read_text(encoding="utf-8"))
    seed = next((i for i in items if i.get("headline") == expected["headline"]), None)
    if seed is None:
        return "seed article: not collected"
    body = seed.get("body", "")
    checks = {
        "headline": True,
        "section": [seed.get("section"), seed.get("breadcrumb")]
        == [expected["section"], expected["breadcrumb"]],
        "body": body.startswith(expected["body_starts_with"]) and body.endswith(expected["body_ends_with"])
        and not any(text in body for text in expected["not_in_body"]),
        "subheadings": seed.get("subheadings") == expected["subheadings"],
    }
    found = {(q["text"], q["speaker"]) for q in seed.get("quotes", [])}
    quotes = sum(any(q["text"] == text and any(s.lower() in who.lower() for s in q["speaker_any"])
                     for text, who in found) for q in expected["quotes"])
    marks = ", ".join(f"{name} {'ok' if ok else 'WRONG'}" for name, ok in checks.items())
    return f"seed article vs its expected file: {marks}, quotes {quotes}/{len(expected['quotes'])}"
