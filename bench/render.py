"""Pages through the browser (newscrawl.render) against plain fetches, on the app-shell mock
site (newscrawl/testing/appshell.py, 127.0.0.1), each crawl the real CLI in a child process:

- plain: N plain articles, ``render = "never"``: pages/s of plain fetches;
- browser: the same N pages, ``render = "always"``: pages/s through headless Chromium;
- shells: N app-shell articles, ``render = "auto"``: each fetched plainly, found to be a
  shell and rendered (or sent straight to the browser once its URL pattern is learned);
- mixed: a site that needs the browser for a third of its articles, ``auto``: the share of
  pages rendered, and whether any plain page was.

Per crawl: pages stored, seconds (the crawl's own ``elapsed_time_seconds``), pages/s, pages
rendered, plain pages (``/news/``) rendered, the reasons, and the peak memory of the crawl's
whole process tree (the crawler, its extraction worker, Playwright's driver, Chromium's
processes), sampled every 0.2 s from /proc: the sum of their PSS (a page shared by several
processes counted once, in shares; their summed RSS would count Chromium's shared memory
once per process).

    .venv/bin/python bench/render.py [--pages 300] [--ceiling-mib 1024]

Exits 1 when a crawl with the browser peaks above ``--ceiling-mib`` (the documented ceiling).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.testing.appshell import AppShellServer, AppShellSite  # noqa: E402

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSCRAWL_DEDUP_NEAR_SIMILARITY=0")


@dataclass
class Row:
    name: str
    pages: int
    seconds: float
    rendered: int
    reasons: dict[str, int]
    plain_rendered: int
    peak_mib: float

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_pss_kib(root: int) -> int:
    """The memory of ``root`` and every descendant, KiB: their summed PSS (shared pages
    divided among the processes sharing them), else RSS where PSS cannot be read."""
    tree, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            match = re.search(r"Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text())
            if match is None:
                match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        except OSError:
            continue
        total += int(match.group(1)) if match else 0
    return total


def crawl(name: str, site: AppShellSite, render: str, folder: Path) -> Row:
    with AppShellServer(site) as server:
        sites = folder / f"{name}.toml"
        sites.write_text(server.sites_toml(render=render), encoding="utf-8")
        output = folder / f"{name}.jsonl"
        command = [sys.executable, "-m", "newscrawl.cli", "crawl", "appshell", "--sites", str(sites),
                   "--store", f"sqlite:///{folder / name}.db", "-O", str(output), "-L", "INFO", *FAST]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, log = process.communicate()
        done.set()
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{name}: the crawl exited {process.returncode}:\n{log[-3000:]}")
    match = re.search(r"Dumping Scrapy stats:\n(\{.*?\})\n", log, re.S)
    if not match:
        raise SystemExit(f"{name}: no stats in the crawl's log:\n{log[-3000:]}")
    stats: dict[str, Any] = ast.literal_eval(re.sub(r"datetime\.datetime\([^)]*\)", "None", match.group(1)))
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    prefix = "newscrawl/render/reason/"
    return Row(name, len(items), float(stats["elapsed_time_seconds"]),
               sum(1 for item in items if item["rendered"]),
               {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)},
               sum(1 for item in items if item["rendered"] and "/news/" in item["url"]),
               peak[0] / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="articles per crawl (default 300)")
    parser.add_argument("--ceiling-mib", type=float, default=1024.0,
                        help="peak memory a crawl with the browser may reach (default 1024)")
    args = parser.parse_args()
    n = args.pages
    runs = [("plain", AppShellSite(plain=n, shells=0), "never"),
            ("browser", AppShellSite(plain=n, shells=0), "always"),
            ("shells", AppShellSite(plain=0, shells=n), "auto"),
            ("mixed", AppShellSite(plain=n - n // 3, shells=n // 3), "auto")]
    with tempfile.TemporaryDirectory() as tmp:
        rows = [crawl(name, site, render, Path(tmp)) for name, site, render in runs]
    print(f"{'crawl':8} {'pages':>5} {'seconds':>8} {'pages/s':>8} {'rendered':>8} "
          f"{'plain rendered':>14} {'peak PSS MiB':>12}  reasons")
    for row in rows:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(row.reasons.items())) or "-"
        print(f"{row.name:8} {row.pages:5d} {row.seconds:8.1f} {row.rate:8.1f} {row.rendered:8d} "
              f"{row.plain_rendered:14d} {row.peak_mib:12.0f}  {reasons}")
    plain, browser, mixed = rows[0], rows[1], rows[3]
    if browser.rate:
        print(f"plain fetch / browser on the same pages: {plain.rate / browser.rate:.1f}x")
    share = 100 * mixed.rendered / max(mixed.pages, 1)
    print(f"mixed site: {mixed.rendered} of {mixed.pages} pages rendered ({share:.0f}%), "
          f"plain pages rendered: {mixed.plain_rendered}")
    over = [row for row in rows if row.peak_mib > args.ceiling_mib]
    if over:
        raise SystemExit(f"over the {args.ceiling_mib:.0f} MiB ceiling: "
                         + ", ".join(f"{row.name} {row.peak_mib:.0f} MiB" for row in over))


if __name__ == "__main__":
    main()
