"""Literal prefilters for regexes: a cheap ``in`` test decides whether a regex must run.

Python's ``re`` scans the whole text for a pattern that starts with a group, a class or an
alternation (milliseconds per 64 KiB page). A pattern whose every match contains one of a few
literal strings ("needles") only has to run when one of them occurs, and ``needle in text``
is a fast substring search. The needles are found from the parsed pattern.
"""

from __future__ import annotations

from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MIN_NEEDLE = 3
"""Shorter literals filter too little to be worth it."""


def needles(pattern: str) -> frozenset[str]:
    """Casefolded literals of which every match of ``pattern`` contains at least one;
    empty when no such set of literals of at least ``MIN_NEEDLE`` characters is found."""
    found = _needles(sre_parse.parse(pattern, 0))
    if not found or min(map(len, found)) < MIN_NEEDLE:
        return frozenset()
    return frozenset(n.casefold() for n in found)


def _better(candidate: set[str], best: set[str]) -> bool:
    return bool(candidate) and (not best or min(map(len, candidate)) > min(map(len, best)))


def _needles(items: Any) -> set[str]:
    best: set[str] = set()
    run = ""
    for op, arg in [*items, (None, None)]:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if _better({run} if run else set(), best):
            best = {run}
        run = ""
        candidate = _group_needles(op, arg)
        if _better(candidate, best):
            best = candidate
    return best


def _group_needles(op: Any, arg: Any) -> set[str]:
    """Needles of a group, an alternation, or a repeat that must occur at least once."""
    if op is sre.SUBPATTERN:
        return _needles(arg[-1])
    if op is sre.BRANCH:
        branches = [_needles(branch) for branch in arg[1]]
        return set().union(*branches) if all(branches) else set()
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
        return _needles(arg[2])
    return set()
