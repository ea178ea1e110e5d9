"""The metrics of bench/quality.py: token P/R/F1, caption and credit matching, seed checks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from newscrawl.items import Article, Image

TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|\w+")  # CJK: one token per character
MATCH = 0.8  # token F1 at which a caption (credit) counts as right


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text.lower()))


def prf(found: str, truth: str) -> tuple[float, float, float]:
    """Token precision, recall, F1 of ``found`` against ``truth`` (0 when either is empty)."""
    got, want = tokens(found), tokens(truth)
    common = sum((got & want).values())
    if not common:
        return 0.0, 0.0, 0.0
    p, r = common / sum(got.values()), common / sum(want.values())
    return p, r, 2 * p * r / (p + r)


def _ratio(right: int, total: int) -> float:
    return right / total if total else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _match(label: Mapping[str, Any], images: list[Image], used: set[int],
           picture: Callable[[str], str] | None = None) -> Image | None:
    """The extracted image for ``label``: one of its URLs, else (with ``picture``, a key that is
    one for every size variant of a picture) another size of it, else the most similar caption."""
    urls = set(label.get("urls") or [])
    keys = {picture(url) for url in urls} - {""} if picture else set()
    for i, image in enumerate(images):
        same = image["url"] in urls or (picture is not None and picture(image["url"]) in keys)
        if i not in used and same:
            used.add(i)
            return image
    best, best_score = -1, 0.5
    for i, image in enumerate(images):
        score = prf(image["caption"], label.get("caption") or "")[2]
        if i not in used and score > best_score:
            best, best_score = i, score
    if best < 0:
        return None
    used.add(best)
    return images[best]


def caption_scores(truth: Mapping[str, Any], found: Mapping[str, list[Image]],
                   picture: Callable[[str], str] | None = None) -> dict[str, float]:
    """Caption and credit precision/recall/F1 over every labelled page (``picture``: see ``_match``)."""
    counts = Counter[str]()
    for name, entry in truth.items():
        images = found.get(name, [])
        counts["caption_found"] += sum(1 for i in images if i["caption"])
        counts["credit_found"] += sum(1 for i in images if i["credit"])
        used: set[int] = set()
        for label in entry["images"]:
            want_caption, want_credit = label.get("caption") or "", " ".join(label.get("credit") or [])
            counts["caption_labelled"] += bool(want_caption)
            counts["credit_labelled"] += bool(want_credit)
            image = _match(label, images, used, picture)
            if image is None:
                continue
            counts["caption_right"] += bool(want_caption) and prf(image["caption"], want_caption)[2] >= MATCH
            counts["credit_right"] += bool(want_credit) and prf(image["credit"], want_credit)[2] >= MATCH
    scores = {}
    for kind in ("caption", "credit"):
        p = _ratio(counts[f"{kind}_right"], counts[f"{kind}_found"])
        r = _ratio(counts[f"{kind}_right"], counts[f"{kind}_labelled"])
        scores.update({f"{kind}_p": round(p, 4), f"{kind}_r": round(r, 4), f"{kind}_f1": round(_f1(p, r), 4)})
    return scores


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _quote_ok(quote: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    speaker = quote["speaker"].lower()
    return (_norm(quote["text"]).strip(" ,.") == _norm(wanted["text"]).strip(" ,.")
            and any(s.lower() in speaker for s in wanted["speaker_any"])
            and ("partial" not in wanted or quote["partial"] == wanted["partial"]))


def seed_checks(article: Article, expected: Mapping[str, Any]) -> tuple[int, int, list[str]]:
    """(passed, total, failed check names) of the seed's expected JSON against ``article``."""
    body = _norm(article.body)
    paragraphs = [p for p in article.body.split("\n\n") if p and p not in article.subheadings]
    image: Image = article.images[0] if article.images else Image(url="", caption="", credit="", alt="")
    checks: dict[str, bool] = {
        "headline": article.headline == expected["headline"],
        "breadcrumb": article.breadcrumb == expected["breadcrumb"],
        "section": article.section == expected["section"],
        "caption": image["caption"] == expected["images"][0]["caption"],
        "credit": image["credit"] == expected["images"][0]["credit"],
        "subheadings": article.subheadings == expected["subheadings"],
        "body_starts_with": body.startswith(_norm(expected["body_starts_with"])),
        "body_ends_with": body.endswith(_norm(expected["body_ends_with"])),
        "body_paragraphs": len(paragraphs) == expected["body_paragraphs"],
    }
    for i, text in enumerate(expected["not_in_body"]):
        checks[f"not_in_body[{i}]"] = _norm(text) not in body
    for i, wanted in enumerate(expected["quotes"]):
        checks[f"quote[{i}]"] = any(_quote_ok(q, wanted) for q in article.quotes)
    allowed: Sequence[Mapping[str, Any]] = [*expected["quotes"], *expected.get("optional_quotes", [])]
    false = [q for q in article.quotes
             if not any(_norm(q["text"]).strip(" ,.") == _norm(w["text"]).strip(" ,.") for w in allowed)]
    checks["no_false_quotes"] = not false
    failed = [name for name, ok in checks.items() if not ok]
    return len(checks) - len(failed), len(checks), failed
