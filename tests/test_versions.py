"""Examples verified across gevent versions.

* verified-runs.json lists every recorded run of the examples suite (gevent, greenlet,
  Python). Only `gevent-guide update-output` records a run, once every example ran
  cleanly: `make update-output` (the newest gevent, rewriting the outputs) and
  `make test-versions UPDATE=1` (the oldest pair, requirements-oldest.lock). The pages'
  "verified with" line gives the range of these runs (site/notices.py,
  verified_runs.ranges), so it never names a version no run used; the PEP 723 lower
  bounds come from the same file (tests/test_published.py).
* requirements-oldest.in pins the oldest gevent/greenlet pair, and otherwise the same
  versions as pyproject.toml.
* Where an older gevent prints something else (gevent_guide/recordings.py), its output is
  on the pages that show the example's output.
"""

from __future__ import annotations

import json
import re

import pytest

from gevent_guide import recordings, verified_runs
from gevent_guide.project import ROOT
from gevent_guide.snippets import DOCS, SNIPPETS

OLDEST_IN = ROOT / "requirements-oldest.in"
RUNS_FILE = ROOT / verified_runs.RUNS_FILE


def load_runs() -> list[verified_runs.VerifiedRun]:
    try:
        return verified_runs.read_runs()
    except verified_runs.RunsError as exc:
        pytest.fail(str(exc), pytrace=False)


def pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = re.match(r'^\s*"?([A-Za-z0-9_.-]+)==([^;"\s]+)', line)
        if match:
            found[match[1].lower()] = match[2]
    return found


# ------------------------------------------------------------------ what is recorded


def test_recorded_runs_cover_the_pair_of_the_outputs_and_the_oldest_pair() -> None:
    runs = load_runs()
    assert runs, f"{RUNS_FILE.name} is missing or empty; fix: run `make update-output`"
    primary = json.loads(recordings.VERSIONS_FILE.read_text(encoding="utf-8"))
    assert any(
        (r.gevent, r.greenlet, r.python)
        == (primary["gevent"], primary["greenlet"], primary["python"])
        for r in runs
    ), (
        f"{RUNS_FILE.name}: no run with the versions of verified-with.json {primary};"
        " fix: run `make update-output`"
    )
    oldest = pins(OLDEST_IN.read_text(encoding="utf-8"))
    assert any(r.gevent == oldest["gevent"] and r.greenlet == oldest["greenlet"] for r in runs), (
        f"{RUNS_FILE.name}: no recorded run with the oldest pair of {OLDEST_IN.name}"
        f" (gevent {oldest['gevent']}, greenlet {oldest['greenlet']});"
        " fix: run `make test-versions UPDATE=1`"
    )


def test_oldest_pins_are_pyprojects_but_gevent_and_greenlet() -> None:
    project = pins((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    oldest = pins(OLDEST_IN.read_text(encoding="utf-8"))
    lock = pins((ROOT / "requirements-oldest.lock").read_text(encoding="utf-8"))
    for name, version in oldest.items():
        if name in ("gevent", "greenlet"):
            continue
        assert project.get(name) == version, (
            f"{OLDEST_IN.name}: {name}=={version}, but pyproject.toml pins"
            f" {project.get(name)}; fix: use pyproject.toml's pin, then `make lock`"
        )
    for name in ("gevent", "greenlet"):
        assert lock.get(name) == oldest[name], (
            f"requirements-oldest.lock has {name} {lock.get(name)}, {OLDEST_IN.name}"
            f" {oldest[name]}; fix: `make lock`"
        )
    newest = tuple(int(p) for p in project["gevent"].split("."))
    assert tuple(int(p) for p in oldest["gevent"].split(".")) < newest, (
        f"{OLDEST_IN.name}: gevent {oldest['gevent']} is not older than pyproject.toml's"
    )


def test_older_outputs_are_on_the_pages() -> None:
    """Every <name>.gevent-X.Y.out belongs to a recorded run's gevent and is included on
    each page that includes <name>.out, so the page shows both."""
    used = {recordings.minor(r.gevent) for r in load_runs()}
    problems = []
    for variant in sorted(SNIPPETS.rglob("*.out")):
        match = recordings.VARIANT.search(variant.name)
        if not match:
            continue
        rel = variant.relative_to(SNIPPETS).as_posix()
        base = rel[: match.start()] + ".out"
        if match[1] not in used:
            problems.append(f"snippets/{rel}: no recorded run used gevent {match[1]}")
        for page in sorted(DOCS.rglob("*.md")):
            text = page.read_text(encoding="utf-8")
            if f'"{base}"' in text and f'"{rel}"' not in text:
                problems.append(
                    f"{page.relative_to(ROOT)}: shows {base} but not {rel}; fix:"
                    f' include it next to it (--8<-- "{rel}") and say it is gevent'
                    f" {match[1]}'s output"
                )
    assert not problems, "\n".join(problems)


def test_pages_show_the_range_of_the_recorded_runs(request: pytest.FixtureRequest) -> None:
    pytest.importorskip("mkdocs", reason="the site's tools need Python >= 3.11.5")
    built_site = request.getfixturevalue("built_site")
    runs = load_runs()
    assert runs, f"{RUNS_FILE.name} is missing or empty"
    expected = {}
    for name in ("gevent", "greenlet", "python"):
        used = sorted({tuple(int(p) for p in getattr(r, name).split(".")[:2]) for r in runs})
        low, high = (".".join(map(str, v)) for v in (used[0], used[-1]))
        expected[name] = low if low == high else f"{low}\u2013{high}"
    for page in ("greenlets/index.html", "en/greenlets/index.html"):
        html = (built_site.folder / page).read_text(encoding="utf-8")
        line = re.search(r'<p class="verified-with"[^>]*><small>(.*?)</small>', html)
        assert line, f"site/{page}: no 'verified with' line"
        shown = re.findall(
            r"(gevent|greenlet|Python) (\d+\.\d+(?:\.\d+)?(?:\u2013\d+\.\d+)?)", line[1]
        )
        assert {k.lower(): v for k, v in shown} == expected, (
            f"site/{page}: says {line[1]!r}; the recorded runs cover {expected}"
        )


def test_ci_runs_both_pairs_on_every_python() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with the site's tools (make test)")

    path = ROOT / ".github" / "workflows" / "test.yml"
    job = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["examples"]
    matrix = job["strategy"]["matrix"]
    assert matrix["python"] == ["3.10", "3.11", "3.12", "3.13", "3.14"], (
        f"{path.name}: the examples job runs Python {matrix['python']}, not 3.10 to 3.14"
    )
    assert set(matrix["gevent"]) == {"newest", "oldest"}, f"{path.name}: {matrix['gevent']}"
    runs = {step.get("if"): step.get("run") for step in job["steps"] if "run" in step}
    assert runs.get("matrix.gevent == 'newest'") == "make test-examples PYTHON=python"
    assert runs.get("matrix.gevent == 'oldest'") == "make test-versions PYTHON=python"
    excluded = [(e["python"], e["gevent"]) for e in matrix.get("exclude", [])]
    assert all(gevent == "oldest" for _python, gevent in excluded), (
        f"{path.name}: the newest gevent must run on every Python: {excluded}"
    )
