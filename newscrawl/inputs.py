"""Command-line values checked before anything runs: each problem is one ``InputError`` line
(the CLI prints ``newscrawl: error: ...`` and exits 2), never a traceback mid-crawl."""

from __future__ import annotations

import argparse
import contextlib
import math
import re
import ssl
from pathlib import Path

JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
MAX_JOB_NAME = 100
"""A job name ends up in file names (``<site>-<job>``, ``<site>-<job>.jsonl``)."""
MAX_DAYS = 36500.0
"""History windows (``--days``) up to a hundred years."""


class InputError(ValueError):
    """A value given on the command line cannot work; the message is one line."""


def check_job_name(job: str) -> str:
    """A job name usable as part of a file name."""
    if not JOB_NAME.fullmatch(job):
        raise InputError(f"--job {job!r}: use letters, digits, '.', '_' and '-' only "
                         "(starting with a letter or digit)")
    if len(job) > MAX_JOB_NAME:
        raise InputError(f"--job: a name of {len(job)} characters is too long "
                         f"(at most {MAX_JOB_NAME})")
    return job


def check_output(path: str, option: str = "-o") -> None:
    """The output file can be created (or appended to) now, not after the first item. What
    the check creates (the file, missing folders) is removed again: a run refused later
    (a bad store, say) leaves nothing behind."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{option} {path}: is a directory, expected a file")
    blocking = next((parent for parent in target.parents if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise InputError(f"{option} {path}: {blocking} is not a directory")
    created = [parent for parent in target.parents if not parent.exists()]
    existed = target.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("ab"):
            pass
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None
    finally:
        if not existed:
            target.unlink(missing_ok=True)
        for folder in created:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()


def check_readable(path: str, option: str) -> None:
    """A file the command will read later exists and can be read now."""
    try:
        with Path(path).open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot read ({exc.strerror or exc})") from None


def _positive(value: float, option: str, maximum: float = math.inf) -> None:
    if not (math.isfinite(value) and 0 < value <= maximum):
        bound = f" and at most {maximum:g}" if math.isfinite(maximum) else ""
        raise InputError(f"{option} {value!r}: expected a number above 0{bound}")


def check_args(args: argparse.Namespace) -> None:
    """The options several commands share: numbers in range, files that exist, an output
    file (``-o``) that can be written."""
    if getattr(args, "output", None):
        check_output(args.output)
    if getattr(args, "days", None) is not None:
        _positive(args.days, "--days", MAX_DAYS)
    for option in ("timeout", "interval"):
        if getattr(args, option, None) is not None:
            _positive(getattr(args, option), f"--{option}")
    for option in ("failures", "successes"):
        if getattr(args, option, None) is not None and getattr(args, option) < 1:
            raise InputError(f"--{option} {getattr(args, option)}: expected 1 or more")
    if getattr(args, "ca_file", None):
        check_ca_file(args.ca_file)


def check_ca_file(path: str) -> None:
    """A readable file of PEM certificates."""
    check_readable(path, "--ca-file")
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (ssl.SSLError, ValueError) as exc:
        raise InputError(f"--ca-file {path}: not a PEM file of CA certificates ({exc})") from None
