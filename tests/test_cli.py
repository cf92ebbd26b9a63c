"""The project's command line as a contributor types it: asking a command for help prints
its help and runs nothing; a mistyped option is refused with the way to say it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gevent_guide.cli import BENCHES

CLI = Path(sys.executable).parent / "gevent-guide"  # the venv's console script


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


def test_bench_help_prints_help_and_runs_no_bench() -> None:
    result = run("bench", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: gevent-guide bench"), result.stdout
    for name in BENCHES:
        assert name in result.stdout, f"the help does not name the {name} bench"
    # the first bench (examples) prints this as it starts
    assert "each snippet alone" not in result.stdout


@pytest.mark.parametrize("name", [b for b in BENCHES if b != "search"])
def test_each_bench_has_its_own_help(name: str) -> None:
    result = run("bench", "--only", name, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: gevent-guide bench --only {name}"), result.stdout


def test_an_option_without_its_bench_is_refused_with_the_fix() -> None:
    result = run("bench", "--site", "site/")
    assert result.returncode == 2
    assert "--site site/: a bench's own options need --only NAME before them" in result.stderr


def test_an_unknown_bench_is_refused_naming_the_benches() -> None:
    result = run("bench", "--only", "speed")
    assert result.returncode == 2
    assert "invalid choice: 'speed'" in result.stderr
    assert all(name in result.stderr for name in BENCHES)
