"""Is every shown output stable? Runs the example suite N times in a row (default 10)
while busy processes keep both cores loaded; each run starts all snippets at once.

    gevent-guide determinism [--runs 10] [--no-load]

Prints one line per run and the snippets that ever differed from their .out file."""

from __future__ import annotations

import argparse
import multiprocessing
import re
import subprocess
import time

from gevent_guide.bench.examples import EXAMPLE_SUITE
from gevent_guide.project import ROOT as REPO


def burn() -> None:
    while True:
        sum(i * i for i in range(10_000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-load", action="store_true", help="do not load the CPUs")
    args = parser.parse_args(argv)
    burners = []
    if not args.no_load:
        burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(2)]
        for b in burners:
            b.start()
    failures: dict[str, int] = {}
    try:
        for n in range(1, args.runs + 1):
            start = time.monotonic()
            result = subprocess.run(
                EXAMPLE_SUITE,
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            failed = re.findall(r"^FAILED \S+\[(.+?)\]", result.stdout, flags=re.M)
            for name in failed:
                failures[name] = failures.get(name, 0) + 1
            last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
            print(f"run {n:2d}: {time.monotonic() - start:5.1f} s  {last}")
    finally:
        for b in burners:
            b.terminate()
    load = "no extra load" if args.no_load else f"{len(burners)} busy processes"
    if failures:
        print(f"unstable under {load}: " + ", ".join(f"{k} ({v}x)" for k, v in failures.items()))
        return 1
    print(f"all outputs identical in {args.runs} runs under {load}")
    return 0
