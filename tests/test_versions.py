"""Examples verified across gevent versions.

* verified-runs.json lists every recorded run of the examples suite (gevent, greenlet,
  Python). A run is recorded by the update commands only, at the end of a run in which the
  whole examples suite ran and passed: `make update-output` (the newest gevent, rewriting
  the outputs) and `make test-versions UPDATE=1` (the oldest pair, requirements-oldest.lock,
  comparing with the recorded outputs). The pages' "verified with" line gives the range of
  these runs (hooks/translation_status.py), so it never names a version no run used.
* requirements-oldest.in pins the oldest gevent/greenlet pair, and otherwise the same
  versions as pyproject.toml.
* Where an older gevent prints something else (tests/recordings.py), its output is on the
  pages that show the example's output.
"""

from __future__ import annotations

import json
import os
import platform
import re

import harness
import pytest
import recordings

RUNS_FILE = harness.REPO / "verified-runs.json"
OLDEST_IN = harness.REPO / "requirements-oldest.in"
SUITE = ("test_snippets.py", "test_timelines.py", "test_servers.py")
ABOUT = (
    "Every recorded run of the examples suite (tests/test_snippets.py, test_timelines.py,"
    " test_servers.py), written by `make update-output` and `make test-versions UPDATE=1`"
    " when the whole suite passed. The pages' 'verified with' line gives their range."
)


def running() -> dict[str, str]:
    import gevent
    import greenlet

    return {
        "gevent": gevent.__version__,
        "greenlet": greenlet.__version__,
        "python": ".".join(platform.python_version_tuple()[:2]),
    }


def key(run: dict) -> tuple:
    return tuple(
        tuple(int(p) for p in re.findall(r"\d+", run[k])) for k in ("gevent", "python")
    ) + (run["greenlet"],)


def load_runs() -> list[dict]:
    if not RUNS_FILE.exists():
        return []
    return json.loads(RUNS_FILE.read_text(encoding="utf-8"))["runs"]


def pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = re.match(r'^\s*"?([A-Za-z0-9_.-]+)==([^;"\s]+)', line)
        if match:
            found[match[1].lower()] = match[2]
    return found


# ------------------------------------------------------------------ recording a run


def recording(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-output") or os.environ.get("RECORD_RUN"))


def whole_suite_ran(session: pytest.Session) -> list[str]:
    """The parts of the examples suite this session did not run (must be none)."""
    missing = []
    ran = {item.nodeid.split("::")[0].rsplit("/", 1)[-1] for item in session.items}
    missing += [name for name in SUITE if name not in ran]
    snippets = {item.callspec.id for item in session.items if item.name.startswith("test_snippet[")}
    missing += [f"test_snippet[{s.rel}]" for s in harness.all_snippets() if s.rel not in snippets]
    return missing


@pytest.fixture(scope="session")
def record_run_when_all_passed(request: pytest.FixtureRequest):
    yield
    session = request.session
    if session.testsfailed or whole_suite_ran(session):
        print(f"\nnot recorded in {RUNS_FILE.name}: the examples suite did not run whole and pass")
        return
    now = running()
    runs = [r for r in load_runs() if key(r) != key(now)] + [now]
    runs.sort(key=key)
    text = json.dumps({"about": ABOUT, "runs": runs}, indent=2, ensure_ascii=False) + "\n"
    RUNS_FILE.write_text(text, encoding="utf-8")
    print(f"\nrecorded in {RUNS_FILE.name}: {now}")


def test_this_run_is_recorded_when_asked(request: pytest.FixtureRequest) -> None:
    """With --update-output or RECORD_RUN=1, and the whole examples suite on the command
    line: the run is recorded once everything has passed."""
    if not recording(request.config):
        pytest.skip("records a run only with --update-output or RECORD_RUN=1")
    missing = whole_suite_ran(request.session)
    assert not missing, (
        "a run is recorded only when the whole examples suite runs; not collected: "
        + ", ".join(missing[:5])
        + "; fix: run `make update-output` or `make test-versions UPDATE=1`"
    )
    request.getfixturevalue("record_run_when_all_passed")


# ------------------------------------------------------------------ what is recorded


def skip_while_recording(config: pytest.Config) -> None:
    """What is recorded is checked when it is committed, not while a run rewrites it."""
    if recording(config):
        pytest.skip("this run records versions and outputs; checked once committed")


def test_recorded_runs_cover_the_pair_of_the_outputs_and_the_oldest_pair(
    request: pytest.FixtureRequest,
) -> None:
    skip_while_recording(request.config)
    runs = load_runs()
    assert runs, f"{RUNS_FILE.name} is missing or empty; fix: run `make update-output`"
    primary = json.loads(recordings.VERSIONS_FILE.read_text(encoding="utf-8"))
    assert any(
        (r["gevent"], r["greenlet"], r["python"])
        == (primary["gevent"], primary["greenlet"], primary["python"])
        for r in runs
    ), (
        f"{RUNS_FILE.name}: no run with the versions of verified-with.json {primary};"
        " fix: run `make update-output`"
    )
    oldest = pins(OLDEST_IN.read_text(encoding="utf-8"))
    assert any(
        r["gevent"] == oldest["gevent"] and r["greenlet"] == oldest["greenlet"] for r in runs
    ), (
        f"{RUNS_FILE.name}: no recorded run with the oldest pair of {OLDEST_IN.name}"
        f" (gevent {oldest['gevent']}, greenlet {oldest['greenlet']});"
        " fix: run `make test-versions UPDATE=1`"
    )


def test_oldest_pins_are_pyprojects_but_gevent_and_greenlet() -> None:
    project = pins((harness.REPO / "pyproject.toml").read_text(encoding="utf-8"))
    oldest = pins(OLDEST_IN.read_text(encoding="utf-8"))
    lock = pins((harness.REPO / "requirements-oldest.lock").read_text(encoding="utf-8"))
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
    used = {recordings.minor(r["gevent"]) for r in load_runs()}
    problems = []
    for variant in sorted(harness.SNIPPETS.rglob("*.out")):
        match = recordings.VARIANT.search(variant.name)
        if not match:
            continue
        rel = variant.relative_to(harness.SNIPPETS).as_posix()
        base = rel[: match.start()] + ".out"
        if match[1] not in used:
            problems.append(f"snippets/{rel}: no recorded run used gevent {match[1]}")
        for page in sorted(harness.DOCS.rglob("*.md")):
            text = page.read_text(encoding="utf-8")
            if f'"{base}"' in text and f'"{rel}"' not in text:
                problems.append(
                    f"{page.relative_to(harness.REPO)}: shows {base} but not {rel}; fix:"
                    f' include it next to it (--8<-- "{rel}") and say it is gevent'
                    f" {match[1]}'s output"
                )
    assert not problems, "\n".join(problems)


def test_pages_show_the_range_of_the_recorded_runs(request: pytest.FixtureRequest) -> None:
    skip_while_recording(request.config)
    built_site = request.getfixturevalue("built_site")
    runs = load_runs()
    assert runs, f"{RUNS_FILE.name} is missing or empty"
    expected = {}
    for name in ("gevent", "greenlet", "python"):
        used = sorted({tuple(int(p) for p in r[name].split(".")[:2]) for r in runs})
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

    path = harness.REPO / ".github" / "workflows" / "test.yml"
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
