"""Layer 1: the site definition's own selectors (CSS, or XPath with an "xpath:" prefix)."""

from __future__ import annotations

import logging

from cssselect import SelectorError
from lxml import etree, html
from lxml.cssselect import CSSSelector

logger = logging.getLogger(__name__)


def select(tree: html.HtmlElement, selector: str) -> list[html.HtmlElement]:
    """Elements matching ``selector``; a broken selector matches nothing (and is logged)."""
    try:
        if selector.startswith("xpath:"):
            found = tree.xpath(selector.removeprefix("xpath:"))
        else:
            found = CSSSelector(selector)(tree)
    except (SelectorError, etree.XPathError) as exc:
        logger.warning("site selector %r is broken (%s); using generic extraction", selector, exc)
        return []
    return [e for e in found if isinstance(e, html.HtmlElement)]


def texts(tree: html.HtmlElement, selector: str) -> list[str]:
    """The whitespace-collapsed text of every match, empty ones dropped."""
    return [t for t in (" ".join(e.text_content().split()) for e in select(tree, selector)) if t]
