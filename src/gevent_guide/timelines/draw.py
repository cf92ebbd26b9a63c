"""The timeline model drawn as a static SVG (lanes, bars, switches, axis, legend), with the
text alternative of describe.py."""

from __future__ import annotations

import math
from html import escape

from gevent_guide.timelines.describe import WORDS, _Fmt, describe, lane_label
from gevent_guide.timelines.model import RUN, bars

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
            if any(b.t1 > p0 and b.t0 < p1 for b in bars(lane))
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
        for bar in bars(info):
            state, t0, t1, note = bar.state, bar.t0, bar.t1, bar.note
            short = bar.short if bar.detailed else None
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
