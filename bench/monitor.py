"""How long one monitor round takes for 50 domains, some blackholed, as a ratio to one probe
timeout (probes run concurrently, so it should be about 1 plus a little).

    .venv/bin/python bench/monitor.py [--domains 50] [--blackholed 10] [--timeout 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time

from newscrawl.monitor.config import MonitorConfig
from newscrawl.monitor.probe import probe_all
from newscrawl.resolver import parse_pins
from newscrawl.sites import get_site
from newscrawl.testing.mocksite import MockServer, build_mock_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=50)
    parser.add_argument("--blackholed", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=3.0, help="probe timeout, seconds")
    args = parser.parse_args()
    hosts = [f"www.mirror{i:02d}.presstv.test" for i in range(args.domains)]
    with MockServer(build_mock_site(12), [f"http://{host}" for host in hosts]) as server:
        for host in hosts[:args.blackholed]:
            server.set_mode(host, "blackhole")
        site = dataclasses.replace(get_site("presstv"), domains=tuple(server.origins))
        config = MonitorConfig(timeout=args.timeout, pins=parse_pins(server.pins()))
        started = time.monotonic()
        results = asyncio.run(probe_all([(site, origin) for origin in site.domains], config))
        elapsed = time.monotonic() - started
    classes = sorted({r.cls for r in results})
    counts = ", ".join(f"{sum(r.cls == c for r in results)} {c}" for c in classes)
    print(f"{args.domains} domains ({args.blackholed} blackholed): {counts}")
    print(f"elapsed {elapsed:.2f} s, probe timeout {args.timeout:g} s: ratio {elapsed / args.timeout:.2f}")


if __name__ == "__main__":
    main()
