"""A near-duplicate met by a crawl is recorded, listed by ``newscrawl duplicates`` and not
fetched again; the threshold setting turns it off (the real command, on the mock site)."""

from __future__ import annotations

import json
from pathlib import Path

from newscrawl.testing.mocksite import MockSite
from tests.e2e import serve_presstv
from tests.test_cli_feeds import cli, crawl


def make_near_copy(site: MockSite) -> tuple[str, str]:
    """Article 2's page becomes article 1's story with another footer and headline (the template
    of a small site whose articles differ little); returns both paths."""
    first, second = site.manifest[0], site.manifest[1]
    page = site.pages[first.path].decode("utf-8").replace(first.path, second.path)
    page = page.replace(first.headline, "Another headline of the same story")
    page = page.replace("</p>", " Read more of our coverage on the site every day.</p>", 1)
    site.pages[second.path] = page.encode("utf-8")
    return first.path, second.path


def test_a_near_duplicate_is_recorded_listed_and_not_fetched_again(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=6) as mock:
        paths = make_near_copy(mock.site)
        mock.server.republish()
        first = crawl(mock, "s.db", "-o", str(tmp_path / "1.jsonl"))
        assert first.returncode == 0, first.stderr[-3000:]
        assert "1 near-duplicates (newscrawl duplicates lists them)" in first.stdout, first.stdout
        store = str(tmp_path / "s.db")
        listed = cli("duplicates", "presstv", "--store", store, "--format", "json", cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        rows = [json.loads(line) for line in listed.stdout.splitlines()]
        assert len(rows) == 1 and rows[0]["kind"] == "near_duplicate" and rows[0]["similarity"] >= 0.5
        urls = {rows[0]["url"], rows[0]["matched_url"]}
        assert urls == {mock.domains[0] + path for path in paths}
        table = cli("duplicates", "--store", str(tmp_path / "s.db"), cwd=tmp_path)
        assert rows[0]["url"] in table.stdout and "near_duplicate" in table.stdout
        dropped = rows[0]["url"].removeprefix(mock.domains[0])
        mock.server.clear_log()
        again = crawl(mock, "s.db", "-o", str(tmp_path / "2.jsonl"))
        assert again.returncode == 0, again.stderr[-3000:]
        assert mock.server.hits(dropped) == 0  # recorded: not fetched again
        off = crawl(mock, "t.db", "-o", str(tmp_path / "3.jsonl"), "-s", "NEWSCRAWL_DEDUP_NEAR_SIMILARITY=0")
        assert off.returncode == 0, off.stderr[-3000:]
        assert len((tmp_path / "3.jsonl").read_text(encoding="utf-8").splitlines()) == len(mock.site.manifest)
