"""Settings outside the command line: newscrawl.toml / --config, NEWSCRAWL_* environment
variables, plain SQLite paths; precedence file < environment < command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newscrawl.resolver import parse_pins
from tests.e2e import FAST, serve_presstv


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newscrawl.cli", *args], capture_output=True, text=True,
                          timeout=180, cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "ignore", **env})


def test_newscrawl_toml_sets_store_sites_resolve_and_settings(tmp_path: Path) -> None:
    with serve_presstv(tmp_path, articles=4) as mock:
        pins = ", ".join(f'"{pin}"' for pin in mock.server.pins())
        settings = "\n".join(f"{entry.split('=')[0]} = {entry.split('=')[1]!r}" for entry in FAST[1::2])
        (tmp_path / "newscrawl.toml").write_text(
            f'store = "from-file.db"\nsites = "{mock.sites_file}"\nresolve = [{pins}]\n'
            f"[settings]\n{settings}\nNEWSCRAWL_MAX_ARTICLES = 2\n", encoding="utf-8")
        done = run(["crawl", "presstv", "-o", "a.jsonl"], tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        assert len((tmp_path / "a.jsonl").read_text().splitlines()) == 2  # the file's max articles
        assert (tmp_path / "from-file.db").exists()  # a plain path: a SQLite store
        listed = run(["stats"], tmp_path)  # every command's --store default
        assert listed.returncode == 0 and "presstv" in listed.stdout, listed.stderr
        env = run(["crawl", "presstv", "-o", "b.jsonl"], tmp_path, NEWSCRAWL_STORE=str(tmp_path / "env.db"),
                  NEWSCRAWL_MAX_ARTICLES="1")
        assert env.returncode == 0, env.stderr[-3000:]
        assert (tmp_path / "env.db").exists() and len((tmp_path / "b.jsonl").read_text().splitlines()) == 1
        cli = run(["crawl", "presstv", "-o", "c.jsonl", "--store", f"sqlite:///{tmp_path}/cli.db",
                   "--max-articles", "3"], tmp_path, NEWSCRAWL_STORE=str(tmp_path / "env.db"))
        assert cli.returncode == 0, cli.stderr[-3000:]
        assert (tmp_path / "cli.db").exists() and len((tmp_path / "c.jsonl").read_text().splitlines()) == 3


def test_a_bad_config_file_is_one_line_and_status_2(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("stor = 'x.db'\n", encoding="utf-8")
    done = run(["--config", "bad.toml", "stats"], tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "config file bad.toml: unknown key 'stor'" in done.stderr
    missing = run(["stats", "--config", "nope.toml"], tmp_path)
    assert missing.returncode == 2 and "config file nope.toml: cannot read" in missing.stderr
    (tmp_path / "broken.toml").write_text("store = \n", encoding="utf-8")
    broken = run(["stats"], tmp_path, NEWSCRAWL_CONFIG="broken.toml")
    assert broken.returncode == 2 and "not valid TOML" in broken.stderr


def test_resolve_takes_curls_host_port_addr_form() -> None:
    assert parse_pins(["www.example.com:443:203.0.113.7", "a.example:80:[::1]"]) == {
        "www.example.com": "203.0.113.7", "a.example": "::1"}


def test_help_lists_every_command_without_markup(tmp_path: Path) -> None:
    done = run(["--help"], tmp_path)
    assert done.returncode == 0
    for command in ("crawl", "monitor", "report", "pending", "duplicates", "schedule", "runs"):
        assert f"    {command} " in done.stdout
    assert "``" not in done.stdout and "Exit status" in done.stdout
