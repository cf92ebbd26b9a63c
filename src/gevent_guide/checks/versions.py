"""verified-with.json names the gevent and greenlet this run uses (written by
`gevent-guide update-output`)."""

from __future__ import annotations

import json
import platform
from pathlib import Path

from gevent_guide.checks.common import REPO, VERSIONS_FILE


def running_versions() -> dict[str, str]:
    import gevent
    import greenlet

    return {
        "gevent": gevent.__version__,
        "greenlet": greenlet.__version__,
        "python": ".".join(platform.python_version_tuple()[:2]),
    }


def write_versions(root: Path = REPO) -> bool:
    """Record what this run used; returns True if the file changed."""
    path = root / VERSIONS_FILE
    text = json.dumps(running_versions(), indent=2) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def versions(root: Path = REPO) -> tuple[list[str], list[str]]:
    """(failures, notes) comparing verified-with.json with what this run uses."""
    path = root / VERSIONS_FILE
    fix = (
        "run `make update-output` (it re-runs every example and records the versions),"
        f" review the changed .out files and commit them with {VERSIONS_FILE}"
    )
    if not path.exists():
        return [f"{VERSIONS_FILE}:1: missing; fix: {fix}"], []
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{VERSIONS_FILE}:{exc.lineno}: not valid JSON ({exc.msg}); fix: {fix}"], []
    rows = path.read_text(encoding="utf-8").splitlines()
    now = running_versions()
    failures, notes = [], []
    for key in ("gevent", "greenlet", "python"):
        line = next((i for i, r in enumerate(rows, 1) if f'"{key}"' in r), 1)
        if key not in recorded:
            failures.append(f"{VERSIONS_FILE}:{line}: has no {key} version; fix: {fix}")
        elif recorded[key] != now[key]:
            if key == "python":
                notes.append(
                    f"{VERSIONS_FILE}:{line}: the outputs were recorded with Python"
                    f" {recorded[key]} and this run uses Python {now[key]}; the pages keep"
                    f" showing Python {recorded[key]} (only a run on Python {recorded[key]}"
                    " can re-check it; the examples job runs every supported Python)"
                )
            else:
                failures.append(
                    f"{VERSIONS_FILE}:{line}: the examples were last verified with {key}"
                    f" {recorded[key]}, but this run uses {key} {now[key]}; fix: {fix}"
                )
    return failures, notes
