"""``newscrawl parse PAGE --explain``: the body candidates of a page, their features and
scores, and why the winner won, as text."""

from __future__ import annotations

from newscrawl.extract.body import Body
from newscrawl.extract.choose import Choice, generic_body
from newscrawl.extract.document import parse_document
from newscrawl.extract.structured import json_ld, meta_tags
from newscrawl.items import Article

PREVIEW = 70  # characters of each candidate's first paragraph shown


def choice_of(page: str | bytes, url: str) -> Choice:
    """The generic body choice for a page, as ``parse_article`` makes it."""
    tree = parse_document(page, url).tree
    if tree is None:
        return Choice(Body(), reason="no document")
    ld, metas = json_ld(tree), meta_tags(tree)
    return generic_body(tree, url, str(ld.get("lead") or metas.get("lead") or ""), str(ld.get("body", "")))


def explain(page: str | bytes, url: str, article: Article) -> str:
    """Lines naming every candidate with its score and features, the doubts, and the verdict."""
    choice = choice_of(page, url)
    lines = [f"body from layer {article.sources.get('body', '-')!r}, "
             f"candidate {article.sources.get('body_candidate', '-')!r} ({len(article.body)} characters)"]
    lines.append("doubts about the voted container: " + ("; ".join(choice.doubts) or "none"))
    lines.append(f"{'candidate':<14}{'score':>9}  features / first paragraph")
    for candidate in sorted(choice.candidates, key=lambda c: -c.score):
        mark = "*" if candidate.name == choice.name else " "
        features = ", ".join(f"{k}={v}" for k, v in candidate.why.items())
        first = candidate.body.paragraphs[0][:PREVIEW] if candidate.body.paragraphs else ""
        lines.append(f"{mark}{candidate.name:<13}{candidate.score:>9.0f}  {features}")
        lines.append(f"{'':<24}{first!r}")
    lines.append(f"winner: {choice.name or '-'}: {choice.reason}")
    return "\n".join(lines)
