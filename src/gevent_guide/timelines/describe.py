"""The text alternative of a timeline, in each language: a title and a description that
say who ran, waited and printed, in the order it happened."""

from __future__ import annotations

import math
from dataclasses import replace

from gevent_guide.strings import strings
from gevent_guide.timelines.model import RUN, WAIT, Bar
from gevent_guide.timelines.model import bars as model_bars


class _Words(dict):
    """WORDS[lang]: the timeline's words in that language (strings/<lang>.toml)."""

    def __missing__(self, lang: str) -> dict:
        self[lang] = strings(lang)["timeline"]
        return self[lang]


WORDS = _Words()
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


def _clip(bars: list[Bar], p0: float, p1: float) -> list[Bar]:
    """The bars inside [p0, p1], cut to it and shifted so that p0 is 0."""
    return [
        replace(bar, t0=max(bar.t0, p0) - p0, t1=min(bar.t1, p1) - p0)
        for bar in bars
        if bar.t1 > p0 and bar.t0 < p1 or (bar.t0 == bar.t1 and p0 <= bar.t0 <= p1)
    ]


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
            bars = _clip(model_bars(lane), p0, p1)
            if not bars:
                continue
            ended = lane.get("ended")
            ended = ended - p0 if ended is not None and p0 <= ended <= p1 else None
            if lane["kind"] == "hub":
                idle = sum(b.t1 - b.t0 for b in bars if b.state == WAIT)
                key = "hub_idle" if idle else "hub_busy"
                parts.append(w[key].format(lane=label, idle=fmt(idle), total=fmt(p1 - p0)))
            elif lane["kind"] == "thread":
                tasks = ", ".join(
                    w["task"].format(label=b.note or "", t0=fmt(b.t0), t1=fmt(b.t1)) for b in bars
                )
                parts.append(w["thread"].format(lane=label, tasks=tasks))
            elif lane["kind"] == "process":
                key = "process_text" if ended is not None else "process_open"
                t1 = fmt(ended) if ended is not None else ""
                parts.append(w[key].format(lane=label, t0=fmt(bars[0].t0), t1=t1))
            else:
                earlier = model_bars(lane)[0].t0 < p0
                later = p1 < model["duration"]
                parts.append(_describe_greenlet(bars, ended, earlier, later, label, w, fmt))
        steps = [s for s in model["switches"] if p0 <= s[0] <= p1]
        if steps:
            parts.append(w["order"].format(path=_control_path(steps, labels, w)))
    return title, " ".join(parts)


def _describe_greenlet(
    bars: list[Bar],
    ended: float | None,
    earlier: bool,
    later: bool,
    label: str,
    w: dict,
    fmt: _Fmt,
) -> str:
    waits = [b for b in bars if b.state == WAIT]
    first = "carries_on" if earlier else "starts"
    clauses: list[tuple[str, dict]] = [(first, {"lane": label, "t": fmt(bars[0].t0)})]
    after = ""
    if len(waits) <= 3:
        for i, bar in enumerate(bars):
            if bar.state != WAIT:
                continue
            where = w["code"].format(bar.note) if bar.note else w["unknown"]
            if i == len(bars) - 1 and ended is None:
                clauses.append(("waits_open", {"where": where, "t0": fmt(bar.t0)}))
            else:
                key = "waits_at" if fmt(bar.t0) != fmt(bar.t1) else "waits_briefly"
                clauses.append((key, {"where": where, "t0": fmt(bar.t0), "t1": fmt(bar.t1)}))
                clauses.append(("runs_again", {}))
        if clauses[-1][0] == "runs_again" and ended is not None:
            clauses.pop()
    else:
        counts: dict[str, int] = {}
        for bar in waits:
            place = bar.note.split(": ", 1)[-1] if bar.note and bar.detailed else bar.note
            place = w["code"].format(place) if place else w["unknown"]
            counts[place] = counts.get(place, 0) + 1
        places = ", ".join(w["times"].format(n=n, where=where) for where, n in counts.items())
        total = sum(b.t1 - b.t0 for b in waits)
        clauses.append(("waits_many", {"n": len(waits), "total": fmt(total)}))
        after = " " + w["places"].format(places=places)
    if ended is not None:
        clauses.append(("ends", {"t": fmt(ended)}))
    elif bars[-1].state == RUN:
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
