"""Credentials never reach the terminal: the CLI's error line, every log record (message and
traceback) and the traceback of an unexpected error are masked (``newscrawl.logmask``)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from newscrawl import cli
from newscrawl.logmask import error_line, mask_log_records

URL = "postgresql://crawler:hunter2@db.example:5432/news?sslmode=require&password=hunter2"


@pytest.fixture
def masked_logging() -> Iterator[io.StringIO]:
    factory = logging.getLogRecordFactory()
    mask_log_records()
    mask_log_records()  # idempotent
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger = logging.getLogger("newscrawl.test_logmask")
    logger.addHandler(handler)
    try:
        yield out
    finally:
        logger.removeHandler(handler)
        logging.setLogRecordFactory(factory)


def test_log_messages_and_tracebacks_are_masked(masked_logging: io.StringIO) -> None:
    logger = logging.getLogger("newscrawl.test_logmask")
    logger.warning("store %s is slow", URL)
    try:
        raise ConnectionError(f"cannot reach {URL}")
    except ConnectionError:
        logger.exception("store lost")
    text = masked_logging.getvalue()
    assert "hunter2" not in text
    assert "postgresql://crawler:***@db.example:5432/news" in text and "password=***" in text
    assert "Traceback" in text and "ConnectionError: cannot reach" in text


def test_error_line_is_one_masked_line() -> None:
    line = error_line(ValueError(f"{URL}: cannot open\nthe store"))
    assert line.startswith("newscrawl: error: ") and "\n" not in line and "hunter2" not in line
    assert error_line(FileNotFoundError(2, "No such file or directory", "/x/y")) == \
        "newscrawl: error: /x/y: No such file or directory"


def test_an_unexpected_error_prints_a_masked_traceback(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    def broken(_: object) -> int:
        raise RuntimeError(f"bug while talking to {URL}")

    monkeypatch.setitem(cli.COMMANDS, "stats", broken)
    assert cli.main(["stats"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: bug while talking to" in err and "hunter2" not in err


def test_scrapy_crawl_gets_the_masking_extension() -> None:
    from scrapy.settings import Settings

    from newscrawl.logmask import CredentialMasking

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    assert "newscrawl.logmask.CredentialMasking" in settings.getdict("EXTENSIONS")
    factory = logging.getLogRecordFactory()
    try:
        CredentialMasking.from_crawler(None)
        record = logging.getLogger("x").makeRecord("x", logging.INFO, __file__, 1, "to %s", (URL,), None)
        assert "hunter2" not in record.getMessage()
    finally:
        logging.setLogRecordFactory(factory)


def test_a_record_is_formatted_only_when_a_handler_asks(masked_logging: io.StringIO) -> None:
    """DEBUG records that no handler emits (Scrapy's "Scraped from <item>") cost no formatting."""
    formatted: list[int] = []

    class Item:
        def __str__(self) -> str:
            formatted.append(1)
            return f"item fetched from {URL}"

    logger = logging.getLogger("newscrawl.test_logmask")
    record = logger.makeRecord(logger.name, logging.DEBUG, __file__, 1, "Scraped %s", (Item(),), None)
    assert formatted == []
    assert "hunter2" not in record.getMessage() and "crawler:***@db.example" in record.getMessage()
    assert len(formatted) == 2
