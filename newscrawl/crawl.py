"""Run one crawl of one site in this process: settings from options, then Scrapy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newscrawl.bounds import parse_since
from newscrawl.classify.fingerprints import fingerprints_from_settings
from newscrawl.distributed import key_prefix, redis_settings
from newscrawl.exitstatus import OK_REASONS as OK_REASONS
from newscrawl.exitstatus import crawl_exit
from newscrawl.feedguard import FEED_FAILED
from newscrawl.feeds import crawl_feeds, json_lines_files
from newscrawl.inputs import JOB_NAME as JOB_NAME  # re-exported: the scheduler checks job names
from newscrawl.inputs import check_job_name
from newscrawl.joboutput import reconcile_output
from newscrawl.jobs import end_job, job_changed_at, job_state, start_job
from newscrawl.resolver import parse_pins
from newscrawl.settingcheck import check_settings
from newscrawl.sites import Site
from newscrawl.spiders.news import spider_class
from newscrawl.storage import store_url
from newscrawl.summary import RunSummary


@dataclass
class CrawlOptions:
    """What the ``crawl`` command (or the demo) asks for."""

    site: Site
    sites_file: str | None = None
    resolve: Sequence[str] = ()
    store: str | None = None
    output: str | Sequence[str] | None = None
    """``-o``: feed URIs appended to (a format from the extension or ``:format``)."""
    overwrite: Sequence[str] = ()
    """``-O``: feed URIs overwritten."""
    max_articles: int | None = None
    since: str | None = None
    settings: Sequence[str] = ()
    loglevel: str | None = None
    job: str | None = None
    refresh: bool = False
    redis: str | None = None
    """``--redis URL``: a worker of the crawl kept in that Redis (``newscrawl.distributed``)."""
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class CrawlResult:
    """How the crawl ended."""

    reason: str
    summary: str
    output: str
    stats: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.reason in OK_REASONS

    @property
    def exit_status(self) -> tuple[int, str]:
        """The documented exit status and why (``newscrawl.exitstatus``)."""
        return crawl_exit(self.reason, self.stats)


def parse_setting(entry: str) -> tuple[str, str]:
    """``NAME=VALUE`` from ``-s``; anything else is refused in one line."""
    name, sep, value = entry.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"-s {entry!r}: expected NAME=VALUE")
    return name.strip(), value


def default_output(site: str, job: str | None = None) -> str:
    """``output/<site>-<UTC timestamp>.jsonl``; for a job ``output/<site>-<job>.jsonl``, the
    same file for every run of the job (a resumed run appends to it)."""
    if job is not None:
        return f"output/{site}-{job}.jsonl"
    return f"output/{site}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.jsonl"


def job_dir(jobs_dir: str, site: str, job: str) -> str:
    """``<jobs_dir>/<site>-<job>``: Scrapy's JOBDIR of a named, resumable crawl."""
    return str(Path(jobs_dir) / f"{site}-{check_job_name(job)}")


