"""Credentials never reach the terminal or a log file: the one-line error of the CLI, every
log record (message and traceback) and any traceback of an unexpected error go through
``newscrawl.secrets.mask_text``."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from typing import Any

from newscrawl.secrets import mask_text

PREFIX = "newscrawl: error: "


def error_line(error: BaseException | str) -> str:
    """``newscrawl: error: <message>`` on one line, credentials masked; an ``OSError`` as
    ``<file>: <reason>``."""
    text = str(error)
    if isinstance(error, OSError) and error.strerror:
        text = f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    return PREFIX + " ".join(mask_text(text).split())


def _masked_message(record: logging.LogRecord) -> str:
    """The record's message, credentials masked (what a handler formats)."""
    return mask_text(type(record).getMessage(record))


def _masked(record: logging.LogRecord) -> logging.LogRecord:
    """Mask the record when a handler formats it, not when it is made: most records are
    DEBUG lines no handler emits (Scrapy's "Scraped from" carries the whole item), and
    formatting and masking those cost a crawl more than anything else it logs."""
    record.getMessage = functools.partial(_masked_message, record)  # type: ignore[method-assign]
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        record.exc_text = mask_text("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    return record


def mask_log_records() -> None:
    """From now on every log record of this process is masked (for every handler, Scrapy's
    included: the record factory makes each record's ``getMessage`` mask). Idempotent."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_credentials", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _masked(previous(*args, **kwargs))

    factory.masks_credentials = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def print_masked_traceback(error: BaseException) -> None:
    """An unexpected error (a bug): its traceback, credentials masked, on standard error."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    print(mask_text(text), end="", file=sys.stderr)


class CredentialMasking:
    """Scrapy extension: the same masking for ``scrapy crawl`` (the ``newscrawl`` command
    installs it before anything runs)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> CredentialMasking:
        mask_log_records()
        return cls()
