"""From a recorded trace (timelines/recorder.py) to what the pages show.

    model = build(trace, "greenlets/switching.py")  # lanes, bars, switches, prints
    structure(model)  # what must not change between runs
    render(model, "ko")  # a static SVG with a Korean text alternative

The model is what snippets/<topic>/<name>.timeline.json keeps (with its structure), so
the SVGs can be redrawn from it without running anything. Times are milliseconds from
the first thing that happened (the first switch, print, task or child process).

Lanes: one per greenlet (``main``, ``hub``, then in the order they first ran), per
thread-pool worker thread and per child process. Bars:

- ``run``: the greenlet is the one running (for a thread: running a task; for a child
  process: alive, as far as the event loop knows);
- ``wait``: the greenlet gave up control and waits (the bar carries the snippet line
  where it did so); for the hub: the event loop is idle, blocked in the OS poll
  (epoll) until a timer, an I/O event or a signal wakes it.

While another greenlet runs, the hub is simply suspended: its lane is empty there.

On a page the SVG is included inside ``<div class="gevent-timeline">``. Its <style>
(which, inlined, applies to the whole page) makes that wrapper scroll sideways below
MIN_WIDTH px instead of shrinking the text, and picks colours from Material's scheme
(``data-md-color-scheme``), or from ``prefers-color-scheme`` when the file is viewed
on its own.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from pathlib import Path

RUN, WAIT = "run", "wait"


@dataclass(frozen=True)
class Bar:
    """One bar of a lane; the model (and its JSON) keeps it as a list, [state, t0, t1,
    note] or [state, t0, t1, note, short]."""

    state: str  # RUN or WAIT
    t0: float  # ms
    t1: float
    note: str | None = None  # where it waits ("line 12: q.get()"), or a thread's task
    short: str | None = None  # the note's short form, for a narrow bar
    detailed: bool = False  # the row has a short form

    @classmethod
    def of(cls, row: list) -> Bar:
        return cls(*row[:5], detailed=len(row) > 4)


def bars(lane: dict) -> list[Bar]:
    return [Bar.of(row) for row in lane["bars"]]


KIND_ORDER = {"main": 0, "hub": 1}

# ---------------------------------------------------------------- the model


def _statements(path: str | None) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of every statement of the snippet: the whole
    statement on one line, or a compound statement's header (`if ...:`).

    Python versions disagree about which line of a multi-line call a suspended frame
    is on, so a waiting bar is labelled with the statement around that line."""
    try:
        source = Path(path).read_text(encoding="utf-8") if path else ""
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return []
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        body = getattr(node, "body", None)
        last = body[0].lineno - 1 if body and isinstance(body, list) else node.end_lineno
        rows = [ANNOTATION.sub("", row).strip() for row in lines[node.lineno - 1 : last]]
        text = " ".join(rows)
        text = re.sub(r",\s*([)\]}])", r"\1", text)
        text = re.sub(r"([(\[{])\s+", r"\1", text)
        text = re.sub(r"\s+([)\]}])", r"\1", text)
        found.append((node.lineno, node.end_lineno or node.lineno, text))
    return found


ANNOTATION = re.compile(r"\s*# \(\d+\)!\s*$")


def _where_text(
    where: list | None, statements: list[tuple[int, int, str]]
) -> tuple[str | None, str | None]:
    """(full note, short note) of a waiting bar, from the recorder's
    [line, source, call]: the statement there, and the snippet function it is in
    when that is not the greenlet's own (main waiting inside task(1))."""
    if not where:
        return None, None
    around = [s for s in statements if s[0] <= where[0] <= s[1]]
    if around:
        source = min(around, key=lambda s: s[1] - s[0])[2]
    else:
        source = ANNOTATION.sub("", where[1]).strip()
    call = where[2] if len(where) > 2 else None
    if call:
        return f"{call}: {source}", call
    return source, None


