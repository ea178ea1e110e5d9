"""Load site definitions from TOML: the built-in ones shipped in the package, then the user's.

Every problem is reported as one ``SiteError`` line naming the file, the site and the problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.sites.checks import check_origin, check_pagination, check_replacement, check_selector
from newscrawl.sites.model import Site, SiteError

_LIST_KEYS = ("domains", "sections", "feeds", "sitemaps", "expected_markers")
_STR_KEYS = ("article_pattern", "pagination", "language", "timezone", "render")
KNOWN_KEYS = frozenset(
    (*_LIST_KEYS, *_STR_KEYS, "max_pages", "selectors", "path_rewrites")
)
UNSAFE_IN_PATH = re.compile(r"[\s\x00-\x1f\x7f\"'<>#\\]")
"""What a listing, feed or sitemap path must not hold raw (a URL would differ from the path)."""
SELECTOR_FIELDS = frozenset(
    ("headline", "lead", "authors", "published_at", "updated_at", "section", "breadcrumb",
     "body", "subheadings")
)
"""Fields a site's selectors may give; every one is applied (newscrawl/extract/__init__.py)."""
NOT_SELECTABLE = frozenset(("images", "caption", "credit"))
"""Refused with their reason: pictures, captions and credits come from the image extraction."""
RENDER_MODES = ("auto", "always", "never")
"""When a site's pages go through a browser (newscrawl/render/)."""


def _str_list(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SiteError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def _paths(values: tuple[str, ...], key: str, where: str) -> tuple[str, ...]:
    for value in values:
        if not value.startswith("/") or value.startswith("//"):
            raise SiteError(f"{where}: {key!r} entry {value!r} must be a path starting with '/'")
        if UNSAFE_IN_PATH.search(value):
            raise SiteError(f"{where}: {key!r} entry {value!r} holds a space, quote, '#' or control "
                            "character (percent-encode it)")
    return values


def _regex(pattern: str, key: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SiteError(f"{where}: {key!r} is not a valid regex ({exc})") from None


def _selectors(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise SiteError(f"{where}: 'selectors' must be a table of field = \"selector\"")
    refused = sorted(set(raw) & NOT_SELECTABLE)
    if refused:
        raise SiteError(f"{where}: selector field {refused[0]!r} is not supported: images, captions "
                        "and credits come from newscrawl's image extraction (newscrawl/extract/images.py)")
    unknown = sorted(set(raw) - SELECTOR_FIELDS)
    if unknown:
        raise SiteError(f"{where}: unknown selector field {unknown[0]!r} "
                        f"(known: {', '.join(sorted(SELECTOR_FIELDS))})")
    for name, selector in raw.items():
        check_selector(name, selector, where)
    return dict(raw)


def _rewrites(raw: Any, where: str) -> dict[str, tuple[tuple[str, str], ...]]:
    if not isinstance(raw, dict):
        raise SiteError(f"{where}: 'path_rewrites' must be a table of origin = [[regex, repl]]")
    result: dict[str, tuple[tuple[str, str], ...]] = {}
    for origin, pairs in raw.items():
        ok = isinstance(pairs, list) and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
            for p in pairs
        )
        if not ok:
            raise SiteError(f"{where}: path_rewrites for {origin!r} must be [[regex, repl], ...]")
        for pattern, replacement in pairs:
            check_replacement(_regex(pattern, "path_rewrites", where), replacement, where)
        result[check_origin(origin, where)] = tuple((p, r) for p, r in pairs)
    return result


def _zone(name: str, where: str) -> str:
    if name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise SiteError(f"{where}: 'timezone' {name!r} is not an IANA time zone") from None
    return name


def build_site(name: str, raw: Mapping[str, Any], source: str) -> Site:
    """Validate one site table and build a ``Site``; ``source`` names the file for errors."""
    where = f"{source}: site {name!r}"
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name):
        raise SiteError(f"{where}: name must be letters, digits, '_', '.', '-'")
    unknown = sorted(set(raw) - KNOWN_KEYS)
    if unknown:
        raise SiteError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
    for key in _STR_KEYS:
        if key in raw and not isinstance(raw[key], str):
            raise SiteError(f"{where}: {key!r} must be a string")
    domains = tuple(check_origin(d, where) for d in _str_list(raw, "domains", where))
    if not domains:
        raise SiteError(f"{where}: 'domains' is empty; give at least the primary origin")
    sections = _paths(_str_list(raw, "sections", where), "sections", where)
    feeds = _paths(_str_list(raw, "feeds", where), "feeds", where)
    sitemaps = _paths(_str_list(raw, "sitemaps", where), "sitemaps", where)
    if not (sections or feeds or sitemaps):
        raise SiteError(f"{where}: give at least one of 'sections', 'feeds', 'sitemaps'")
    if "article_pattern" not in raw:
        raise SiteError(f"{where}: 'article_pattern' is missing")
    max_pages = raw.get("max_pages", 5)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1:
        raise SiteError(f"{where}: 'max_pages' must be a positive integer")
    pagination = check_pagination(raw.get("pagination", ""), where)
    render = raw.get("render", "auto")
    if render not in RENDER_MODES:
        raise SiteError(f"{where}: 'render' must be one of {', '.join(RENDER_MODES)}, not {render!r}")
    return Site(
        name=name,
        domains=domains,
        sections=sections,
        article_pattern=_regex(raw["article_pattern"], "article_pattern", where),
        feeds=feeds,
        sitemaps=sitemaps,
        max_pages=max_pages,
        pagination=pagination,
        language=raw.get("language", ""),
        timezone=_zone(raw.get("timezone", ""), where),
        selectors=_selectors(raw.get("selectors", {}), where),
        expected_markers=_str_list(raw, "expected_markers", where),
        path_rewrites=_rewrites(raw.get("path_rewrites", {}), where),
        render=render,
    )


def _read_tables(text: str, source: str) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{source}: not valid TOML ({exc})") from None
    extra = sorted(set(data) - {"sites"})
    if extra:
        raise SiteError(f"{source}: unknown top-level key {extra[0]!r} (expected [sites.NAME] tables)")
    sites = data.get("sites", {})
    if not isinstance(sites, dict) or not all(isinstance(v, dict) for v in sites.values()):
        raise SiteError(f"{source}: expected [sites.NAME] tables")
    return sites


def builtin_tables() -> dict[str, dict[str, Any]]:
    """The raw tables of the sites shipped in the package (``newscrawl/sites/builtin/*.toml``)."""
    tables: dict[str, dict[str, Any]] = {}
    folder = resources.files("newscrawl.sites") / "builtin"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            tables.update(_read_tables(entry.read_text(encoding="utf-8"), entry.name))
    return tables


def load_sites(path: str | Path | None = None) -> dict[str, Site]:
    """Built-in sites, overridden key by key and extended by the TOML file at ``path``."""
    tables = builtin_tables()
    source = "built-in sites"
    if path:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SiteError(f"{source}: cannot read sites file ({exc.strerror})") from None
        except UnicodeDecodeError:
            raise SiteError(f"{source}: sites file is not UTF-8 text") from None
        for name, table in _read_tables(text, source).items():
            tables[name] = {**tables.get(name, {}), **table}
    return {name: build_site(name, table, source) for name, table in tables.items()}


def get_site(name: str, path: str | Path | None = None) -> Site:
    """One site by name; a ``SiteError`` lists the known names when it does not exist."""
    sites = load_sites(path)
    if name not in sites:
        raise SiteError(f"unknown site {name!r} (known: {', '.join(sorted(sites))})")
    return sites[name]
