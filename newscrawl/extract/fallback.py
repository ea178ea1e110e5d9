"""The library extractor as one more body candidate: trafilatura's ``extract`` on a copy of the
page, run only when the voted container is in doubt (``bodyscore.doubts``). Without
trafilatura installed there is no such candidate."""

from __future__ import annotations

import copy
import logging

from lxml import html

from newscrawl.extract.body import Body
from newscrawl.extract.candidates import Candidate

logger = logging.getLogger(__name__)
FAST = False  # trafilatura without its own fallbacks (readability, jusText): several times faster

try:
    import trafilatura
except ImportError:  # pragma: no cover - a runtime dependency, but extraction works without it
    trafilatura = None  # type: ignore[assignment]


def library_candidate(tree: html.HtmlElement, url: str) -> Candidate | None:
    """trafilatura's main text of the page (comments left out), one paragraph a line."""
    if trafilatura is None:
        return None
    try:
        text = trafilatura.extract(copy.deepcopy(tree), url=url or None, include_comments=False,
                                    fast=FAST) or ""
    except Exception as exc:  # a library failure leaves the other candidates
        logger.debug("%s: trafilatura failed (%s: %s)", url, type(exc).__name__, exc)
        return None
    paragraphs = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return Candidate("trafilatura", Body(paragraphs=paragraphs)) if paragraphs else None
