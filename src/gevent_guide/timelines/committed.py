"""The committed timeline of an example (`timeline = ...` in its <name>.toml): its files,
what of its structure is compared, and writing them (`gevent-guide update-output`).

    snippets/<topic>/<name>.timeline.json    structure + timing of the recorded run
    snippets/<topic>/<name>.timeline.ko.svg  the picture, Korean text alternative
    snippets/<topic>/<name>.timeline.en.svg  the same, English text alternative

Timing is never compared: a recorded run is kept until its structure changes, so reruns
do not churn the files. Every example was run 10 times idle and 10 times next to two
CPU-bound processes. "exact" compares the switch sequence too, which holds only where no
two timers or I/O events can fall into the same loop iteration; elsewhere a starved
process may wake late and handle two expired timers in one iteration, which moves a
joiner's wake-up between two other greenlets. "relaxed" still fixes who runs, the order
greenlets start and end, where each one yields (in order), and who prints what.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gevent_guide.project import LANGUAGES
from gevent_guide.snippets import SNIPPETS, Snippet
from gevent_guide.timelines import draw, model

RELAXED = ["lanes", "ends", "yields", "prints", "thread_tasks", "process_exits"]
EXACT = ["lanes", "switches", *RELAXED[1:]]


def files(snippet: Snippet) -> dict[str, Path]:
    base = SNIPPETS / snippet.rel.removesuffix(".py")
    found = {"json": base.with_name(base.name + ".timeline.json")}
    for lang in LANGUAGES:
        found[lang] = base.with_name(f"{base.name}.timeline.{lang}.svg")
    return found


def compared(snippet: Snippet) -> list[str]:
    mode = snippet.timeline
    return list(mode) if isinstance(mode, list) else RELAXED if mode == "relaxed" else EXACT


def build(snippet: Snippet, trace: dict) -> dict:
    panels = [
        {"start": p["start"], "title": {lang: p[lang] for lang in LANGUAGES}}
        for p in snippet.panels or []
    ]
    return model.build(trace, snippet.rel, panels=panels or None)


def record(snippet: Snippet, built: dict) -> dict:
    structure = model.structure(built)
    return {
        "generated_by": "gevent-guide update-output; do not edit",
        "compared": compared(snippet),
        "structure": {key: structure[key] for key in compared(snippet)},
        "model": built,
    }


def dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def structure_diff(snippet: Snippet, shown: dict, now: dict) -> str:
    lines = []
    for key in compared(snippet):
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


def stale(snippet: Snippet) -> list[Path]:
    """The files that do not say what the committed model does (redraw them)."""
    paths = files(snippet)
    recorded = json.loads(read(paths["json"]))
    fresh = dump(record(snippet, recorded["model"])) == read(paths["json"])
    return ([] if fresh else [paths["json"]]) + [
        paths[lang]
        for lang in LANGUAGES
        if read(paths[lang]) != draw.render(recorded["model"], lang)
    ]


def update(snippet: Snippet, now: dict) -> list[Path]:
    """Write the timeline if it is new or its structure changed (or, with
    GUIDE_TIMELINE_REFRESH=1, always); otherwise keep the recorded run and only redraw
    what derives from it. Returns the files it changed."""
    paths = files(snippet)
    old = json.loads(read(paths["json"]) or "null")
    changed = (
        old is None
        or os.environ.get("GUIDE_TIMELINE_REFRESH") == "1"
        or old.get("compared") != compared(snippet)
        or old["structure"] != record(snippet, now)["structure"]
    )
    data = record(snippet, now if changed else old["model"])
    writes = {paths["json"]: dump(data)}
    for lang in LANGUAGES:
        writes[paths[lang]] = draw.render(data["model"], lang)
    written = []
    for path, text in writes.items():
        if read(path) != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
