"""Settings outside the command line: a config file and ``NEWSCRAWL_*`` environment variables.

Precedence, lowest first: ``newscrawl/settings.py``, the config file, the environment, the
command line. The config file is ``--config FILE`` (or ``NEWSCRAWL_CONFIG``), else
``newscrawl.toml`` in the working directory when there is one::

    store = "output/news.db"              # --store (a path is a SQLite file)
    sites = "my-sites.toml"               # --sites
    resolve = ["www.example.com:203.0.113.7"]   # --resolve
    [settings]                            # -s NAME=VALUE, any Scrapy or newscrawl setting
    DOWNLOAD_DELAY = 2
    NEWSCRAWL_FAILOVER_TIMEOUT = 5

Every ``NEWSCRAWL_<NAME>`` environment variable naming a newscrawl setting (``NEWSCRAWL_STORE``,
``NEWSCRAWL_SITES_FILE``, ``NEWSCRAWL_RESOLVE`` comma-separated, ...) is one too. Paths are
relative to the working directory. Problems are one ``InputError`` line (exit 2).
"""

from __future__ import annotations

import argparse
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newscrawl import settings as defaults
from newscrawl.inputs import InputError

DEFAULT_FILE = "newscrawl.toml"
OPTIONS = {"store": "NEWSCRAWL_STORE", "sites": "NEWSCRAWL_SITES_FILE", "resolve": "NEWSCRAWL_RESOLVE"}
"""Top-level keys of the file and the settings they are."""


def _file(path: str | None) -> tuple[Path | None, bool]:
    given = path or os.environ.get("NEWSCRAWL_CONFIG")
    return (Path(given), True) if given else (Path(DEFAULT_FILE), False)


def file_settings(path: str | None) -> dict[str, Any]:
    """The config file's settings by name (``{}`` without a file)."""
    target, required = _file(path)
    if target is None or (not required and not target.is_file()):
        return {}
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"config file {target}: cannot read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"config file {target}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - set(OPTIONS) - {"settings"})
    if unknown:
        raise InputError(f"config file {target}: unknown key {unknown[0]!r} "
                         f"(use {', '.join(OPTIONS)} or a [settings] table)")
    table = data.get("settings", {})
    if not isinstance(table, dict):
        raise InputError(f"config file {target}: 'settings' must be a table of NAME = value")
    return {**{OPTIONS[key]: value for key, value in data.items() if key in OPTIONS}, **table}


def env_settings(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """``NEWSCRAWL_*`` environment variables that name a newscrawl setting."""
    known = {name for name in vars(defaults) if name.startswith("NEWSCRAWL_")}
    found: dict[str, Any] = {name: value for name, value in environ.items() if name in known}
    if "NEWSCRAWL_RESOLVE" in found:
        pins = str(found["NEWSCRAWL_RESOLVE"]).split(",")
        found["NEWSCRAWL_RESOLVE"] = [pin.strip() for pin in pins if pin.strip()]
    return found


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def apply_defaults(parser: argparse.ArgumentParser, subparsers: Mapping[str, argparse.ArgumentParser],
                   config: str | None) -> None:
    """The file's and the environment's values become the defaults of ``--store``, ``--sites``
    and ``--resolve`` of every command that has them, and settings under every option of a
    command that takes ``-s`` (``config_settings``): the command line still wins."""
    values = {**file_settings(config), **env_settings()}
    if not values:
        return
    store, sites = values.pop("NEWSCRAWL_STORE", None), values.pop("NEWSCRAWL_SITES_FILE", None)
    resolve = values.pop("NEWSCRAWL_RESOLVE", None)
    if isinstance(resolve, str):
        resolve = [resolve]
    entries = {name: _as_text(value) for name, value in values.items()}
    for sub in subparsers.values():
        dests = {action.dest for action in sub._actions}
        given: dict[str, Any] = {}
        if store and "store" in dests:
            given["store"] = str(store)
        if sites and "sites" in dests:
            given["sites"] = str(sites)
        if resolve and "resolve" in dests:
            given["resolve"] = [str(pin) for pin in resolve]
        if entries and "set" in dests:  # below the command line's options and -s
            given["config_settings"] = dict(entries)
        sub.set_defaults(**given)
