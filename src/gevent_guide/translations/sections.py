"""A page cut into sections at its headings with an explicit anchor (`## 큐 { #queue }`);
the text before the first of them (the title and the introduction) is the section `_top`.
Hashes ignore the `{ #anchor }` and how the lines are wrapped."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

TOP = "_top"
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*$")
ATTR_LIST = re.compile(r"[ \t]*\{:?(?P<attrs>[^{}]*)\}[ \t]*$")
ANCHOR = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")
FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")

# ---------------------------------------------------------------- sections


@dataclass
class Section:
    anchor: str  # the explicit anchor, or TOP for the text before the first one
    line: int  # 1-based line of the heading (1 for TOP)
    title: str  # the heading text without its attribute list ("" for TOP)
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        rows = [row.rstrip() for row in self.lines]
        while rows and not rows[0]:
            rows.pop(0)
        while rows and not rows[-1]:
            rows.pop()
        return "\n".join(rows)

    @property
    def digest(self) -> str:
        """Short hash of the words: re-wrapping lines or trailing spaces change nothing."""
        words = " ".join(self.text.split())
        return hashlib.sha256(words.encode("utf-8")).hexdigest()[:12]


@dataclass
class Heading:
    line: int
    level: int
    title: str
    anchor: str | None


def headings(text: str) -> list[Heading]:
    """ATX headings outside fenced code blocks, with their explicit anchor if any."""
    found: list[Heading] = []
    fence: str | None = None
    for number, row in enumerate(text.splitlines(), start=1):
        m = FENCE.match(row)
        if fence:
            closes = (
                m
                and m.group("fence")[0] == fence[0]
                and len(m.group("fence")) >= len(fence)
                and not row.strip().strip(fence[0])
            )
            if closes:
                fence = None
            continue
        if m:
            fence = m.group("fence")
            continue
        h = HEADING.match(row)
        if not h:
            continue
        title, anchor = h.group("text"), None
        attrs = ATTR_LIST.search(title)
        if attrs:
            ids = ANCHOR.findall(attrs.group("attrs"))
            anchor = ids[0] if ids else None
            title = title[: attrs.start()].rstrip()
        title = re.sub(r"[ \t]+#+$", "", title)  # closing hashes: ## Title ##
        found.append(Heading(number, len(h.group("hashes")), title, anchor))
    return found


def sections(path: Path) -> list[Section]:
    """The page cut at every heading (level 2+) that has an explicit anchor."""
    text = path.read_text(encoding="utf-8")
    starts = {h.line: h for h in headings(text) if h.level >= 2 and h.anchor}
    result = [Section(TOP, 1, "")]
    for number, row in enumerate(text.splitlines(), start=1):
        h = starts.get(number)
        if h:
            result.append(Section(h.anchor, number, h.title))
            row = HEADING.match(row).group("hashes") + " " + h.title
        result[-1].lines.append(row)
    return result


def page_names(docs: Path, language: str) -> list[str]:
    folder = docs / language
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.md"))
