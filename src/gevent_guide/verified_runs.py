"""verified-runs.json: every recorded run of the examples suite (gevent, greenlet,
Python), appended by `gevent-guide update-output` (the newest pair, requirements.lock)
and `gevent-guide update-output` run in the oldest venv (`make test-versions UPDATE=1`,
requirements-oldest.lock) once every example ran cleanly.

It is the one source of truth for two facts the site states:

* the range on each page's "verified with" line (`ranges`): only versions a recorded
  run used;
* the lower bounds of the published examples' PEP 723 blocks (`lowest`): gevent and
  greenlet at the oldest recorded run, every other distribution at the pin the oldest
  runs installed (requirements-oldest.lock).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from gevent_guide.project import ROOT

RUNS_FILE = "verified-runs.json"
OLDEST_LOCK = "requirements-oldest.lock"
ABOUT = (
    "Every recorded run of the examples suite, appended by `make update-output` (and by"
    " `make test-versions UPDATE=1` in the oldest venv) once every example ran cleanly."
    " The pages' 'verified with' range and the PEP 723 lower bounds come from here."
)
RECORDED = ("gevent", "greenlet")  # the pair the runs vary
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[\w.]+)\b")


class RunsError(Exception):
    """verified-runs.json cannot be read; the message names the file, line and fix."""


@dataclass(frozen=True)
class VerifiedRun:
    gevent: str
    greenlet: str
    python: str  # major.minor


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def read_runs(root: Path = ROOT) -> list[VerifiedRun]:
    path = root / RUNS_FILE
    fix = "restore it from git, or run `make update-output` to record this run"
    if not path.exists():
        raise RunsError(f"{RUNS_FILE}:1: missing; {fix}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            VerifiedRun(**{k: str(run[k]) for k in ("gevent", "greenlet", "python")})
            for run in data["runs"]
        ]
    except json.JSONDecodeError as exc:
        raise RunsError(f"{RUNS_FILE}:{exc.lineno}: not valid JSON ({exc.msg}); {fix}") from exc
    except (KeyError, TypeError) as exc:
        raise RunsError(
            f"{RUNS_FILE}:1: a run lacks {exc}; each run is"
            ' {"gevent": ..., "greenlet": ..., "python": ...}; ' + fix
        ) from exc


def record_run(run: VerifiedRun, root: Path = ROOT) -> bool:
    """Add this run (once); returns True if the file changed."""
    path = root / RUNS_FILE
    runs = read_runs(root) if path.exists() else []
    if run in runs:
        return False
    runs = sorted({*runs, run}, key=lambda r: (version_key(r.gevent), version_key(r.python)))
    data = {"about": ABOUT, "runs": [asdict(r) for r in runs]}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def _minor(version: str) -> str:
    return ".".join(str(p) for p in version_key(version)[:2])


def ranges(runs: list[VerifiedRun]) -> dict[str, str]:
    """For gevent, greenlet and Python: "25.4–26.9", the oldest and newest major.minor
    that recorded runs used (one version when all used the same)."""
    found = {}
    for key in ("gevent", "greenlet", "python"):
        used = sorted({_minor(getattr(run, key)) for run in runs}, key=version_key)
        found[key] = used[0] if used[0] == used[-1] else f"{used[0]}\u2013{used[-1]}"
    return found


def oldest_pins(root: Path = ROOT) -> dict[str, str]:
    """The pins of requirements-oldest.lock: what the oldest runs installed."""
    path = root / OLDEST_LOCK
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        match = _PIN.match(line.strip())
        if match:
            pins[re.sub(r"[-_.]+", "-", match["name"]).lower()] = match["version"]
    return pins


def lowest(root: Path = ROOT) -> dict[str, str]:
    """The lowest verified version of each distribution (normalized names)."""
    found = oldest_pins(root)
    runs = read_runs(root)
    for key in RECORDED:
        found[key] = min((getattr(run, key) for run in runs), key=version_key)
    return found