def build_settings(options: CrawlOptions) -> tuple[Settings, str]:
    """Project defaults, then the options (command line priority); returns the feed path."""
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    cmdline: dict[str, Any] = dict(options.overrides)
    if options.sites_file:
        cmdline["NEWSCRAWL_SITES_FILE"] = options.sites_file
    if options.resolve:
        parse_pins(options.resolve)  # refuse a bad entry before Scrapy starts
        cmdline["NEWSCRAWL_RESOLVE"] = list(options.resolve)
    if options.store:
        cmdline["NEWSCRAWL_STORE"] = store_url(options.store)
    if options.max_articles is not None:
        if options.max_articles < 1:
            raise ValueError("--max-articles must be a positive number")
        cmdline["NEWSCRAWL_MAX_ARTICLES"] = options.max_articles
    if options.since:
        parse_since(options.since)
        cmdline["NEWSCRAWL_SINCE"] = options.since
    if options.loglevel:
        cmdline["LOG_LEVEL"] = options.loglevel.upper()
    if options.refresh:
        cmdline["NEWSCRAWL_REFRESH"] = True
    if options.redis:
        cmdline["NEWSCRAWL_REDIS_URL"] = options.redis
    given = dict(parse_setting(entry) for entry in options.settings)
    cmdline.update(given)
    redis_url = cmdline.get("NEWSCRAWL_REDIS_URL") or settings.get("NEWSCRAWL_REDIS_URL")
    if options.job is not None and not redis_url:  # with Redis, the job is its keys there
        jobs_dir = cmdline.get("NEWSCRAWL_JOBS_DIR") or settings.get("NEWSCRAWL_JOBS_DIR")
        cmdline["JOBDIR"] = job_dir(jobs_dir, options.site.name, options.job)
    check_settings({**given, **({"LOG_LEVEL": options.loglevel} if options.loglevel else {})})
    settings.setdict(cmdline, priority="cmdline")
    if redis_url:
        redis_settings(settings, key_prefix(options.site.name, options.job))
    fingerprints_from_settings(settings)  # a bad NEWSCRAWL_FINGERPRINTS_FILE: one line, now
    resumed = bool(options.job) and not redis_url and job_state(cmdline["JOBDIR"]) != "new"
    append = [options.output] if isinstance(options.output, str) else list(options.output or ())
    feeds = crawl_feeds(settings, append, options.overwrite,
                        default_output(options.site.name, options.job), resumed)
    settings.set("FEEDS", feeds, priority="cmdline")
    return settings, ", ".join(feeds)


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Crawl ``options.site`` to the end (blocking) and report how it went."""
    settings, output = build_settings(options)
    store = store_url(settings.get("NEWSCRAWL_STORE", ""))
    if store.startswith("sqlite:///"):
        Path(store.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if settings.getbool("NEWSCRAWL_STORE_ENABLED"):
        check_store(store)
    if settings.get("NEWSCRAWL_REDIS_URL"):
        try:
            from newscrawl.distributed.scheduler import connect
        except ImportError as exc:  # scrapy-redis is the optional extra
            raise ValueError(f"--redis needs scrapy-redis and redis ({exc}): "
                             "pip install 'newscrawl[redis]'") from None
        connect(settings["NEWSCRAWL_REDIS_URL"]).close()  # unreachable: one line, exit 2
    jobdir = settings.get("JOBDIR")
    if jobdir:
        interrupted_at = job_changed_at(jobdir)
        if start_job(jobdir) == "running":  # killed: the job's JSON lines catch up with the store
            for path in json_lines_files(settings.getdict("FEEDS")):
                reconcile_output(path, store if settings.getbool("NEWSCRAWL_STORE_ENABLED") else None,
                                 options.site.name, interrupted_at)
    process = CrawlerProcess(settings)
    spidercls = spider_class(options.site.name)
    crawler = process.create_crawler(spidercls)
    process.crawl(crawler, site=options.site)
    process.start()
    if jobdir:
        end_job(jobdir)
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    summary = next((ext.text for ext in crawler.extensions.middlewares
                    if isinstance(ext, RunSummary)), "")
    return CrawlResult(reason=crawl_reason(stats), summary=summary, output=output, stats=stats)


def check_store(url: str) -> None:
    """Open and close the store once before Scrapy starts: a bad URL, a corrupted file, an
    unreachable server or a store of a newer version raise ``StoreError`` (one line)."""
    from newscrawl.storage import open_store

    open_store(url).close()


def crawl_reason(stats: dict[str, Any]) -> str:
    """How the crawl ended: Scrapy's close reason, but ``store_failed`` whenever the store
    failed (even at the last batch of a crawl that had finished), so it never exits 0."""
    from newscrawl.storepipeline import STORE_FAILED

    if stats.get("newscrawl/store/error"):
        return STORE_FAILED
    if stats.get("newscrawl/feed/error") or any(key.startswith("feedexport/failed_count/") for key in stats):
        return FEED_FAILED  # the JSON lines could not be written (or closed): never exit 0
    return str(stats.get("finish_reason", "unknown"))
