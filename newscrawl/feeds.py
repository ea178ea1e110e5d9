"""The crawl's feeds, with Scrapy's ``-o``/``-O`` semantics.

- ``-o FILE`` appends, ``-O FILE`` overwrites (one of the two, each repeatable);
- the format comes from the extension (``.jsonl``, ``.jl``, ``.json``, ``.csv``, ``.xml``) or
  a ``:format`` suffix (``out.txt:csv``); anything else is refused in one line;
- ``-s FEEDS=...`` is honoured (its entries win over a ``-o`` of the same URI, as in Scrapy);
- without ``-o``, ``-O`` or ``FEEDS``: JSON lines in ``output/<site>-<UTC time>.jsonl``;
- a resumed ``--job`` never overwrites: every feed appends, and its JSON lines files skip
  the articles already in them (``newscrawl.joboutput``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings
from scrapy.utils.conf import feed_process_params_from_cli

from newscrawl.inputs import InputError, check_output
from newscrawl.joboutput import OUTPUT_OPTION

JSON_LINES = ("jsonlines", "jsonl", "jl")


def local_path(uri: str) -> Path | None:
    """The file a feed URI writes, when it is a local file (a path or ``file://``)."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return Path(parts.path)
    if len(parts.scheme) <= 1:  # a path (or a Windows drive letter)
        return Path(uri)
    return None


def crawl_feeds(settings: BaseSettings, append: Sequence[str], overwrite: Sequence[str],
                default: str, resumed: bool) -> dict[str, dict[str, Any]]:
    """The ``FEEDS`` of a crawl (see the module docstring); every local file is checked
    writable now, not after the first article."""
    try:
        feeds = feed_process_params_from_cli(settings, list(append), overwrite_output=list(overwrite))
    except UsageError as exc:
        flag = "-O" if overwrite else "-o"
        for uri in (*append, *overwrite):  # a directory says so, rather than "no format"
            if (path := local_path(uri)) is not None and path.is_dir():
                raise InputError(f"{flag} {uri}: is a directory, expected a file") from None
        raise InputError(f"{flag}: {str(exc).split('. ')[0]} "
                         "(use .jsonl, .json, .csv, .xml or FILE:FORMAT)") from None
    if not feeds:
        feeds = {default: {"format": "jsonlines", "overwrite": not resumed}}
    for uri, options in feeds.items():
        path = local_path(uri)
        if path is not None:
            check_output(str(path), "-O" if overwrite else "-o")
        options.setdefault("encoding", "utf-8")
        if resumed:  # the earlier part of a job is never lost
            options["overwrite"] = False
            if path is not None and options.get("format") in JSON_LINES:
                options.update({"item_filter": "newscrawl.joboutput.SkipWritten", OUTPUT_OPTION: str(path)})
    return feeds


def json_lines_files(feeds: dict[str, dict[str, Any]]) -> list[str]:
    """The local JSON lines files among the feeds (a resumed job reconciles them)."""
    return [str(path) for uri, options in feeds.items()
            if options.get("format") in JSON_LINES and (path := local_path(uri)) is not None]
