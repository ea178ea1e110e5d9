"""``-s NAME=VALUE`` checks (``newscrawl.settingcheck``): what is accepted, what is refused in
one line, the warning for a near-miss name. The CLI side is in test_cli_inputs.py."""

from __future__ import annotations

import pytest

from newscrawl.settingcheck import check_settings


@pytest.mark.parametrize(("name", "value"), [
    ("DOWNLOAD_TIMEOUT", "0.5"), ("DNS_TIMEOUT", "2.5"), ("DOWNLOAD_DELAY", "0"),
    ("CONCURRENT_REQUESTS", "32"), ("LOG_LEVEL", "debug"), ("ROBOTSTXT_OBEY", "false"),
    ("DEFAULT_REQUEST_HEADERS", '{"Accept-Language": "fa"}'), ("DEPTH_PRIORITY", "-1"),
    ("NEWSCRAWL_STORE_BATCH", "200"), ("NEWSCRAWL_MAX_ARTICLES", "0"), ("MY_PLUGIN_OPTION", "x"),
])
def test_good_values_pass(name: str, value: str) -> None:
    check_settings({name: value})


@pytest.mark.parametrize(("name", "value", "message"), [
    ("DOWNLOAD_TIMEOUT", "0", "must be above 0"),
    ("DOWNLOAD_DELAY", "inf", "expected a number"),
    ("RETRY_TIMES", "1.5", "expected a whole number"),
    ("CONCURRENT_REQUESTS", "8.0", "expected a whole number"),
    ("NEWSCRAWL_STORE_BATCH", "1e3", "expected a whole number"),
    ("NEWSCRAWL_EXTRACT_WORKERS", "-1", "must not be negative"),
    ("TELNETCONSOLE_ENABLED", "perhaps", "expected true or false"),
    ("NEWSCRAWL_STORE_BATCHES", "5", "did you mean NEWSCRAWL_STORE_BATCH?"),
])
def test_bad_values_are_one_line(name: str, value: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        check_settings({name: value})
    assert message in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith(f"-s {name}")


def test_a_near_miss_name_is_passed_on_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    check_settings({"DOWNLAOD_DELAY": "2"})
    assert capsys.readouterr().err == ("newscrawl: warning: -s DOWNLAOD_DELAY: not a Scrapy or newscrawl "
                                       "setting (did you mean DOWNLOAD_DELAY?); passed on as given\n")
