"""Metadata on readability/: headline, byline and published time of newscrawl's article against
each page's ``expected-metadata.json`` (pages where the expected value is set). A headline or
byline matches at token F1 >= 0.8 (a leading "By" dropped), a published time on the same day."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.quality_metrics import prf
from newscrawl.items import Article

MATCH = 0.8
BY = re.compile(r"^\s*(?:by|von|par|por)\s+", re.IGNORECASE)


def _checks(article: Article, expected: dict[str, object]) -> dict[str, bool]:
    checks = {}
    if expected.get("title"):
        checks["title"] = prf(article.headline, str(expected["title"]))[2] >= MATCH
    if expected.get("byline"):
        want = BY.sub("", str(expected["byline"]))
        checks["byline"] = prf(" ".join(article.authors), want)[2] >= MATCH
    if expected.get("publishedTime"):
        checks["published"] = article.published_at[:10] == str(expected["publishedTime"])[:10]
    return checks


def metadata_scores(folder: Path, articles: dict[str, Article]) -> dict[str, float]:
    """Share of pages whose headline / byline / published day match (``readability_title``...)."""
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for name, article in articles.items():
        path = folder / "pages" / name / "expected-metadata.json"
        if not path.exists():
            continue
        for key, ok in _checks(article, json.loads(path.read_text(encoding="utf-8"))).items():
            total[key] = total.get(key, 0) + 1
            right[key] = right.get(key, 0) + ok
    return {f"readability_{key}": round(right[key] / total[key], 4) for key in sorted(total)}
