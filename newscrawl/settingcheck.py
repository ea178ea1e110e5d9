"""``-s NAME=VALUE`` checked before a crawl starts: a value Scrapy or newscrawl would choke on
(or silently misread) is one ``ValueError`` line, not a traceback from deep inside Scrapy.

The type of a setting is the type of its default (``newscrawl/settings.py``, then Scrapy's
defaults): booleans must read as true/false, numbers must be finite numbers (whole numbers
where the default is one, except the timeouts and delays Scrapy reads as seconds), dicts
must be JSON objects. No numeric setting may be negative unless its default is (the
``*PRIORITY*`` adjustments may); counts of parallel requests, batch sizes and timeouts must
be above zero. An unknown ``NEWSCRAWL_*`` name is a typo and refused; another unknown name
close to a known one (``DOWNLAOD_DELAY``) is passed on with a warning naming the known one.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults

from newscrawl import settings as newscrawl_defaults

POSITIVE = frozenset((
    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_ITEMS",
    "DOWNLOAD_TIMEOUT", "DNS_TIMEOUT", "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "REACTOR_THREADPOOL_MAXSIZE", "NEWSCRAWL_STORE_BATCH", "NEWSCRAWL_STORE_FLUSH_SECONDS",
    "NEWSCRAWL_FAILOVER_THRESHOLD", "NEWSCRAWL_FAILOVER_TIMEOUT", "NEWSCRAWL_FAILOVER_HEDGE_INITIAL",
    "NEWSCRAWL_FAILOVER_HEDGE_MIN", "NEWSCRAWL_FAILOVER_HEDGE_MAX",
))
"""Numeric settings that must be above zero (a count of 0 would stall the crawl)."""
SECONDS = frozenset(("DOWNLOAD_TIMEOUT", "DNS_TIMEOUT", "DOWNLOAD_DELAY", "CLOSESPIDER_TIMEOUT",
                     "METAREFRESH_MAXDELAY", "MEMUSAGE_CHECK_INTERVAL_SECONDS", "LOGSTATS_INTERVAL"))
"""Settings with a whole-number default that Scrapy reads as (fractional) seconds."""


def _defaults(module: ModuleType) -> dict[str, Any]:
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


DEFAULTS = {**_defaults(scrapy_defaults), **_defaults(newscrawl_defaults)}


def _number(name: str, raw: Any, default: int | float) -> float:
    whole = isinstance(default, int) and name not in SECONDS
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = math.nan
    if whole and isinstance(raw, str) and not re.fullmatch(r"\s*[+-]?\d+\s*", raw):
        value = math.nan  # Scrapy's getint() is int(): "1.0" and "1e3" fail there
    if not math.isfinite(value) or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"-s {name}={raw!r}: expected {kind}")
    if name in POSITIVE and value <= 0:
        raise ValueError(f"-s {name}={raw!r}: must be above 0")
    if value < 0 and default >= 0 and "PRIORITY" not in name:
        raise ValueError(f"-s {name}={raw!r}: must not be negative")
    return value


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, DEFAULTS, n=1, cutoff=0.85)
    return f" (did you mean {close[0]}?)" if close else ""


def _parsed(settings: Settings, name: str, kind: str) -> None:
    read = settings.getbool if kind == "true or false" else settings.getdict
    try:
        read(name)
    except (TypeError, ValueError):
        raise ValueError(f"-s {name}={settings.get(name)!r}: expected {kind}") from None


def check_value(settings: Settings, name: str) -> None:
    """Refuse ``settings[name]`` in one line when it does not fit the setting's type."""
    default, raw = DEFAULTS.get(name), settings.get(name)
    if name.startswith("NEWSCRAWL_") and name not in DEFAULTS:
        raise ValueError(f"-s {name}: unknown newscrawl setting{_did_you_mean(name)} "
                         "(see newscrawl/settings.py)")
    if name not in DEFAULTS and (close := _did_you_mean(name)):
        print(f"newscrawl: warning: -s {name}: not a Scrapy or newscrawl setting{close}; "
              "passed on as given", file=sys.stderr)
    if name == "LOG_LEVEL":
        if not str(raw).isdigit() and str(raw).upper() not in logging.getLevelNamesMapping():
            raise ValueError(f"log level {raw!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    elif isinstance(default, bool):
        _parsed(settings, name, "true or false")
    elif isinstance(default, int | float):
        _number(name, raw, default)
    elif isinstance(default, dict):
        _parsed(settings, name, "a JSON object")


def check_settings(given: Mapping[str, Any]) -> None:
    """Check every setting given on the command line (name -> value as typed), each on a
    scratch ``Settings`` (Scrapy parses the JSON of a dict setting as soon as it is set)."""
    for name, raw in given.items():
        scratch = Settings()
        try:
            scratch.set(name, raw)
        except (TypeError, ValueError):
            raise ValueError(f"-s {name}={raw!r}: expected a JSON object") from None
        check_value(scratch, name)
