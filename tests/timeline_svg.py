"""From a recorded trace (tests/timeline.py) to what the pages show.

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
from html import escape
from pathlib import Path

RUN, WAIT = "run", "wait"
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
        for bar in lane["bars"]:
            if bar[0] == WAIT:
                place = bar[3] or "-"
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
        "thread_tasks": sorted(sorted(bar[3] or "" for bar in lane["bars"]) for lane in threads),
        "process_exits": [
            lane["name"]
            for lane in sorted((p for p in processes if "ended" in p), key=lambda p: p["ended"])
        ],
    }


# ---------------------------------------------------------------- words

WORDS = {
    "en": {
        "title": "Timeline of {snippet} as it ran in the tests",
        "caption": "Timeline of this example, recorded when the tests ran it",
        "summary": "What happened when {snippet} ran in the tests, {total} ms in all."
        " Lanes from top to bottom: {lanes}.",
        "panel": "{title}, {length} ms (times count from the start of this part).",
        "legend": ["running", "waiting", "switch", "printed a line", "ended"],
        "axis": "time (ms)",
        "hub": "hub (event loop)",
        "process": "process: {name}",
        "starts": ("{lane} starts at {t} ms", None),
        "carries_on": ("{lane} carries on from the previous part", None),
        "hub_busy": "{lane}: runs the event loop between the greenlets and is never idle here.",
        "waits_at": ("waits at {where} from {t0} to {t1} ms", None),
        "waits_open": ("waits at {where} from {t0} ms until the end", None),
        "runs_again": ("runs again", None),
        "ends": ("ends at {t} ms", None),
        "waits_many": ("waits {n} times, {total} ms in all", None),
        "to_end": ("runs until the program ends", None),
        "waits_briefly": ("waits briefly at {where} at {t0} ms", None),
        "places": "It waits at {places}.",
        "times": "{where} {n}×",
        "hub_idle": "{lane}: runs the event loop between the greenlets; it is idle,"
        " blocked waiting for the operating system, for {idle} of the {total} ms.",
        "thread": "{lane}: runs {tasks}.",
        "task": "{label} from {t0} to {t1} ms",
        "process_text": "{lane}: starts at {t0} ms; the event loop sees it exit at {t1} ms.",
        "process_open": "{lane}: starts at {t0} ms and is still running at the end.",
        "order": "Control passes: {path}.",
        "more": "… and {n} more switches",
        "tip_run": "{lane}: running, {t0}–{t1} ms",
        "tip_wait": "{lane}: waiting at {where}, {t0}–{t1} ms",
        "tip_wait_plain": "{lane}: waiting, {t0}–{t1} ms",
        "tip_idle": "{lane}: idle in the OS poll, {t0}–{t1} ms",
        "tip_task": "{lane}: {label}, {t0}–{t1} ms",
        "tip_print": "{lane} printed at {t} ms: {text}",
        "tip_switch": "{t} ms: {a} → {b}",
        "process_tip": "{lane}: alive, {t0}–{t1} ms",
        "unknown": "gevent's own code",
        "code": "{}",
        "to_next": ("carries on into the next part", None),
        "thrown": "exception thrown in",
    },
    "ko": {
        "title": "테스트에서 실행한 {snippet}의 타임라인",
        "caption": "테스트에서 이 예제를 실행하며 기록한 타임라인",
        "summary": "테스트에서 실행한 {snippet}의 기록으로, 모두 {total} ms입니다."
        " 레인은 위에서부터 {lanes}입니다.",
        "panel": "{title}, {length} ms(시각은 이 구간의 시작부터 잽니다).",
        "legend": ["실행", "대기", "전환", "출력", "종료"],
        "axis": "시간 (ms)",
        "hub": "hub (이벤트 루프)",
        "process": "프로세스: {name}",
        "starts": ("{lane}: {t} ms에 시작해", "{lane}: {t} ms에 시작합니다"),
        "carries_on": ("{lane}: 앞 구간에서 이어져", "{lane}: 앞 구간에서 이어집니다"),
        "hub_busy": "{lane}: 그린렛 사이사이에 이벤트 루프를 실행하며,"
        " 여기서는 쉬는 시간이 없습니다.",
        "waits_at": (
            "{where}에서 {t0} ms부터 {t1} ms까지 기다린 뒤",
            "{where}에서 {t0} ms부터 {t1} ms까지 기다립니다",
        ),
        "waits_open": (
            "{where}에서 {t0} ms부터 끝까지 기다리고",
            "{where}에서 {t0} ms부터 끝까지 기다립니다",
        ),
        "runs_again": ("다시 실행되고", "다시 실행됩니다"),
        "ends": ("{t} ms에 끝나고", "{t} ms에 끝납니다"),
        "waits_many": (
            "모두 {n}번, 합계 {total} ms 동안 기다리고",
            "모두 {n}번, 합계 {total} ms 동안 기다립니다",
        ),
        "to_end": (
            "프로그램이 끝날 때까지 실행되고",
            "프로그램이 끝날 때까지 실행됩니다",
        ),
        "waits_briefly": (
            "{t0} ms에 {where}에서 잠깐 기다린 뒤",
            "{t0} ms에 {where}에서 잠깐 기다립니다",
        ),
        "places": "기다린 곳: {places}.",
        "times": "{where}에서 {n}번",
        "hub_idle": "{lane}: 그린렛 사이사이에 이벤트 루프를 실행합니다."
        " 전체 {total} ms 중 {idle} ms 동안은 운영체제의 알림을 기다리며 쉽니다.",
        "thread": "{lane}: {tasks} 작업을 실행합니다.",
        "task": "{t0} ms부터 {t1} ms까지 {label}",
        "process_text": "{lane}: {t0} ms에 시작하고, 이벤트 루프가 {t1} ms에 종료를 확인합니다.",
        "process_open": "{lane}: {t0} ms에 시작해 끝날 때까지 실행 중입니다.",
        "order": "제어가 넘어간 순서: {path}.",
        "more": "… 그리고 전환 {n}번 더",
        "tip_run": "{lane}: 실행, {t0}–{t1} ms",
        "tip_wait": "{lane}: {where}에서 대기, {t0}–{t1} ms",
        "tip_wait_plain": "{lane}: 대기, {t0}–{t1} ms",
        "tip_idle": "{lane}: OS 폴링에서 쉼, {t0}–{t1} ms",
        "tip_task": "{lane}: {label}, {t0}–{t1} ms",
        "tip_print": "{lane}, {t} ms에 출력: {text}",
        "tip_switch": "{t} ms: {a} → {b}",
        "process_tip": "{lane}: 살아 있음, {t0}–{t1} ms",
        "unknown": "gevent 내부 코드",
        "code": "‘{}’",
        "to_next": ("다음 구간으로 이어지고", "다음 구간으로 이어집니다"),
        "thrown": "예외 전달",
    },
}
MAX_PATH = 40


def _precision(span: float) -> int:
    if span <= 0:
        return 3
    return max(0, min(3, 2 - math.floor(math.log10(span))))


class _Fmt:
    def __init__(self, span: float):
        self.digits = _precision(span)

    def __call__(self, t: float) -> str:
        return f"{t:.{self.digits}f}"


def lane_label(lane: dict, lang: str) -> str:
    words = WORDS[lang]
    if lane["kind"] == "hub":
        return words["hub"]
    if lane["kind"] == "process":
        return words["process"].format(name=lane["name"])
    return lane["name"]


def _clip(bars: list, p0: float, p1: float) -> list:
    """The bars inside [p0, p1], cut to it and shifted so that p0 is 0."""
    clipped = []
    for bar in bars:
        if bar[2] > p0 and bar[1] < p1 or (bar[1] == bar[2] and p0 <= bar[1] <= p1):
            clipped.append([bar[0], max(bar[1], p0) - p0, min(bar[2], p1) - p0, *bar[3:]])
    return clipped


def describe(model: dict, lang: str) -> tuple[str, str]:
    """The text alternative: a title, and a description of what the picture shows."""
    w = WORDS[lang]
    fmt = _Fmt(model["duration"])
    lanes = model["lanes"]
    labels = [lane_label(lane, lang) for lane in lanes]
    title = w["title"].format(snippet=model["snippet"])
    parts = [
        w["summary"].format(
            snippet=model["snippet"],
            total=fmt(model["duration"]),
            lanes=", ".join(labels),
        )
    ]
    panels = model.get("panels") or [{"start": 0.0, "end": model["duration"], "title": None}]
    for panel in panels:
        p0, p1 = panel["start"], panel["end"]
        if panel["title"]:
            parts.append(w["panel"].format(title=panel["title"][lang], length=fmt(p1 - p0)))
        for lane, label in zip(lanes, labels, strict=True):
            bars = _clip(lane["bars"], p0, p1)
            if not bars:
                continue
            ended = lane.get("ended")
            ended = ended - p0 if ended is not None and p0 <= ended <= p1 else None
            if lane["kind"] == "hub":
                idle = sum(b[2] - b[1] for b in bars if b[0] == WAIT)
                key = "hub_idle" if idle else "hub_busy"
                parts.append(w[key].format(lane=label, idle=fmt(idle), total=fmt(p1 - p0)))
            elif lane["kind"] == "thread":
                tasks = ", ".join(
                    w["task"].format(label=b[3] or "", t0=fmt(b[1]), t1=fmt(b[2])) for b in bars
                )
                parts.append(w["thread"].format(lane=label, tasks=tasks))
            elif lane["kind"] == "process":
                key = "process_text" if ended is not None else "process_open"
                t1 = fmt(ended) if ended is not None else ""
                parts.append(w[key].format(lane=label, t0=fmt(bars[0][1]), t1=t1))
            else:
                earlier = lane["bars"][0][1] < p0
                later = p1 < model["duration"]
                parts.append(_describe_greenlet(bars, ended, earlier, later, label, w, fmt))
        steps = [s for s in model["switches"] if p0 <= s[0] <= p1]
        if steps:
            parts.append(w["order"].format(path=_control_path(steps, labels, w)))
    return title, " ".join(parts)


def _describe_greenlet(
    bars: list,
    ended: float | None,
    earlier: bool,
    later: bool,
    label: str,
    w: dict,
    fmt: _Fmt,
) -> str:
    waits = [b for b in bars if b[0] == WAIT]
    first = "carries_on" if earlier else "starts"
    clauses: list[tuple[str, dict]] = [(first, {"lane": label, "t": fmt(bars[0][1])})]
    after = ""
    if len(waits) <= 3:
        for i, bar in enumerate(bars):
            if bar[0] != WAIT:
                continue
            where = w["code"].format(bar[3]) if bar[3] else w["unknown"]
            if i == len(bars) - 1 and ended is None:
                clauses.append(("waits_open", {"where": where, "t0": fmt(bar[1])}))
            else:
                key = "waits_at" if fmt(bar[1]) != fmt(bar[2]) else "waits_briefly"
                clauses.append((key, {"where": where, "t0": fmt(bar[1]), "t1": fmt(bar[2])}))
                clauses.append(("runs_again", {}))
        if clauses[-1][0] == "runs_again" and ended is not None:
            clauses.pop()
    else:
        counts: dict[str, int] = {}
        for bar in waits:
            place = bar[3].split(": ", 1)[-1] if bar[3] and len(bar) > 4 else bar[3]
            place = w["code"].format(place) if place else w["unknown"]
            counts[place] = counts.get(place, 0) + 1
        places = ", ".join(w["times"].format(n=n, where=where) for where, n in counts.items())
        total = sum(b[2] - b[1] for b in waits)
        clauses.append(("waits_many", {"n": len(waits), "total": fmt(total)}))
        after = " " + w["places"].format(places=places)
    if ended is not None:
        clauses.append(("ends", {"t": fmt(ended)}))
    elif bars[-1][0] == RUN:
        clauses.append(("to_next" if later else "to_end", {}))
    return _sentence(w, clauses) + after


def _sentence(w: dict, clauses: list[tuple[str, dict]]) -> str:
    """English: 'a, b, c and d.'; Korean: connective forms, the last one final."""
    texts = []
    for i, (key, values) in enumerate(clauses):
        connective, final = w[key]
        last = i == len(clauses) - 1
        texts.append((final if last and final else connective).format(**values))
    if w[clauses[0][0]][1] is None:  # English
        if len(texts) > 2:
            return ", ".join(texts[:-1]) + " and " + texts[-1] + "."
        return " and ".join(texts) + "."
    return " ".join(texts) + "."


def _control_path(steps: list, labels: list[str], w: dict) -> str:
    names = [labels[steps[0][1]]]
    for _, _, b, how in steps[:MAX_PATH]:
        names.append(labels[b] + (f" ({w['thrown']})" if how == "throw" else ""))
    text = " → ".join(names)
    if len(steps) > MAX_PATH:
        text += " " + w["more"].format(n=len(steps) - MAX_PATH)
    return text


# ---------------------------------------------------------------- drawing

WIDTH = 640
MIN_WIDTH = 560  # px on narrow screens: the page's wrapper scrolls sideways instead
LANE_H = 24
BAR_H = 12
WAIT_H = 12
FONT = 12
SMALL = 10.5
AXIS_H = 30
TITLE_H = 24
LEGEND_H = 28
CAPTION_H = 24
LABEL_MAX = 240.0

LIGHT = (
    "--tl-fg:#1f2328;--tl-muted:#57606a;--tl-grid:rgba(0,0,0,.09);"
    "--tl-run:#3949ab;--tl-on-run:#fff;--tl-hub:#6e7781;--tl-thread:#00796b;"
    "--tl-process:#c25100;--tl-wait:rgba(57,73,171,.16);--tl-wait-line:#3949ab;"
    "--tl-switch:rgba(31,35,40,.45);--tl-print:#c2185b"
)
DARK = (
    "--tl-fg:#e6edf3;--tl-muted:#9da7b3;--tl-grid:rgba(255,255,255,.1);"
    "--tl-run:#8c9eff;--tl-on-run:#10132a;--tl-hub:#9ea7b3;--tl-thread:#4db6ac;"
    "--tl-process:#ffb366;--tl-wait:rgba(140,158,255,.2);--tl-wait-line:#8c9eff;"
    "--tl-switch:rgba(230,237,243,.45);--tl-print:#f48fb1"
)
FG = "var(--md-default-fg-color,var(--tl-fg))"
MUTED = "var(--md-default-fg-color--light,var(--tl-muted))"
STYLE = f"""
.gevent-timeline{{overflow-x:auto;margin:0 0 1em}}
.gevent-timeline>svg.gtl{{display:block;min-width:{MIN_WIDTH}px}}
.gtl{{{LIGHT}}}
.gtl:root{{background:#fff}}
@media (prefers-color-scheme:dark){{.gtl{{{DARK}}}.gtl:root{{background:#0d1117}}}}
[data-md-color-scheme=default] .gtl{{{LIGHT}}}
[data-md-color-scheme=slate] .gtl{{{DARK}}}
.gtl text{{fill:{FG};font-size:12px;
font-family:var(--md-text-font-family,system-ui,sans-serif)}}
.gtl .code{{font-family:var(--md-code-font-family,ui-monospace,monospace)}}
.gtl .muted{{fill:{MUTED}}}
.gtl .small{{font-size:10.5px}}
.gtl .title{{font-weight:700;font-size:12.5px}}
.gtl .grid,.gtl .lane{{stroke:var(--tl-grid);stroke-width:1}}
.gtl .axis{{stroke:{MUTED};stroke-width:1}}
.gtl .run{{fill:var(--tl-run)}}
.gtl .run.hub{{fill:var(--tl-hub)}}
.gtl .run.thread{{fill:var(--tl-thread)}}
.gtl .run.process{{fill:var(--tl-process)}}
.gtl .wait{{fill:var(--tl-wait);stroke:var(--tl-wait-line);stroke-width:1;
stroke-dasharray:3 2}}
.gtl .on-run{{fill:var(--tl-on-run)}}
.gtl .switch{{stroke:var(--tl-switch);stroke-width:1}}
.gtl .end{{stroke:{FG};stroke-width:2}}
.gtl .print,.gtl .throw-head{{fill:var(--tl-print)}}
.gtl .throw{{stroke:var(--tl-print);stroke-width:2}}
""".strip()


def _text_width(text: str, size: float, code: bool = True) -> float:
    narrow = 0.61 if code else 0.56
    return sum(size * (1.0 if ord(ch) > 0x2E7F else narrow) for ch in text)


def _collapse(source: str) -> str:
    """gevent.sleep((10 - pid) * 0.01) -> gevent.sleep(…): the arguments of each
    outermost call folded."""
    out, depth = [], 0
    for i, ch in enumerate(source):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append("()" if source[i - 1] == "(" else "(…)")
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _fit(text: str, width: float, size: float) -> str | None:
    """The text, or its start and an ellipsis, in width (None: too little room)."""
    if _text_width(text, size) <= width:
        return text
    for end in range(len(text) - 1, 7, -1):
        if _text_width(text[:end] + "…", size) <= width:
            return text[:end].rstrip() + "…"
    return None


def _bar_text(note: str, short: str | None, room: float) -> str | None:
    """What of a waiting bar's note fits: all, the call, the folded call, or a cut."""
    folded = _collapse(note) if "(" in note else None
    for text in (note, short, folded):
        if text and _text_width(text, SMALL) <= room:
            return text
    return _fit(note, room, SMALL)


def _nice_step(span: float, target: int = 8) -> float:
    raw = span / target if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _num(value: float) -> str:
    """SVG coordinates: two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _el(tag: str, cls: str = "", content: str = "", tip: str = "", **attrs) -> str:
    """One SVG element: numbers rounded, text escaped, `tip` as a <title>."""
    parts = [tag] + ([f'class="{cls}"'] if cls else [])
    for key, value in attrs.items():
        if isinstance(value, float):
            value = _num(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{value}"')
    inner = escape(content) + (f"<title>{escape(tip)}</title>" if tip else "")
    if not inner:
        return f"<{' '.join(parts)}/>"
    return f"<{' '.join(parts)}>{inner}</{tag}>"


class _Canvas:
    def __init__(self, model: dict, lang: str):
        self.model, self.lang, self.w = model, lang, WORDS[lang]
        self.fmt = _Fmt(model["duration"])
        self.lanes = model["lanes"]
        self.labels = [lane_label(lane, lang) for lane in self.lanes]
        self.panels = model.get("panels") or [
            {"start": 0.0, "end": model["duration"], "title": None}
        ]
        self.span = max(p["end"] - p["start"] for p in self.panels) or 1.0
        widest = max([60.0, *(_text_width(label, FONT) for label in self.labels)])
        self.label_w = min(LABEL_MAX, widest) + 4
        self.x0, self.x1 = self.label_w + 8, WIDTH - 24
        self.scale = (self.x1 - self.x0) / self.span
        self.body: list[str] = []
        self.y = 0.0

    def add(self, *args, **kwargs) -> None:
        self.body.append(_el(*args, **kwargs))

    def legend(self) -> None:
        w = self.w
        self.add("text", "title", w["caption"], x=0, y=14)
        x, y = 0.0, 16.0 + CAPTION_H
        run, wait, switch, printed, end = w["legend"]
        self.add("rect", "run", x=x, y=y - 9, width=18, height=BAR_H)
        x = self.legend_text(run, x + 24, y)
        self.add("rect", "wait", x=x, y=y - 9, width=18, height=WAIT_H)
        x = self.legend_text(wait, x + 24, y)
        self.add("line", "switch", x1=x + 8, x2=x + 8, y1=y - 11, y2=y + 5)
        x = self.legend_text(switch, x + 18, y)
        self.add("circle", "print", cx=x + 5, cy=y - 3, r=3)
        x = self.legend_text(printed, x + 14, y)
        self.add("line", "end", x1=x + 4, x2=x + 4, y1=y - 10, y2=y + 4)
        x = self.legend_text(end, x + 12, y)
        if any(step[3] == "throw" for step in self.model["switches"]):
            self.add("line", "throw", x1=x + 6, x2=x + 6, y1=y - 4, y2=y + 5)
            self.add("path", "throw-head", d=f"M{_num(x + 6)} {_num(y - 11)}l-4 5h8z")
            self.legend_text(w["thrown"], x + 16, y)
        self.y = CAPTION_H + LEGEND_H + 6

    def legend_text(self, text: str, x: float, y: float) -> float:
        self.add("text", "", text, x=x, y=y + 1)
        return x + _text_width(text, FONT, code=False) + 18

    def panel(self, panel: dict) -> None:
        p0, p1 = panel["start"], panel["end"]
        shown = [
            i
            for i, lane in enumerate(self.lanes)
            if any(b[2] > p0 and b[1] < p1 for b in lane["bars"])
        ]
        if panel["title"]:
            self.body.append(
                f'<text class="title" x="0" y="{_num(self.y + 14)}">'
                f'{escape(panel["title"][self.lang])} <tspan class="muted">'
                f"({self.fmt(p1 - p0)} ms)</tspan></text>"
            )
            self.y += TITLE_H
        top = self.y
        centre = {lane: top + LANE_H * (k + 0.5) for k, lane in enumerate(shown)}
        bottom = top + LANE_H * len(shown)
        step = _nice_step(self.span)
        ticks = [k * step for k in range(int(self.span / step + 1e-9) + 1)]
        for t in ticks:
            gx = self.x0 + t * self.scale
            self.add("line", "grid", x1=gx, x2=gx, y1=top, y2=bottom)
        for lane in shown:
            self.lane_row(lane, centre[lane])
        self.switches(p0, p1, centre)
        for lane in shown:
            self.bars(lane, centre[lane], p0, p1)
        for t, lane, text in self.model["prints"]:
            if lane in centre and p0 <= t <= p1:
                tip = self.w["tip_print"].format(lane=self.labels[lane], t=self.fmt(t), text=text)
                cy = centre[lane] - BAR_H / 2 - 2
                self.add("circle", "print", tip=tip, cx=self.x(t, p0), cy=cy, r=2.6)
        self.axis(ticks, step, bottom + 4)

    def x(self, t: float, p0: float) -> float:
        return self.x0 + (t - p0) * self.scale

    def lane_row(self, lane: int, cy: float) -> None:
        self.add("line", "lane", x1=self.x0, x2=self.x1, y1=cy, y2=cy)
        label = self.labels[lane]
        shown = _fit(label, LABEL_MAX, FONT) or label[:8] + "…"
        code = "code" if self.lanes[lane]["kind"] in ("main", "greenlet") else ""
        tip = label if shown != label else ""
        self.add("text", code, shown, tip, x=self.label_w, y=cy + 4, text_anchor="end")

    def switches(self, p0: float, p1: float, centre: dict) -> None:
        for t, a, b, how in self.model["switches"]:
            if not (p0 <= t <= p1) or a not in centre or b not in centre:
                continue
            sx = self.x(t, p0)
            tip = self.w["tip_switch"].format(t=self.fmt(t), a=self.labels[a], b=self.labels[b])
            ya, yb = centre[a], centre[b]
            if how == "throw":
                tip += f" ({self.w['thrown']})"
                self.add("line", "throw", tip=tip, x1=sx, x2=sx, y1=ya, y2=yb)
                head = f"M{_num(sx)} {_num(yb)}l-4 {5 if ya > yb else -5}h8z"
                self.add("path", "throw-head", d=head)
            else:
                self.add("line", "switch", tip=tip, x1=sx, x2=sx, y1=ya, y2=yb)

    def bars(self, lane: int, cy: float, p0: float, p1: float) -> None:
        info, w = self.lanes[lane], self.w
        kind = info["kind"]
        for bar in info["bars"]:
            state, t0, t1, note = bar[:4]
            short = bar[4] if len(bar) > 4 else None
            if t1 < p0 or t0 > p1:
                continue
            bx = self.x(max(t0, p0), p0)
            bw = (min(t1, p1) - max(t0, p0)) * self.scale
            times = {"t0": self.fmt(t0), "t1": self.fmt(t1), "lane": self.labels[lane]}
            if state == RUN:
                bw = max(bw, 1.2)
                if kind == "thread":
                    tip = w["tip_task"].format(label=note or "", **times)
                elif kind == "process":
                    tip = w["process_tip"].format(**times)
                else:
                    tip = w["tip_run"].format(**times)
                cls = "run" + (f" {kind}" if kind in ("hub", "thread", "process") else "")
                self.add("rect", cls, tip=tip, x=bx, y=cy - BAR_H / 2, width=bw, height=BAR_H)
                if note and bw >= _text_width(note, SMALL) + 6:
                    self.add("text", "small code on-run", note, x=bx + 3, y=cy + 3.5)
                continue
            if kind == "hub":
                tip = w["tip_idle"].format(**times)
            elif note:
                tip = w["tip_wait"].format(where=note, **times)
            else:
                tip = w["tip_wait_plain"].format(**times)
            self.add(
                "rect",
                "wait",
                tip=tip,
                x=bx,
                y=cy - WAIT_H / 2,
                width=max(bw, 0.6),
                height=WAIT_H,
            )
            text = _bar_text(note, short, bw - 8) if note else None
            if text:
                self.add("text", "small code", text, x=bx + 4, y=cy + 3.5)
        if "ended" in info and p0 <= info["ended"] <= p1:
            ex = self.x(info["ended"], p0)
            self.add("line", "end", x1=ex, x2=ex, y1=cy - 7, y2=cy + 7)

    def axis(self, ticks: list[float], step: float, ay: float) -> None:
        digits = max(0, -math.floor(math.log10(step) + 1e-9))
        self.add("line", "axis", x1=self.x0, x2=self.x1, y1=ay, y2=ay)
        for t in ticks:
            tx = self.x0 + t * self.scale
            self.add("line", "axis", x1=tx, x2=tx, y1=ay, y2=ay + 4)
            self.add(
                "text",
                "small muted",
                f"{t:.{digits}f}",
                x=tx,
                y=ay + 15,
                text_anchor="middle",
            )
        self.add(
            "text",
            "small muted",
            self.w["axis"],
            x=self.x1 + 20,
            y=ay + 27,
            text_anchor="end",
        )
        self.y = ay + AXIS_H + 6


def render(model: dict, lang: str) -> str:
    """The picture as a standalone SVG that can also be inlined into a page."""
    topic, _, name = model["snippet"].removesuffix(".py").partition("/")
    uid = f"tl-{topic}-{name}-{lang}".replace("_", "-")
    title, desc = describe(model, lang)
    canvas = _Canvas(model, lang)
    canvas.legend()
    for panel in canvas.panels:
        canvas.panel(panel)
    head = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="gtl"'
        f' viewBox="0 0 {WIDTH} {_num(canvas.y)}" width="100%" role="img"'
        f' aria-labelledby="{uid}-title {uid}-desc" style="height:auto">'
    )
    lines = [
        head,
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f"<style>{STYLE}</style>",
        *canvas.body,
        "</svg>",
    ]
    return "\n".join(lines) + "\n"
