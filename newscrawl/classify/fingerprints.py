"""Soft-failure fingerprints as data (like OONI's blocking fingerprints): load, check, match."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawl.classify.classes import SOFT_CLASSES
from newscrawl.classify.needles import needles

if TYPE_CHECKING:
    from newscrawl.classify.observation import Observation

SETTING = "NEWSCRAWL_FINGERPRINTS_FILE"
LOCATIONS = ("body", "header", "final_url", "title")
PATTERN_TYPES = ("contains", "prefix", "equal", "regex")
_KEYS = {"name", "class", "location", "pattern_type", "pattern", "header"}


class FingerprintError(ValueError):
    """A fingerprint file is invalid; the message is one line naming file, entry and problem."""


@dataclass(frozen=True)
class Fingerprint:
    """One pattern that marks a response as a soft failure of class ``cls``."""

    name: str
    cls: str
    location: str
    pattern_type: str
    pattern: str
    header: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_test", _compile(self.pattern_type, self.pattern))

    def matches(self, obs: Observation) -> bool:
        """True when this fingerprint's pattern matches ``obs`` (case-insensitive)."""
        test: Callable[[str], bool] = self.__dict__["_test"]
        if self.location == "header":
            return any(test(value.casefold()) for value in obs.headers.get(self.header, ()))
        return test(obs.folded(self.location))


def _compile(pattern_type: str, pattern: str) -> Callable[[str], bool]:
    """A test on casefolded text. A regex runs only when the text holds one of its needles."""
    folded = pattern.casefold()
    if pattern_type == "regex":
        search = re.compile(pattern, re.IGNORECASE | re.DOTALL).search
        required = needles(pattern)
        if not required:
            return lambda text: search(text) is not None
        return lambda text: any(n in text for n in required) and search(text) is not None
    if pattern_type == "prefix":
        return lambda text: text.lstrip().startswith(folded)
    if pattern_type == "equal":
        return lambda text: text.strip() == folded
    return lambda text: folded in text


class Fingerprints:
    """An ordered set of fingerprints; the first that matches decides the class."""

    def __init__(self, entries: Iterable[Fingerprint]):
        self.entries: tuple[Fingerprint, ...] = tuple(entries)

    def match(self, obs: Observation) -> Fingerprint | None:
        """The first fingerprint matching ``obs``, or None."""
        return next((fp for fp in self.entries if fp.matches(obs)), None)

    def merged(self, extra: Iterable[Fingerprint]) -> Fingerprints:
        """These entries plus ``extra``: same name replaces in place, new names are appended."""
        by_name = {fp.name: fp for fp in self.entries}
        by_name.update({fp.name: fp for fp in extra})
        return Fingerprints(by_name.values())

    def __len__(self) -> int:
        return len(self.entries)


def parse_fingerprints(text: str, source: str) -> list[Fingerprint]:
    """Fingerprints from TOML ``text``; ``source`` names the file in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FingerprintError(f"{source}: not valid TOML: {exc}") from None
    unknown = set(data) - {"fingerprint"}
    if unknown or not isinstance(data.get("fingerprint", []), list):
        raise FingerprintError(f"{source}: expected only [[fingerprint]] tables, got {sorted(data)}")
    entries = data.get("fingerprint", [])
    return [_entry(raw, f"{source}: fingerprint #{i + 1}") for i, raw in enumerate(entries)]


_CHOICES = {"class": SOFT_CLASSES, "location": LOCATIONS, "pattern_type": PATTERN_TYPES}


def _one_of(raw: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> tuple[bool, str]:
    return raw.get(key) in allowed, f"{key} {raw.get(key)!r} is not one of {', '.join(allowed)}"


def _entry(raw: Mapping[str, Any], where: str) -> Fingerprint:
    if isinstance(raw.get("name"), str):
        where = f"{where} ({raw['name']!r})"
    unknown = sorted(set(raw) - _KEYS)
    missing = sorted({"name", "class", "location", "pattern_type", "pattern"} - set(raw))
    checks = [
        (not unknown, f"unknown key(s) {unknown}"),
        (not missing, f"missing key(s) {missing}"),
        (all(isinstance(v, str) for v in raw.values()), "every value must be a string"),
        *(_one_of(raw, key, allowed) for key, allowed in _CHOICES.items()),
        (
            (raw.get("location") == "header") == bool(raw.get("header")),
            'key "header" is required with location = "header", and only there',
        ),
        (bool(raw.get("pattern")), "pattern is empty"),
    ]
    for ok, problem in checks:
        if not ok:
            raise FingerprintError(f"{where}: {problem}")
    try:
        return Fingerprint(
            raw["name"],
            raw["class"],
            raw["location"],
            raw["pattern_type"],
            raw["pattern"],
            raw.get("header", "").lower(),
        )
    except re.error as exc:
        raise FingerprintError(f"{where}: bad regex {raw['pattern']!r}: {exc}") from None


@lru_cache(maxsize=16)
def load_fingerprints(user_file: str | None = None) -> Fingerprints:
    """The built-in fingerprints, merged with ``user_file`` when given (cached per path)."""
    builtin = resources.files("newscrawl.classify").joinpath("fingerprints.toml")
    fingerprints = Fingerprints(parse_fingerprints(builtin.read_text(encoding="utf-8"), "fingerprints.toml"))
    if not user_file:
        return fingerprints
    try:
        text = Path(user_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FingerprintError(f"{user_file}: cannot read: {exc}") from None
    return fingerprints.merged(parse_fingerprints(text, user_file))


def fingerprints_from_settings(settings: Any) -> Fingerprints:
    """Fingerprints for a crawl: built-ins plus the file named by ``NEWSCRAWL_FINGERPRINTS_FILE``."""
    return load_fingerprints(settings.get(SETTING) or None)
