"""The Python API (``from newscrawl import ...``): parse a page, fetch one article through the
site's mirrors, open a store, crawl a site and iterate over its articles.

``crawl_articles`` runs the real crawl (``newscrawl crawl``) in a child process, because Scrapy's
reactor cannot be started twice in one process: call it as often as you like.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from newscrawl.classify import OK, classify_response
from newscrawl.classify.observation import HeaderMap, Observation
from newscrawl.extract import parse_article as _parse_article
from newscrawl.items import Article
from newscrawl.resolver import parse_pins
from newscrawl.sites import Site, get_site, load_sites

FIELDS = {f.name for f in fields(Article)}


class CrawlError(RuntimeError):
    """A crawl (or fetch) that failed: the exit status and the last lines of its log."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _site(site: Site | str | None, sites_file: str | None = None) -> Site | None:
    return get_site(site, sites_file) if isinstance(site, str) else site


def article_from_dict(record: dict[str, Any]) -> Article:
    """An ``Article`` from its JSON form (``to_dict``, a JSON line, a stored record)."""
    return Article(**{key: value for key, value in record.items() if key in FIELDS})


def parse_article(html: str | bytes, url: str, site: Site | str | None = None) -> Article:
    """Extract one article page; ``site`` (a ``Site`` or a site name) adds its selectors."""
    return _parse_article(html, url, _site(site))


def _site_of(url: str) -> Site | None:
    host = (urlsplit(url).hostname or "").lower()
    return next((s for s in load_sites().values()
                 if any(urlsplit(d).hostname == host for d in s.domains)), None)


def _get(url: str, pins: dict[str, str], timeout: float) -> Observation:
    parts = urlsplit(url)
    target, headers = url, {"User-Agent": "newscrawl (+https://github.com/newscrawl)"}
    if parts.hostname and parts.hostname.lower() in pins and parts.scheme == "http":
        address = pins[parts.hostname.lower()]
        netloc = f"[{address}]" if ":" in address else address
        target = urlunsplit(parts._replace(netloc=f"{netloc}:{parts.port}" if parts.port else netloc))
        headers["Host"] = parts.netloc
    request = urllib.request.Request(target, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            seen = HeaderMap.from_dict(dict(response.headers))
            return Observation(url, response.status, seen, response.read())
    except urllib.error.HTTPError as exc:
        return Observation(url, exc.code, HeaderMap.from_dict(dict(exc.headers)), exc.read())


def fetch_article(url: str, site: Site | str | None = None, *, resolve: Sequence[str] = (),
                  timeout: float = 10.0) -> Article:
    """Download one article and extract it. With a site (given, or found by the URL's host),
    the page is tried on the site's domains in order, primary first, each response
    classified as the crawler does (a seized, parked, blocked or wrong page fails over to the
    next mirror); ``CrawlError`` names the class of every failure. ``resolve`` pins host
    names to addresses (``HOST:IP``, plain http)."""
    chosen = _site(site) or _site_of(url)
    pins = parse_pins(resolve)
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, ""))
    origins = list(chosen.domains) if chosen else [f"{parts.scheme}://{parts.netloc}"]
    failures = []
    for origin in origins:
        try:
            seen = _get(origin.rstrip("/") + path, pins, timeout)
        except (OSError, ValueError) as exc:
            failures.append(f"{origin}: {exc.__class__.__name__}")
            continue
        result = classify_response(chosen, seen) if chosen else \
            (OK if seen.status < 400 else f"http_{seen.status // 100}xx")
        if result == OK:
            return _parse_article(seen.body, url, chosen, encoding=seen.charset)
        failures.append(f"{origin}: {result}")
    raise CrawlError(f"{url}: every domain failed ({'; '.join(failures)})")


def crawl_articles(site: str, *, max_articles: int | None = None, store: str | None = None,
          sites_file: str | None = None, resolve: Sequence[str] = (), since: str | None = None,
          settings: dict[str, Any] | None = None, loglevel: str = "WARNING") -> Iterator[Article]:
    """Crawl ``site`` (``newscrawl crawl`` in a child process) and yield its articles as they
    are stored. Raises ``CrawlError`` when the crawl fails (exit status 1 or 2; 3, requests
    left pending, is not an error)."""
    with tempfile.TemporaryDirectory(prefix="newscrawl-") as tmp:
        output = Path(tmp) / "articles.jsonl"
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", site, "-O", str(output), "-L", loglevel]
        for flag, value in (("--max-articles", max_articles), ("--store", store), ("--sites", sites_file),
                            ("--since", since)):
            if value is not None:
                command += [flag, str(value)]
        for pin in resolve:
            command += ["--resolve", pin]
        for name, value in (settings or {}).items():
            command += ["-s", f"{name}={json.dumps(value) if isinstance(value, list | dict) else value}"]
        with tempfile.TemporaryFile("w+") as log:
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, text=True)
            try:
                yield from _follow(output, child)
            finally:
                if child.poll() is None:  # the caller stopped iterating
                    child.kill()
                child.wait()
            if child.returncode not in (0, 3):
                log.seek(0)
                tail = log.read()[-2000:].strip().splitlines()
                raise CrawlError(f"crawl of {site} failed (exit status {child.returncode}): "
                                 f"{tail[-1] if tail else ''}", child.returncode)


def _follow(output: Path, child: subprocess.Popen[str]) -> Iterator[Article]:
    """The complete lines of ``output`` as the child writes them, until it exits."""
    position, partial = 0, ""
    while True:
        done = child.poll() is not None
        if output.exists():
            with output.open(encoding="utf-8") as handle:
                handle.seek(position)
                chunk = handle.read()
                position = handle.tell()
            *lines, partial = (partial + chunk).split("\n")
            for line in lines:
                if line.strip():
                    yield article_from_dict(json.loads(line))
        if done:
            return
        time.sleep(0.2)  # the child's feed is flushed by Scrapy as items come
