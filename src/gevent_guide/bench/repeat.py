"""Hunt flaky tests: run the whole suite several times on a fresh clone, idle or loaded.

    make test-repeat N=5            # five runs
    make test-repeat N=5 STRESS=2   # the same next to two CPU-burning processes

Each run clones the current HEAD (committed work only) into a temporary folder and runs
what CI runs there (`bash .ci/run`, i.e. `make test`), with pytest writing a JUnit XML
report. The clone reuses this checkout's .venv and node_modules (hard links, or a copy
across file systems) so that `make test` finds them set up; --cold leaves them out and
lets `make test` install everything, as a first CI run does. At the end: each run's
result and time, and every test that failed in any run, with how often and the first
line of its first failure.

"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from gevent_guide.project import ROOT as REPO

WARM = {".venv": ".venv/.installed", "node_modules": "node_modules/.installed"}


@dataclass
class Result:
    number: int
    code: int
    seconds: float
    load: str
    counts: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # test id: first line of message

    @property
    def verdict(self) -> str:
        if not self.counts:
            return f"no report (exit {self.code})"
        bad = self.counts["failures"] + self.counts["errors"]
        word = "passed" if self.code == 0 and not bad else f"FAILED (exit {self.code})"
        parts = [f"{self.counts['tests']} tests"]
        parts += [f"{n} {k}" for k in ("failures", "errors", "skipped") if (n := self.counts[k])]
        return f"{word}: {', '.join(parts)}"


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def warm_up(clone: Path) -> None:
    """Give the clone this checkout's set-up tools, newer than the lock files, so that
    `make test` skips the set-up as it does on a second run."""
    for name, stamp in WARM.items():
        source = REPO / name
        if not (REPO / stamp).exists():
            print(f"  ({name} is not set up here: `make test` in the clone installs it)")
            continue
        try:
            run(["cp", "-al", str(source), str(clone / name)], capture_output=True)
        except subprocess.CalledProcessError:  # another file system: copy
            run(["cp", "-a", str(source), str(clone / name)], capture_output=True)
        (clone / stamp).touch()
    # the editable install of this project names its source folder: the clone's own
    for pth in (clone / ".venv").glob("lib/python*/site-packages/__editable__.*.pth"):
        pth.unlink()  # a hard link to this checkout's file: write a new one
        pth.write_text(f"{clone / 'src'}\n", encoding="utf-8")


def test_id(case: ET.Element) -> str:
    """tests/test_x.py::test_name[param] from pytest's classname "tests.test_x"."""
    return f"{case.get('classname', '?').replace('.', '/')}.py::{case.get('name')}"


def read_report(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    if not path.exists():
        return {}, {}
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = {
        k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")
    }
    failed = {}
    for case in root.iter("testcase"):
        for kind in ("failure", "error"):
            problem = case.find(kind)
            if problem is not None:
                message = (problem.get("message") or problem.text or "").strip()
                prefix = "ERROR at setup/teardown: " if kind == "error" else ""
                failed[test_id(case)] = prefix + (message.splitlines() or [""])[0][:160]
    return counts, failed


def one_run(number: int, total: int, folder: Path, cold: bool, keep_log: Path) -> Result:
    clone = folder / f"clone-{number}"
    run(["git", "clone", "--quiet", str(REPO), str(clone)], capture_output=True)
    if not cold:
        warm_up(clone)
    report = folder / f"run-{number}.xml"
    env = {**os.environ, "PYTEST_ADDOPTS": f"--junitxml={report} -p no:cacheprovider"}
    started, load_before = time.monotonic(), load()
    with keep_log.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            ["bash", ".ci/run"],
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = proc.wait()
        except KeyboardInterrupt:  # stop the whole run (make, pytest, its browser), not bash
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
    seconds = time.monotonic() - started
    counts, failed = read_report(report)
    result = Result(number, code, seconds, f"{load_before} -> {load()}", counts, failed)
    print(f"run {number}/{total}: {result.verdict} in {seconds:.1f} s (load {result.load})")
    for name, message in sorted(failed.items()):
        print(f"    {name}: {message}")
    if code and not failed:
        print(f"    no failing test in the report: see the log {keep_log}")
    shutil.rmtree(clone, ignore_errors=True)
    return result


BURN = "import os, sys\nparent = int(sys.argv[1])\nwhile os.getppid() == parent:\n    pass"


def burners(count: int) -> list[subprocess.Popen]:
    return [
        # burns while this script lives: when it is killed, its burners stop by themselves
        subprocess.Popen([sys.executable, "-c", BURN, str(os.getpid())], start_new_session=True)
        for _ in range(count)
    ]


def table(results: list[Result]) -> str:
    failing: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    for result in results:
        for name, message in result.failed.items():
            failing.setdefault(name, []).append(result.number)
            first.setdefault(name, message)
    if not failing:
        return f"no test failed in {len(results)} run(s)"
    width = max(len(name) for name in failing)
    lines = [
        f"{'test':{width}}  failed in runs  first failure",
        f"{'-' * width}  --------------  -------------",
    ]
    for name in sorted(failing, key=lambda n: (-len(failing[n]), n)):
        runs = f"{len(failing[name])}/{len(results)} ({','.join(map(str, failing[name]))})"
        lines.append(f"{name:{width}}  {runs:14}  {first[name]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="how many runs (N)")
    parser.add_argument("--stress", type=int, default=0, help="CPU-burning processes (STRESS)")
    parser.add_argument(
        "--cold", action="store_true", help="let make install .venv and node_modules"
    )
    args = parser.parse_args(argv)
    head = run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True).stdout
    dirty = run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True
    ).stdout
    print(
        f"{args.runs} run(s) of `bash .ci/run` on fresh clones of HEAD {head.strip()}"
        f"{' (uncommitted changes are not in it)' if dirty.strip() else ''},"
        f" {args.stress} CPU burner(s), {os.cpu_count()} CPUs, load {load()}"
    )
    folder = Path(tempfile.mkdtemp(prefix="gevent-guide-repeat-"))
    logs = folder / "logs"
    logs.mkdir()
    burning = burners(args.stress)
    results = []
    try:
        for number in range(1, args.runs + 1):
            log = logs / f"run-{number}.log"
            results.append(one_run(number, args.runs, folder, args.cold, log))
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        for proc in burning:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    print()
    print(table(results))
    times = [r.seconds for r in results]
    if times:
        print(f"\ntimes: min {min(times):.1f} s, max {max(times):.1f} s; logs in {logs}")
    bad = [r for r in results if r.code or r.failed]
    return 1 if bad or len(results) < args.runs else 0
