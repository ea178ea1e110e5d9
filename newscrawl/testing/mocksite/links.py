"""Article URLs as Press TV writes them: slugs, slug variants and noisy links."""

from __future__ import annotations

import re
import zlib
from urllib.parse import quote

from newscrawl.testing.mocksite.model import BARE, OTHER, ArticleRecord

_SLUG_DROP = re.compile(r"[^\w‘’',\- ]")
UTM = "?utm_source=twitter&utm_medium=social&utm_campaign=share"


def slugify(headline: str) -> str:
    """``Seven killed, 3 injured`` -> ``Seven-killed,-3-injured``; curly quotes percent-encoded."""
    return quote("-".join(_SLUG_DROP.sub("", headline).split()), safe=",-")


def article_path(published_date: str, article_id: int, slug: str) -> str:
    """``/Detail/2026/08/15/774416/Slug`` from ``2026-08-15``."""
    year, month, day = published_date.split("-")
    return f"/Detail/{year}/{month}/{day}/{article_id}/{slug}"


def slug_variants(path: str) -> tuple[str, ...]:
    """Other slugs of the same article: leading, doubled and trailing dashes, and
    lowercase percent escapes (or a shortened slug when there is nothing to escape)."""
    head, slug = path.rsplit("/", 1)
    escaped = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), slug)
    if escaped == slug:
        escaped = "-".join(slug.split("-")[:4])
    return tuple(f"{head}/{variant}" for variant in
                 ("-" + slug, slug.replace("-", "--", 1), slug + "-", escaped))


def _pick(record_id: int, context: str, modulo: int) -> int:
    return zlib.crc32(f"{record_id}:{context}".encode()) % modulo


def noisy_href(record: ArticleRecord, context: str, *, clean: bool = False) -> str:
    """The link a page (``context``) gives to an article: mostly the relative canonical path;
    sometimes with tracking parameters or a fragment, and, unless ``clean``, a slug
    variant, an absolute link without ``www.`` or one on another of the site's origins."""
    roll = _pick(record.id, context, 20)
    if roll == 0:
        return record.path + UTM
    if roll == 1:
        return record.path + "#comments"
    if clean or roll > 6:
        return record.path
    if roll in (2, 3) and record.slug_variants:
        return record.slug_variants[_pick(record.id, context + "/v", len(record.slug_variants))]
    if roll == 4:
        return BARE.decode() + record.path
    if roll == 5:
        return OTHER.decode() + record.path
    return record.path
