"""Log records that say one thing in one line: a robots.txt that could not be fetched is a
warning naming the error (the crawl goes on as if it allowed everything), not Scrapy's
~50-line traceback per domain; and no Scrapy boilerplate on a terminal."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class OneLineRobotsErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.args, dict):
            error = record.exc_info[1]
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg = ("robots.txt not fetched for %(request)s (%(error)s); "
                          "crawling as if it allowed everything")
            record.args = {**record.args, "error": f"{type(error).__name__}: {error}".rstrip(": ")}
        return True


BOILERPLATE_LOGGERS = ("scrapy.middleware", "scrapy.addons", "scrapy.statscollectors", "scrapy.core.engine",
                      "scrapy.extensions.logstats", "scrapy.extensions.telnet", "scrapy.crawler",
                      "scrapy.spidermiddlewares.httperror", "scrapy.extensions.feedexport")
"""Scrapy's INFO: its listing of every enabled component, its once-a-minute line, its stats
dump, a line per 404 listing page: ~150 lines a person at a terminal does not read (its
warnings and errors still show; its version lines come before any extension can act)."""


class QuietScrapyLog:
    """``NEWSCRAWL_QUIET_SCRAPY_LOG`` (set by ``newscrawl crawl`` on a terminal without ``-L``):
    Scrapy's boilerplate loggers show warnings only; the progress line and the summary say
    how the crawl goes. An extension, because Scrapy resets its loggers when it configures
    logging, before extensions are built; logs to a file or a pipe keep everything."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietScrapyLog:
        if not crawler.settings.getbool("NEWSCRAWL_QUIET_SCRAPY_LOG"):
            raise NotConfigured  # off by choice: nothing to warn about (NEWSCRAWL_QUIET_SCRAPY_LOG is off)
        for name in BOILERPLATE_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        return cls()


def install() -> None:
    """Once per process, before Scrapy logs anything."""
    robots = logging.getLogger(ROBOTS_LOGGER)
    if not any(isinstance(f, OneLineRobotsErrors) for f in robots.filters):
        robots.addFilter(OneLineRobotsErrors())
