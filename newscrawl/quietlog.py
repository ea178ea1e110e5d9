"""Log records that say one thing in one line: a robots.txt that could not be fetched is a
warning naming the error (the crawl goes on as if it allowed everything), not Scrapy's
~50-line traceback per domain."""

from __future__ import annotations

import logging

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


def install() -> None:
    """Once per process, before Scrapy logs anything."""
    robots = logging.getLogger(ROBOTS_LOGGER)
    if not any(isinstance(f, OneLineRobotsErrors) for f in robots.filters):
        robots.addFilter(OneLineRobotsErrors())
