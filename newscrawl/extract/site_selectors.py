"""Layer 1: the site definition's own selectors (CSS, or XPath with an "xpath:" prefix)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cssselect import SelectorError
from lxml import etree, html
from lxml.cssselect import CSSSelector

logger = logging.getLogger(__name__)


def select(tree: html.HtmlElement, selector: str) -> list[html.HtmlElement]:
    """Elements matching ``selector``; a broken selector matches nothing (and is logged)."""
    try:
        found = _compiled(selector)(tree)
    except (SelectorError, etree.XPathError) as exc:
        logger.warning("site selector %r is broken (%s); using generic extraction", selector, exc)
        return []
    return [e for e in found if isinstance(e, html.HtmlElement)]


@lru_cache(maxsize=256)
def _compiled(selector: str) -> Callable[[Any], Any]:
    """The selector compiled once per process (a site's few selectors run on every page)."""
    if selector.startswith("xpath:"):
        return etree.XPath(selector.removeprefix("xpath:"))
    return CSSSelector(selector)


def texts(tree: html.HtmlElement, selector: str) -> list[str]:
    """The whitespace-collapsed text of every match, empty ones dropped."""
    return [t for t in (" ".join(e.text_content().split()) for e in select(tree, selector)) if t]
