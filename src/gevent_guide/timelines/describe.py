"""The text alternative of a timeline, in each language: a title and a description that
say who ran, waited and printed, in the order it happened."""

from __future__ import annotations

import math

from gevent_guide.timelines.model import RUN, WAIT

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