def build(trace: dict, snippet: str, panels: list[dict] | None = None) -> dict:
    """Bars per lane from the raw events of one run."""
    raw_lanes = trace["lanes"]
    events = sorted(trace["events"], key=lambda e: e[1])
    starts = [e[1] for e in events if e[0] in ("switch", "print", "task-start", "process-start")]
    origin = min(starts) if starts else 0.0
    end = max([trace["duration"], *(e[1] for e in events)])
    hubs = {i for i, lane in enumerate(raw_lanes) if lane["kind"] == "hub"}
    statements = _statements(trace.get("snippet"))

    segments: dict[int, list] = {i: [] for i in range(len(raw_lanes))}
    opened: dict[int, list] = {}
    ended: dict[int, float] = {}
    switches: list[list] = []
    marks: list[list] = []

    def close(lane: int, t: float) -> None:
        state = opened.pop(lane, None)
        if state is not None and t >= state[1]:
            segments[lane].append([state[0], state[1], t, *state[2:]])

    first = next((e for e in events if e[0] == "switch"), None)
    current = first[2] if first else 0
    if first or any(e[0] == "print" and e[2] == 0 for e in events):
        opened[current] = [RUN, origin, None]
    idle_from: float | None = None
    prepared = False
    for event in events:
        kind, t = event[0], event[1]
        if kind == "switch":
            _, _, came, goes, how, where = event
            close(came, t)
            if how == "end":
                ended[came] = t
            elif came not in hubs:
                full, short = _where_text(where, statements)
                opened[came] = [WAIT, t, full] + ([short] if short else [])
            close(goes, t)
            opened[goes] = [RUN, t, None]
            switches.append([t, came, goes, how])
            current = goes
            idle_from = t if goes in hubs and prepared else None
        elif kind == "prepare":
            prepared = True
            idle_from = t if current in hubs else None
        elif kind == "check":
            if idle_from is not None and current in hubs and current in opened:
                started = opened[current][1]
                if idle_from > started:
                    segments[current].append([RUN, started, idle_from, None])
                segments[current].append([WAIT, idle_from, t, None])
                opened[current] = [RUN, t, None]
            prepared, idle_from = False, None
        elif kind == "print":
            marks.append([t, event[2], event[3]])
        elif kind == "task-start":
            opened[event[2]] = [RUN, t, event[3]]
        elif kind == "task-end":
            close(event[2], t)
        elif kind == "process-start":
            opened[event[2]] = [RUN, t, None]
        elif kind == "process-exit":
            close(event[2], t)
            ended[event[2]] = t
    for lane in list(opened):
        close(lane, end)

    def first_activity(i: int) -> float:
        times = [s[1] for s in segments[i]] + [m[0] for m in marks if m[1] == i]
        return min(times) if times else math.inf

    used = [i for i in range(len(raw_lanes)) if segments[i]]
    used.sort(key=lambda i: (KIND_ORDER.get(raw_lanes[i]["kind"], 2), first_activity(i), i))
    index = {old: new for new, old in enumerate(used)}

    def rel(t: float) -> float:
        return round(t - origin, 3)

    lanes = []
    for old in used:
        lane = {"name": raw_lanes[old]["name"], "kind": raw_lanes[old]["kind"]}
        lane["bars"] = [[s[0], rel(s[1]), rel(s[2]), *s[3:]] for s in segments[old]]
        if old in ended:
            lane["ended"] = rel(ended[old])
        lanes.append(lane)
    model = {
        "snippet": snippet,
        "duration": rel(end),
        "lanes": lanes,
        "switches": [
            [rel(t), index[a], index[b], how]
            for t, a, b, how in switches
            if a in index and b in index
        ],
        "prints": [[rel(t), index[lane], text] for t, lane, text in marks if lane in index],
    }
    if panels:
        model["panels"] = _panels(model, panels)
    return model


def _panels(model: dict, panels: list[dict]) -> list[dict]:
    """Split the run where the program printed each panel's `start` line."""
    found, after = [], -1.0
    for panel in panels:
        hit = next(
            (p[0] for p in model["prints"] if p[2] == panel["start"] and p[0] > after),
            None,
        )
        if hit is None:
            raise ValueError(f"{model['snippet']} never printed {panel['start']!r}")
        found.append(hit)
        after = hit
    bounds = [*found, model["duration"]]
    return [
        {"start": bounds[i], "end": bounds[i + 1], "title": panel["title"]}
        for i, panel in enumerate(panels)
    ]


# ---------------------------------------------------------------- the structure


def structure(model: dict) -> dict:
    """What must come out the same in every run; timing is ignored.

    lanes          the lanes, in the order they first did something (so the order in
                   which greenlets first ran, threads took a task, processes started)
    switches       every passing of control between greenlets, in order, consecutive
                   repeats folded: the strictest key, for examples whose switches do not
                   depend on how timers and I/O happen to fall into loop iterations
    ends           the order in which greenlets finished
    yields         per greenlet, the places where it gave up control, in order,
                   consecutive repeats folded (how often a reader was woken for more
                   data, or a joiner for one more finished greenlet, is not compared)
    prints         which greenlet (or thread) printed which line
    thread_tasks   the tasks each worker thread ran (not which thread took which)
    process_exits  the order in which child processes ended
    """
    lanes = model["lanes"]
    name = [lane["name"] for lane in lanes]
    switches: list[str] = []
    for _, a, b, how in model["switches"]:
        step = f"{name[a]} > {name[b]}" + (f" ({how})" if how in ("end", "throw") else "")
        if not switches or switches[-1] != step:
            switches.append(step)
    greenlets = [lane for lane in lanes if lane["kind"] in ("main", "greenlet")]
    yields: dict[str, list[str]] = {}
    for lane in greenlets:
        places: list[str] = []
        for bar in bars(lane):
            if bar.state == WAIT:
                place = bar.note or "-"
                if not places or places[-1] != place:
                    places.append(place)
        yields[lane["name"]] = places
    threads = [lane for lane in lanes if lane["kind"] == "thread"]
    processes = [lane for lane in lanes if lane["kind"] == "process"]
    return {
        "lanes": [f"{lane['kind']}: {lane['name']}" for lane in lanes],
        "switches": switches,
        "ends": [
            lane["name"]
            for lane in sorted((g for g in greenlets if "ended" in g), key=lambda g: g["ended"])
        ],
        "yields": yields,
        "prints": [f"{name[lane]}: {text}" for _, lane, text in model["prints"]],
        "thread_tasks": sorted(sorted(bar.note or "" for bar in bars(lane)) for lane in threads),
        "process_exits": [
            lane["name"]
            for lane in sorted((p for p in processes if "ended" in p), key=lambda p: p["ended"])
        ],
    }
