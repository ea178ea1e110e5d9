"""``newscrawl crawl`` feeds with Scrapy's -o/-O/FEEDS semantics, the documented exit
statuses, and ``newscrawl pending`` (the real command, on the mock site)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from tests.e2e import CRAWL_ENV, FAST, MockPressTV, serve_presstv


def crawl(mock: MockPressTV, store: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newscrawl.cli", "crawl", "presstv", "--sites", str(mock.sites_file),
               "--store", f"sqlite:///{mock.tmp / store}", *FAST, *args]
    for pin in mock.server.pins():
        command += ["--resolve", pin]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, env=CRAWL_ENV, cwd=mock.tmp)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newscrawl.cli", *args], capture_output=True, text=True,
                          timeout=60, env=CRAWL_ENV, cwd=cwd)


def test_o_appends_O_overwrites_format_from_extension_or_suffix_and_feeds(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=6) as mock:
        out_csv, out_json, out_txt = tmp_path / "out.csv", tmp_path / "out.json", tmp_path / "out.txt"
        extra = tmp_path / "extra.jl"
        feeds = json.dumps({str(extra): {"format": "jsonlines"}})
        first = crawl(mock, "a.db", "-o", str(out_csv), "-o", f"{out_txt}:csv", "-s", f"FEEDS={feeds}")
        assert first.returncode == 0, first.stderr[-3000:]
        rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
        assert len(rows) == len(mock.site.manifest)
        assert isinstance(json.loads(rows[0]["images"]), list)  # nested fields as JSON, as export does
        assert isinstance(json.loads(rows[0]["sources"]), dict)
        assert len(list(csv.DictReader(out_txt.open(encoding="utf-8")))) == len(rows)  # FILE:FORMAT
        assert len(extra.read_text(encoding="utf-8").splitlines()) == len(rows)  # FEEDS honoured
        second = crawl(mock, "b.db", "-o", str(out_csv))  # a fresh store: every article again
        assert second.returncode == 0, second.stderr[-3000:]
        lines = out_csv.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("url,") and sum(line.startswith("url,") for line in lines) == 1
        assert len(list(csv.DictReader(out_csv.open(encoding="utf-8")))) == 2 * len(rows)  # appended
        for store in ("c.db", "d.db"):
            done = crawl(mock, store, "-O", str(out_json))
            assert done.returncode == 0, done.stderr[-3000:]
        assert len(json.loads(out_json.read_text(encoding="utf-8"))) == len(rows)  # overwritten: valid JSON


def test_an_unknown_format_and_both_o_and_O_are_one_line_and_status_2(tmp_path: Path) -> None:
    done = cli("crawl", "presstv", "-o", str(tmp_path / "out.txt"), cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("newscrawl: error: -o: Unrecognized output format 'txt'")
    both = cli("crawl", "presstv", "-o", "a.jsonl", "-O", "b.jsonl", cwd=tmp_path)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_exit_0_with_nothing_new_3_with_pending_requests_and_pending_lists_them(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=6) as mock:
        first = crawl(mock, "s.db", "-o", str(tmp_path / "1.jsonl"))
        assert first.returncode == 0, first.stderr[-3000:]
        again = crawl(mock, "s.db", "-o", str(tmp_path / "2.jsonl"))  # nothing new: still a success
        assert again.returncode == 0, again.stderr[-3000:]
        broken = mock.site.manifest[0]
        mock.site.pages[broken.path] = b"<html><body>Not the site</body></html>"  # every domain: mismatch
        mock.server.republish()
        done = crawl(mock, "t.db", "-o", str(tmp_path / "3.jsonl"))
        assert done.returncode == 3, done.stderr[-3000:]
        assert "newscrawl: exit status 3: 1 requests failed on every domain" in done.stderr
        listed = cli("pending", "--store", f"sqlite:///{tmp_path / 't.db'}", "--format", "json", cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        rows = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [row["url"] for row in rows] == [mock.domains[0] + broken.path]
        assert (rows[0]["classes"], rows[0]["tries"], rows[0]["site"]) == ("content_mismatch", 1, "presstv")
        table = cli("pending", "presstv", "--store", str(tmp_path / "t.db"), cwd=tmp_path)
        assert table.returncode == 0 and broken.path in table.stdout and "content_mismatch" in table.stdout


def test_exit_1_when_every_domain_fails(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=6) as mock:
        for origin in mock.server.origins:
            mock.server.set_mode(origin, "http_5xx")
        done = crawl(mock, "s.db", "-o", str(tmp_path / "1.jsonl"))
        assert done.returncode == 1, done.stderr[-3000:]
        assert "newscrawl: exit status 1: every domain of the site failed" in done.stderr
