"""Which pages of a site need the browser, learned from the pages that did.

Pages are grouped by URL pattern: their path with every slug (a segment with '-' or '_',
or a long one) as ``S`` and every other segment holding a digit as ``N``, so ``/live/2024/5/a-b``
and ``/live/2025/1/c-d`` are one pattern. After ``learn_after`` pages of a pattern needed
the browser, its pages go straight to it; every ``recheck_every``-th of them is fetched
plainly first, and a plain page with its body unlearns the pattern (the site changed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DIGIT = re.compile(r"\d")
SLUG_LENGTH = 24


def url_pattern(url: str) -> str:
    """The URL pattern of ``url`` (its path's shape, see the module docstring)."""
    shapes = []
    for segment in urlsplit(url).path.split("/"):
        if "-" in segment or "_" in segment or len(segment) > SLUG_LENGTH:
            shapes.append("S")
        elif DIGIT.search(segment):
            shapes.append("N")
        else:
            shapes.append(segment)
    return "/".join(shapes) or "/"


@dataclass
class _Pattern:
    rendered: int = 0  # pages that needed the browser after a plain fetch
    straight: int = 0  # pages sent straight to the browser since the pattern was learned


class PatternLearner:
    """Per URL pattern, whether its pages go straight to the browser."""

    def __init__(self, learn_after: int, recheck_every: int):
        self.learn_after, self.recheck_every = learn_after, recheck_every
        self._patterns: dict[str, _Pattern] = {}

    def learned(self, url: str) -> bool:
        """True when the pattern of ``url`` is known to need the browser."""
        state = self._patterns.get(url_pattern(url))
        return self.learn_after > 0 and state is not None and state.rendered >= self.learn_after

    def straight(self, url: str) -> bool:
        """Should ``url`` go straight to the browser? Counts it: every ``recheck_every``-th
        page of a learned pattern is answered False (fetched plainly first)."""
        if not self.learned(url):
            return False
        state = self._patterns[url_pattern(url)]
        state.straight += 1
        return not (self.recheck_every and state.straight % self.recheck_every == 0)

    def needed_browser(self, url: str) -> None:
        """A plainly fetched page of ``url``'s pattern had its body only through the browser."""
        self._patterns.setdefault(url_pattern(url), _Pattern()).rendered += 1

    def plain_sufficed(self, url: str) -> bool:
        """A plainly fetched page of ``url``'s pattern had its body: the pattern is unlearned.
        True when it had been learned."""
        was = self.learned(url)
        self._patterns.pop(url_pattern(url), None)
        return was
