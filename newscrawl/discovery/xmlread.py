"""Reading feeds and sitemaps incrementally: entries one at a time, each freed once read, so
a feed of 200,000 items never becomes a tree of a million elements in memory."""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree


def local_name(tag: object) -> str:
    """``{namespace}Name`` -> ``name``; comments and processing instructions -> ``""``."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def text_of(node: etree._Element) -> str | None:
    """The element's text, stripped; None when lxml cannot decode it (a lone surrogate
    written as ``&#xD800;`` comes out as bytes that are not UTF-8)."""
    try:
        return (node.text or "").strip()
    except (UnicodeError, ValueError):
        return None


def attribute(node: etree._Element, name: str) -> str | None:
    """An attribute's value, stripped (``""`` when absent); None when it cannot be decoded."""
    try:
        return (node.get(name) or "").strip()
    except (UnicodeError, ValueError):
        return None


def elements(body: bytes, names: frozenset[str]) -> Iterator[etree._Element]:
    """Every element named one of ``names`` (local name, lowercase) in document order, read
    leniently (real feeds are often malformed or truncated); what was read is freed after
    each one is handed out."""
    events = etree.iterparse(io.BytesIO(body), events=("end",), recover=True, resolve_entities=False,
                             no_network=True, huge_tree=False)
    try:
        for _, node in events:
            if local_name(node.tag) not in names:
                continue
            yield node
            node.clear(keep_tail=False)
            parent = node.getparent()
            while parent is not None and node.getprevious() is not None:
                del parent[0]
    except (etree.LxmlError, ValueError):  # what recovery could not get past: stop there
        return
