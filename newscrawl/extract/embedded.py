"""Client-rendered pages: the article's HTML shipped as a string inside a script (Next.js
flight data, ``__NEXT_DATA__``, a state object: ``"contentHtml":"\\u003cp\\u003e..."``) while
the markup itself shows an empty shell. The richest such fragment is parsed like a page."""

from __future__ import annotations

import json
import re

from lxml import etree, html

STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"')  # a JSON/JS string literal of some length
PARAGRAPH_MARK = re.compile(r"<p[\s>]")
MIN_PARAGRAPHS = 3
MAX_SCRIPT = 20_000_000  # characters: a larger script is not read


def embedded_article(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The HTML fragment inside the page's scripts with the most paragraph text (at least
    ``MIN_PARAGRAPHS`` paragraphs), as a ``<div>``; None when there is none."""
    best: html.HtmlElement | None = None
    best_length = 0
    for script in tree.iter("script"):
        text = script.text or ""
        if script.get("src") or len(text) > MAX_SCRIPT or ("\\u003cp" not in text and "<p" not in text):
            continue
        for match in STRING.finditer(text):
            fragment = _fragment(match.group(1))
            if fragment is None:
                continue
            length = sum(len(p.text_content()) for p in fragment.iter("p"))
            if length > best_length:
                best, best_length = fragment, length
    return best


def _fragment(literal: str) -> html.HtmlElement | None:
    if "u003cp" not in literal and "<p" not in literal:
        return None
    try:
        value = json.loads(f'"{literal}"')
    except ValueError:
        return None
    if len(PARAGRAPH_MARK.findall(value)) < MIN_PARAGRAPHS:
        return None
    try:
        return html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
