"""The schedule file (TOML): global keys and ``[jobs.NAME]`` tables, checked whole at start.

Every problem is one ``ValueError`` line naming the file, the job and what is wrong.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.bounds import parse_since
from newscrawl.crawl import JOB_NAME
from newscrawl.schedule.triggers import Trigger, cron_trigger, in_words, interval_trigger, parse_duration
from newscrawl.sites import SiteError, load_sites

GLOBAL_KEYS = {"store", "sites", "alert_webhook", "alert_after_empty", "timezone", "jobs"}
JOB_KEYS = {"site", "monitor", "every", "cron", "timezone", "jitter", "timeout", "catch_up",
            "options", "alert_webhook", "alert_after_empty"}
# option -> accepted type; crawl options are ``newscrawl crawl`` options, monitor ones ``monitor``'s
CRAWL_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "max_articles": int, "since": str, "sites": str, "store": str, "resolve": list, "refresh": bool,
    "settings": dict, "output": str, "loglevel": str, "job": str}
MONITOR_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "sites": str, "store": str, "resolve": list, "timeout": (int, float), "failures": int,
    "successes": int, "webhook": str, "loglevel": str}
CATCH_UP = ("latest", "skip")


@dataclass(frozen=True)
class JobSpec:
    """One job of the schedule file."""

    name: str
    sites: tuple[str, ...]
    """The crawled site; for a monitor job, the probed sites (empty: every site)."""
    trigger: Trigger
    schedule: str
    """The schedule in words, e.g. ``every 1h`` or ``cron */15 * * * * (Asia/Tehran)``."""
    monitor: bool = False
    jitter: float = 0.0
    timeout: float | None = None
    catch_up: str = "latest"
    options: dict[str, Any] = field(default_factory=dict)
    webhook: str = ""
    alert_after_empty: int | None = None

    @property
    def site(self) -> str:
        return ",".join(self.sites) if self.sites else "*"


@dataclass(frozen=True)
class ScheduleConfig:
    path: str
    store: str | None
    jobs: dict[str, JobSpec]


def _timezone(name: Any, where: str) -> tzinfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{where}: unknown timezone {name!r}") from None


def _check_options(options: Any, allowed: dict[str, type | tuple[type, ...]], where: str) -> dict[str, Any]:
    if not isinstance(options, dict):
        raise ValueError(f"{where}: 'options' must be a table")
    for key, value in options.items():
        if key not in allowed:
            raise ValueError(f"{where}: unknown option {key!r} (known: {', '.join(sorted(allowed))})")
        wanted = allowed[key]
        if not isinstance(value, wanted) or (isinstance(value, bool) and wanted is int):
            raise ValueError(f"{where}: option {key!r} has the wrong type ({type(value).__name__})")
    if "since" in options:
        try:
            parse_since(options["since"])
        except ValueError as exc:
            raise ValueError(f"{where}: option {exc}") from None
    if "job" in options and not JOB_NAME.fullmatch(options["job"]):
        raise ValueError(f"{where}: option 'job' {options['job']!r}: letters, digits, '.', '_', '-' only")
    return dict(options)


def _trigger(table: dict[str, Any], default_tz: str, where: str) -> tuple[Trigger, str]:
    if ("every" in table) == ("cron" in table):
        raise ValueError(f"{where}: give exactly one of 'every' and 'cron'")
    if "every" in table:
        if "timezone" in table:
            raise ValueError(f"{where}: 'timezone' goes with 'cron', not 'every'")
        seconds = parse_duration(table["every"])
        return interval_trigger(seconds), f"every {in_words(seconds)}"
    tz_name = table.get("timezone", default_tz)
    expression = str(table["cron"])
    try:
        trigger = cron_trigger(expression, _timezone(tz_name, where))
    except ValueError as exc:
        raise ValueError(f"{where}: cron {expression!r}: {exc}") from None
    return trigger, f"cron {expression} ({tz_name})"


def _job(name: str, table: Any, defaults: dict[str, Any], known_sites: set[str], where: str) -> JobSpec:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table [jobs.{name}]")
    unknown = sorted(set(table) - JOB_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(JOB_KEYS))})")
    if not JOB_NAME.fullmatch(name):
        raise ValueError(f"{where}: a job name is letters, digits, '.', '_' and '-'")
    monitor = table.get("monitor", False) is True
    sites = table.get("site", [] if monitor else None)
    if sites is None:
        raise ValueError(f"{where}: 'site' is missing (or set monitor = true)")
    sites = [sites] if isinstance(sites, str) else sites
    if not isinstance(sites, list) or (len(sites) != 1 and not monitor):
        raise ValueError(f"{where}: 'site' is one site name" + (" or a list" if monitor else ""))
    options = _check_options(table.get("options", {}), MONITOR_OPTIONS if monitor else CRAWL_OPTIONS, where)
    if defaults["sites"] and "sites" not in options:
        options["sites"] = str(defaults["sites"])
    if "sites" in options:
        known_sites = set(load_sites(options["sites"]))
    for site in sites:
        if site not in known_sites:
            raise ValueError(f"{where}: unknown site {site!r} (known: {', '.join(sorted(known_sites))})")
    trigger, words = _trigger(table, defaults["timezone"], where)
    catch_up = table.get("catch_up", "latest")
    if catch_up not in CATCH_UP:
        raise ValueError(f"{where}: catch_up is 'latest' or 'skip', not {catch_up!r}")
    empty = table.get("alert_after_empty", defaults["alert_after_empty"])
    if empty is not None and (not isinstance(empty, int) or isinstance(empty, bool) or empty < 0):
        raise ValueError(f"{where}: alert_after_empty is a number of runs (0: never)")
    return JobSpec(
        name=name, sites=tuple(sites), trigger=trigger, schedule=words, monitor=monitor,
        jitter=parse_duration(table["jitter"]) if "jitter" in table else 0.0,
        timeout=parse_duration(table["timeout"]) if "timeout" in table else None,
        catch_up=catch_up, options=options, alert_after_empty=empty,
        webhook=str(table.get("alert_webhook", defaults["alert_webhook"]) or ""))


def load_schedule(path: str | Path) -> ScheduleConfig:
    """Read and check the schedule file at ``path``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the schedule file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - GLOBAL_KEYS)
    if unknown:
        raise ValueError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(GLOBAL_KEYS))})")
    jobs = data.get("jobs", {})
    if not isinstance(jobs, dict) or not jobs:
        raise ValueError(f"{path}: no jobs (add a [jobs.NAME] table)")
    defaults = {"timezone": data.get("timezone", "UTC"), "alert_webhook": data.get("alert_webhook", ""),
                "alert_after_empty": data.get("alert_after_empty"), "sites": data.get("sites")}
    _timezone(defaults["timezone"], str(path))
    try:
        known = set(load_sites(data.get("sites")))
    except SiteError as exc:
        raise ValueError(f"{path}: {exc}") from None
    specs = {}
    for name, table in jobs.items():
        where = f"{path}: job {name!r}"
        try:
            specs[name] = _job(name, table, defaults, known, where)
        except SiteError as exc:
            raise ValueError(f"{where}: {exc}") from None
        except ValueError as exc:
            raise ValueError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from None
    store = data.get("store")
    return ScheduleConfig(str(path), str(store) if store else None, specs)
