"""Timelines: what really happened when a concurrency example ran, drawn under it.

Each example whose <name>.toml says `timeline = ...` runs traced (GUIDE_TRACE, see
gevent_guide/timelines/recorder.py), in its own interpreter like every snippet, once per
session: the generic test (tests/test_snippets.py) checks the output of that same run.
The test fails when the example's structure changed (gevent_guide/timelines/model.py,
structure()): other lanes (greenlets, worker threads, child processes), greenlets
starting, ending or yielding in another order, another greenlet printing a line. The
files are written by `gevent-guide update-output` (gevent_guide/timelines/committed.py).
The pages include each SVG under the example's output:

    <div class="gevent-timeline">
    --8<-- "queue/boss_workers.timeline.en.svg"
    </div>

    make update-output                            # also writes changed timelines
    GUIDE_TIMELINE_REFRESH=1 make update-output   # re-record every timeline
    pytest tests/test_timelines.py -k queue
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from gevent_guide import runs
from gevent_guide.project import LANGUAGES
from gevent_guide.snippets import DOCS, SNIPPETS, all_snippets, rel
from gevent_guide.timelines import committed, model

TIMELINES = {s.rel: s for s in all_snippets() if s.timeline}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def traced(launcher, request: pytest.FixtureRequest):
    """The example's one traced run of the session (tests/conftest.py starts it right
    after collection; the generic test in tests/test_snippets.py checks the same run)."""
    return launcher.traced(TIMELINES[request.node.callspec.params["name"]])


@pytest.mark.parametrize("name", sorted(TIMELINES))
def test_timeline(name: str, traced, nothing_left_running: list) -> None:
    """The example still runs the way its committed timeline shows."""
    snippet = TIMELINES[name]
    run, trace_path = traced
    nothing_left_running.append(run)
    if run.timed_out or run.proc.returncode != 0:
        pytest.fail(
            f"{name} failed when traced (exit {run.proc.returncode}):\n{run.output}",
            pytrace=False,
        )
    now = committed.build(snippet, json.loads(trace_path.read_text(encoding="utf-8")))
    shown_output = committed.read(run.snippet.out_path)
    if shown_output is not None and run.output != shown_output:
        diff = runs.output_diff(run.snippet, shown_output, run.output)
        pytest.fail(f"{name} printed something else when traced:\n{diff}", pytrace=False)

    paths = committed.files(snippet)
    if not paths["json"].exists():
        pytest.fail(
            f"{rel(paths['json'])} is missing: run `make update-output` to record the"
            f" timeline of {name}",
            pytrace=False,
        )
    recorded = json.loads(committed.read(paths["json"]))
    shown, structure = recorded["structure"], model.structure(now)
    if any(shown.get(key) != structure[key] for key in committed.compared(snippet)):
        pytest.fail(
            f"{name} no longer runs the way its timeline shows:\n"
            f"{committed.structure_diff(snippet, shown, structure)}\n"
            "If the change is deliberate, run `make update-output` and commit the"
            " .timeline.* files.",
            pytrace=False,
        )
    stale = [rel(path) for path in committed.stale(snippet)]
    if stale:
        pytest.fail(
            "out of date with the recorded run or with gevent_guide/timelines/: "
            + ", ".join(stale)
            + "; run `make update-output`",
            pytrace=False,
        )


def test_timeline_files_belong_to_listed_examples() -> None:
    listed = {path for s in TIMELINES.values() for path in committed.files(s).values()}
    orphans = [rel(path) for path in sorted(SNIPPETS.rglob("*.timeline.*")) if path not in listed]
    assert not orphans, (
        "timeline files of an example whose <name>.toml has no `timeline = ...`: "
        + ", ".join(orphans)
    )


@pytest.mark.parametrize("name", sorted(TIMELINES))
def test_pictures_are_self_contained(name: str) -> None:
    """Inline-able: well-formed, no script, nothing fetched, a text alternative."""
    for lang in LANGUAGES:
        path = committed.files(TIMELINES[name])[lang]
        if not path.exists():
            continue  # test_timeline reports it
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        where = rel(path)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img", where
        assert "<script" not in text and "href" not in text, where
        assert "url(" not in text and "@import" not in text, where
        ids = {el.get("id"): el for el in root.iter() if el.get("id")}
        labelled = root.get("aria-labelledby", "").split()
        assert [ids[i].tag for i in labelled] == [f"{SVG}title", f"{SVG}desc"], where
        assert all((ids[i].text or "").strip() for i in labelled), where


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_timeline_is_on_its_page(language: str) -> None:
    """Each picture is included on its example's page in that language."""
    missing = []
    for name, snippet in sorted(TIMELINES.items()):
        page = DOCS / language / f"{name.split('/')[0]}.md"
        target = committed.files(snippet)[language].relative_to(SNIPPETS).as_posix()
        if f'--8<-- "{target}"' not in (committed.read(page) or ""):
            missing.append(
                f"{rel(page)}: no include of {target}; add, under the output"
                f' of {name}:\n  <div class="gevent-timeline">\n  --8<-- "{target}"\n'
                "  </div>"
            )
    assert not missing, "\n".join(missing)
