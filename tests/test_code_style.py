"""The project's own code (src, tests, scripts) passes ruff's lint and format checks
with the config in pyproject.toml. (Snippets are linted by tests/test_snippets.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gevent_guide import snippets

RUFF = Path(sys.executable).with_name("ruff")
PATHS = ["src", "tests", "scripts"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RUFF), *args, *PATHS],
        cwd=snippets.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_lint_is_clean() -> None:
    result = ruff("check", "--no-cache", "--output-format=concise")
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\nfix: make format"


def test_ruff_format_is_clean() -> None:
    result = ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\nfix: make format"
