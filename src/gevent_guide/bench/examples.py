"""Speed figures, printed (a benchmark, not a timed test).

    gevent-guide bench --only examples   # suite wall time vs slowest snippet; build time

1. Each snippet alone, one after the other, through the same sandbox the tests use:
   its own run time. The slowest one is the floor for the whole suite.
2. The example suite as the tests run it (tests/test_snippets.py + tests/test_servers.py,
   all snippets concurrently, lint included): wall time. Target: <= 1.5 x the slowest.
3. `mkdocs build --strict`: wall time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gevent_guide import runs
from gevent_guide.project import ROOT, build_site
from gevent_guide.snippets import all_snippets

TARGET_RATIO = 1.5
EXAMPLE_SUITE = [
    *(sys.executable, "-m", "pytest", "-q"),
    *("tests/test_snippets.py", "tests/test_servers.py"),
]


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)
    return time.monotonic() - start, result


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="gevent-guide bench --only examples", description=__doc__.split("\n\n")[0]
    ).parse_args(argv)
    print("1. each snippet alone (sandboxed, sequential)")
    alone = {}
    for snippet in all_snippets():
        if snippet.server or snippet.network:
            continue  # servers run until stopped; network ones need the test stand-ins
        run = runs.start(snippet).finish()
        alone[snippet.rel] = run.duration
        print(f"   {run.duration:6.2f} s  {snippet.rel}")
    slowest_name = max(alone, key=alone.get)
    slowest = alone[slowest_name]
    print(f"   slowest: {slowest_name} {slowest:.2f} s; sum of all: {sum(alone.values()):.2f} s")

    print("2. the example suite (pytest, concurrent; the longest examples start first)")
    # a first run records each example's time in pytest's cache, which the launcher
    # reads to start the longest first (tests/conftest.py); the second run is timed
    warm, _ = timed(EXAMPLE_SUITE)
    print(f"   {warm:6.2f} s  (the first run, untimed order)")
    suite, result = timed(EXAMPLE_SUITE)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    print(f"   {suite:6.2f} s  ({summary})")
    ratio = suite / slowest
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"   ratio suite / slowest = {ratio:.2f} (target <= {TARGET_RATIO}): {verdict}")

    print("3. mkdocs build --strict")
    with tempfile.TemporaryDirectory() as site:
        start = time.monotonic()
        result = build_site(Path(site))
        build = time.monotonic() - start
    print(f"   {build:6.2f} s  (exit {result.returncode})")
    return 0 if ratio <= TARGET_RATIO and result.returncode == 0 else 1
