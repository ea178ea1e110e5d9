"""Does a page look built by its scripts? Asked only of pages whose article body could not
be extracted (``thin``): an app-shell mount point with little text around it, a ``<noscript>`` notice
asking for JavaScript, or a large page with almost no text."""

from __future__ import annotations

import re

from lxml import etree, html

MOUNT_IDS = frozenset(("root", "app", "__next", "__nuxt", "___gatsby", "app-root", "svelte"))
"""``id`` of the element a client-side app renders into."""
MOUNT_TAGS = frozenset(("app-root",))
"""Custom elements an app renders into (Angular)."""
JAVASCRIPT_NOTICE = re.compile(
    r"(enable|turn on|activate|allow)\s+javascript|javascript\s+(is\s+)?(required|disabled|enabled|"
    r"must be enabled|needs to be enabled)|requires?\s+javascript|without\s+javascript", re.I)
LITTLE_TEXT = 1000
"""Characters of visible text under which a page with a mount point or notice is a shell."""
LARGE_PAGE = 20_000
"""Characters of HTML from which a page is large..."""
TEXT_SHARE = 0.02
"""...and holds almost no text when its visible text is under this share of its HTML."""
INVISIBLE = ("script", "style", "noscript", "template", "head")

MOUNT_POINT, NOSCRIPT, LOW_TEXT = "mount_point", "noscript", "low_text"
REASONS = (MOUNT_POINT, NOSCRIPT, LOW_TEXT)
THIN_BODY = 300
"""Characters of extracted body under which a page has no article body (a shell's "Loading…"
and JavaScript notice are what generic extraction finds on it)."""


def thin(body: str) -> bool:
    """True when ``body`` is too short to be an article's text."""
    return len(body.strip()) < THIN_BODY


def _visible_text(tree: html.HtmlElement) -> str:
    for element in list(tree.iter(*INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    return " ".join(tree.text_content().split())


def shell_reason(page: str) -> str | None:
    """Why ``page`` (its HTML) looks built by scripts (one of ``REASONS``), None when it does not."""
    try:
        tree = html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    mount = any(e.get("id") in MOUNT_IDS for e in tree.iter("div", "main", "section", "body")) \
        or any(True for _ in tree.iter(*MOUNT_TAGS))
    notice = any(JAVASCRIPT_NOTICE.search(e.text_content()) for e in tree.iter("noscript"))
    text = len(_visible_text(tree))
    if mount and text < LITTLE_TEXT:
        return MOUNT_POINT
    if notice and text < LITTLE_TEXT:
        return NOSCRIPT
    if len(page) >= LARGE_PAGE and text < TEXT_SHARE * len(page):
        return LOW_TEXT
    return None
