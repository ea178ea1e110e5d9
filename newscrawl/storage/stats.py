"""What ``newscrawl stats`` prints: counts per site, per day and per mirror."""

from __future__ import annotations

from dataclasses import dataclass, field

from newscrawl.storage.base import StoreBase

DAY = "substr(COALESCE(NULLIF(published_at, ''), first_seen), 1, 10)"
QUERIES = {
    "sites": "SELECT site, COUNT(*), SUM(CASE WHEN revision > 1 THEN 1 ELSE 0 END) "
             "FROM articles GROUP BY site ORDER BY site",
    "days": f"SELECT site, {DAY} AS day, COUNT(*) FROM articles GROUP BY site, day ORDER BY site, day",
    "mirrors": "SELECT site, mirror, COUNT(*) FROM articles GROUP BY site, mirror ORDER BY site, mirror",
    "pending": "SELECT site, COUNT(*) FROM pending WHERE resolved_at IS NULL GROUP BY site ORDER BY site",
    "runs": "SELECT site, COUNT(DISTINCT COALESCE(crawl, CAST(id AS TEXT))), MAX(started_at) FROM runs "
            "GROUP BY site ORDER BY site",  # a distributed crawl's workers: one run
}


@dataclass(frozen=True)
class SiteCount:
    site: str
    articles: int
    revised: int
    """Articles stored in more than one revision."""
    pending: int = 0
    runs: int = 0
    last_run: str = ""
    """Start of the latest crawl run (ISO 8601 UTC), empty when none."""


@dataclass(frozen=True)
class StoreStats:
    """Counts per site; per site and day (publication date, else first stored); per site and mirror."""

    sites: list[SiteCount] = field(default_factory=list)
    days: list[tuple[str, str, int]] = field(default_factory=list)
    mirrors: list[tuple[str, str, int]] = field(default_factory=list)


class StatsStore(StoreBase):
    def stats(self) -> StoreStats:
        rows: dict[str, list[tuple[str, ...]]] = {}
        with self.read() as cur:
            for name, sql in QUERIES.items():
                cur.execute(self.sql(sql))
                rows[name] = [tuple("" if value is None else str(value) for value in row)
                              for row in cur.fetchall()]
        pending = {site: int(count) for site, count in rows["pending"]}
        runs = {site: (int(count), last) for site, count, last in rows["runs"]}
        names = sorted({r[0] for r in rows["sites"]} | set(pending) | set(runs))
        articles = {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows["sites"]}
        sites = [SiteCount(name, *articles.get(name, (0, 0)), pending.get(name, 0),
                           *runs.get(name, (0, ""))) for name in names]
        return StoreStats(sites, [(s, d, int(c)) for s, d, c in rows["days"]],
                          [(s, m, int(c)) for s, m, c in rows["mirrors"]])
