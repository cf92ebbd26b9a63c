"""Timelines: what really happened when a concurrency example ran, drawn under it.

Each example listed in TIMELINES runs traced (GUIDE_TRACE, see timeline.py), in its
own interpreter like every snippet, once per session: the generic test
(tests/test_snippets.py) checks the output of that same run. From the trace come

    snippets/<topic>/<name>.timeline.json    structure + timing of the recorded run
    snippets/<topic>/<name>.timeline.ko.svg  the picture, Korean text alternative
    snippets/<topic>/<name>.timeline.en.svg  the same, English text alternative

and the test fails when the example's structure changed (see timeline_svg.structure):
other lanes (greenlets, worker threads, child processes), greenlets starting, ending
or yielding in another order, another greenlet printing a line. Timing is never
compared: a recorded run is kept until its structure changes, so reruns do not churn
the files. The pages include each SVG under the example's output:

    <div class="gevent-timeline">
    --8<-- "queue/boss_workers.timeline.en.svg"
    </div>

    make update-output                            # also writes changed timelines
    GUIDE_TIMELINE_REFRESH=1 make update-output   # re-record every timeline
    pytest tests/test_timelines.py -k queue
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import harness
import pytest
import recordings
import timeline_svg

SYNC_ASYNC_PANELS = [
    {
        "start": "Synchronous:",
        "title": {"ko": "동기: 차례대로 실행", "en": "Synchronous: one after another"},
    },
    {
        "start": "Asynchronous:",
        "title": {
            "ko": "비동기: 그린렛 9개를 한꺼번에",
            "en": "Asynchronous: nine greenlets at once",
        },
    },
]

# Which examples get a timeline, and which keys of their structure are compared
# (timeline_svg.structure explains each). Every example was run 10 times idle and 10
# times next to two CPU-bound processes (four examples at a time on two CPUs). The
# exact switch sequence is compared only where no two timers or I/O events can fall
# into the same loop iteration; elsewhere a starved process may wake late and handle
# two expired timers in one iteration, which moves a joiner's wake-up between two
# other greenlets. RELAXED still fixes who runs, the order greenlets start and end,
# where each one yields (in order), and who prints what.
RELAXED = ["lanes", "ends", "yields", "prints", "thread_tasks", "process_exits"]
TIMELINES: dict[str, dict] = {
    "greenlets/switching.py": {},
    "sync-async/compare.py": {"panels": SYNC_ASYNC_PANELS, "compare": RELAXED},
    "event/waiter_setter.py": {},
    "event/many_waiters.py": {"compare": RELAXED},
    "queue/boss_workers.py": {},
    "queue/original_loopexit.py": {},
    "pool/order.py": {"compare": RELAXED},
    # Also: which worker thread picks the fourth task depends on which sleep(1)
    # returns first (thread_tasks compares the tasks per thread, not the threads).
    "threadpool/sleep_pool.py": {"compare": RELAXED},
    # A child's output reaches the pipe in one read or two, the loop notices an exit
    # before or after the reader sees end-of-file, and Popen() waits for the child's
    # exec() only if the child has not got there yet: compare who exists, the order
    # things end in, and who printed what.
    "subprocess/two_children.py": {"compare": ["lanes", "ends", "prints", "process_exits"]},
    "timeout/context_manager.py": {},
}
STRUCTURE_KEYS = ["lanes", "switches", *RELAXED[1:]]
LANGUAGES = harness.LANGUAGES
SVG = "{http://www.w3.org/2000/svg}"


def files(rel: str) -> dict[str, Path]:
    base = harness.SNIPPETS / rel.removesuffix(".py")
    found = {"json": base.with_name(base.name + ".timeline.json")}
    for lang in LANGUAGES:
        found[lang] = base.with_name(f"{base.name}.timeline.{lang}.svg")
    return found


def compared(rel: str) -> list[str]:
    return TIMELINES[rel].get("compare", STRUCTURE_KEYS)


def build(rel: str, trace: dict) -> dict:
    return timeline_svg.build(trace, rel, panels=TIMELINES[rel].get("panels"))


def record(rel: str, model: dict) -> dict:
    structure = timeline_svg.structure(model)
    return {
        "generated_by": "make update-output (tests/test_timelines.py); do not edit",
        "compared": compared(rel),
        "structure": {key: structure[key] for key in compared(rel)},
        "model": model,
    }


def dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


@pytest.fixture
def traced(launcher, request: pytest.FixtureRequest):
    """The example's one traced run of the session (tests/conftest.py starts it right
    after collection; the generic test in tests/test_snippets.py checks the same run)."""
    rel = request.node.callspec.params["rel"]
    path = harness.SNIPPETS / rel
    if not path.is_file():
        return None  # test_timeline says so
    return launcher.traced(harness.Snippet(path, harness.read_meta(path)))


def structure_diff(rel: str, shown: dict, now: dict) -> str:
    lines = []
    for key in compared(rel):
        before, after = shown.get(key), now.get(key)
        if before == after:
            continue
        lines.append(f"  {key}:")
        if isinstance(before, dict) and isinstance(after, dict):
            for lane in sorted(set(before) | set(after)):
                if before.get(lane) != after.get(lane):
                    lines.append(f"    {lane}: committed {before.get(lane)}")
                    lines.append(f"    {' ' * len(lane)}  now       {after.get(lane)}")
            continue
        before, after = before or [], after or []
        pairs = zip(before, after, strict=False)
        first = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
        if first is None:
            first = min(len(before), len(after))
        lines.append(f"    first difference at item {first}")
        lines.append(f"    committed: {before[first : first + 4]}")
        lines.append(f"    now:       {after[first : first + 4]}")
    return "\n".join(lines)


@pytest.mark.parametrize("rel", sorted(TIMELINES))
def test_timeline(
    rel: str, traced, nothing_left_running: list, request: pytest.FixtureRequest
) -> None:
    """The example still runs the way its committed timeline shows."""
    if not (harness.SNIPPETS / rel).is_file():
        pytest.fail(
            f"snippets/{rel} is listed in TIMELINES (tests/test_timelines.py) but"
            " does not exist: restore it or take it off the list",
            pytrace=False,
        )
    run, trace_path = traced
    nothing_left_running.append(run)
    if run.timed_out or run.proc.returncode != 0:
        pytest.fail(
            f"{rel} failed when traced (exit {run.proc.returncode}):\n{run.output}",
            pytrace=False,
        )
    now = build(rel, json.loads(trace_path.read_text(encoding="utf-8")))
    if request.config.getoption("--update-output") and recordings.primary():
        # The same run rewrites the .out file (tests/test_snippets.py): record both at once.
        update(rel, now)
        return
    shown_output = read(run.snippet.out_path)
    if shown_output is not None and run.output != shown_output:
        diff = harness.output_diff(run.snippet, shown_output, run.output)
        pytest.fail(f"{rel} printed something else when traced:\n{diff}", pytrace=False)

    paths = files(rel)
    if not paths["json"].exists():
        pytest.fail(
            f"{harness.rel(paths['json'])} is missing: run `make update-output` to"
            f" record the timeline of {rel}",
            pytrace=False,
        )
    committed = json.loads(read(paths["json"]))
    shown, structure = committed["structure"], timeline_svg.structure(now)
    if any(shown.get(key) != structure[key] for key in compared(rel)):
        pytest.fail(
            f"{rel} no longer runs the way its timeline shows:\n"
            f"{structure_diff(rel, shown, structure)}\n"
            "If the change is deliberate, run `make update-output` and commit the"
            " .timeline.* files.",
            pytrace=False,
        )
    stale = (
        []
        if dump(record(rel, committed["model"])) == read(paths["json"])
        else [harness.rel(paths["json"])]
    )
    for lang in LANGUAGES:
        if read(paths[lang]) != timeline_svg.render(committed["model"], lang):
            stale.append(harness.rel(paths[lang]))
    if stale:
        pytest.fail(
            "out of date with the recorded run or with tests/timeline_svg.py: "
            + ", ".join(stale)
            + "; run `make update-output`",
            pytrace=False,
        )


def update(rel: str, now: dict) -> None:
    """Write the timeline if it is new or its structure changed (or, with
    GUIDE_TIMELINE_REFRESH=1, always); otherwise keep the recorded run and only
    redraw what derives from it."""
    paths = files(rel)
    old = json.loads(read(paths["json"]) or "null")
    changed = (
        old is None
        or os.environ.get("GUIDE_TIMELINE_REFRESH") == "1"
        or old.get("compared") != compared(rel)
        or old["structure"] != record(rel, now)["structure"]
    )
    data = record(rel, now if changed else old["model"])
    writes = {paths["json"]: dump(data)}
    for lang in LANGUAGES:
        writes[paths[lang]] = timeline_svg.render(data["model"], lang)
    for path, text in writes.items():
        if read(path) != text:
            path.write_text(text, encoding="utf-8")


def test_timeline_files_belong_to_listed_examples() -> None:
    listed = {path for rel in TIMELINES for path in files(rel).values()}
    orphans = [
        harness.rel(path)
        for path in sorted(harness.SNIPPETS.rglob("*.timeline.*"))
        if path not in listed
    ]
    assert not orphans, (
        "timeline files of no example in TIMELINES (tests/test_timelines.py): " + ", ".join(orphans)
    )


@pytest.mark.parametrize("rel", sorted(TIMELINES))
def test_pictures_are_self_contained(rel: str) -> None:
    """Inline-able: well-formed, no script, nothing fetched, a text alternative."""
    for lang in LANGUAGES:
        path = files(rel)[lang]
        if not path.exists():
            continue  # test_timeline reports it
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)
        where = harness.rel(path)
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
    for rel in sorted(TIMELINES):
        page = harness.DOCS / language / f"{rel.split('/')[0]}.md"
        target = files(rel)[language].relative_to(harness.SNIPPETS).as_posix()
        if f'--8<-- "{target}"' not in (read(page) or ""):
            missing.append(
                f"{harness.rel(page)}: no include of {target}; add, under the output"
                f' of {rel}:\n  <div class="gevent-timeline">\n  --8<-- "{target}"\n'
                "  </div>"
            )
    assert not missing, "\n".join(missing)
