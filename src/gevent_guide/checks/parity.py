"""Both languages have the same pages, section anchors, snippets (in the same order) and
number of code annotations per code block."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field
from pathlib import Path

from gevent_guide import project, snippets
from gevent_guide.checks.common import LANGUAGE_NAMES, REPO, _md, page_names
from gevent_guide.project import LANGUAGES
from gevent_guide.translations.sections import TOP, headings, sections

# the two languages of mkdocs.yml: messages compare the second (a translation) with the
# first (the default language)
FIRST, SECOND = LANGUAGES[0], project.other(LANGUAGES[0])

MARKER = re.compile(r"#.*?\((?P<n>\d+)\)!?\s*$")
LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)\d+[.)][ \t]+\S")


@dataclass
class Block:
    """A code block with what matters for parity: its include and its annotations."""

    page: Path
    line: int
    include: str | None
    markers: list[int]  # the annotation numbers in its code, in order
    notes: int  # how many numbered notes follow it directly
    marker_lines: dict[int, int] = field(default_factory=dict)


def annotation_markers(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, number) of every `# (n)` / `# (n)!` marker at the end of a line."""
    found = []
    for i, row in enumerate(lines):
        m = MARKER.search(row)
        if m:
            found.append((i, int(m.group("n"))))
    return found


def notes_after(lines: list[str], start: int, indent: str) -> int:
    """How many items the numbered list right after a code block has (0 if none).
    `start` is the index of the first line after the closing fence."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    count = 0
    width = len(indent.expandtabs(4))
    while i < len(lines):
        row = lines[i]
        if not row.strip():
            i += 1
            continue
        m = LIST_ITEM.match(row)
        here = len(row) - len(row.lstrip())
        if m and len(m.group("indent").expandtabs(4)) == width:
            count += 1
        elif here <= width:
            break  # back at the block's level and not a list item: the list ended
        i += 1
    return count


def blocks(root: Path, page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    for block in snippets.code_blocks(page):
        indent = snippets.FENCE.match(lines[block.line - 1]).group("indent")
        closing = block.line + len(block.body)  # index of the closing fence
        target = block.include
        if target and target.endswith(".py") and (root / "snippets" / target).is_file():
            code = (root / "snippets" / target).read_text(encoding="utf-8").splitlines()
        elif target:
            code = []
        else:
            code = block.body
        markers = annotation_markers(code)
        found.append(
            Block(
                page,
                block.line,
                target,
                [n for _, n in markers],
                notes_after(lines, closing + 1, indent),
                {n: i + 1 for i, n in markers},
            )
        )
    return found


def _section_of(sections: list, line: int) -> str:
    anchor = TOP
    for s in sections:
        if s.line <= line:
            anchor = s.anchor
    return anchor


def _heading_line(sections: list, anchor: str) -> int:
    for s in sections:
        if s.anchor == anchor:
            return s.line
    return 1


def parity(root: Path = REPO) -> list[str]:
    problems: list[str] = []
    names = {lang: set(page_names(root, lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        other = project.other(lang)
        for page in sorted(names[lang] - names[other]):
            problems.append(
                f"docs/{lang}/{page}.md:1: has no {LANGUAGE_NAMES[other]} counterpart"
                f" docs/{other}/{page}.md; fix: add docs/{other}/{page}.md with the same"
                f" sections (or, if the page was deleted or renamed, delete or rename"
                f" docs/{lang}/{page}.md too)"
            )
    for page in sorted(names[FIRST] & names[SECOND]):
        problems += page_parity(root, page)
    return problems


def page_parity(root: Path, page: str) -> list[str]:
    problems: list[str] = []
    path = {lang: _md(root, lang, page) for lang in LANGUAGES}
    name = {lang: f"docs/{lang}/{page}.md" for lang in LANGUAGES}

    # -- every heading has an explicit anchor, used once
    for lang in LANGUAGES:
        seen: dict[str, int] = {}
        for h in headings(path[lang].read_text(encoding="utf-8")):
            if h.level < 2:
                continue
            if not h.anchor:
                problems.append(
                    f"{name[lang]}:{h.line}: heading {'#' * h.level} {h.title} has no"
                    f" explicit anchor; fix: end it with {{ #some-id }}, the same id as"
                    f" the matching heading of {name[project.other(lang)]}"
                )
            elif h.anchor in seen:
                problems.append(
                    f"{name[lang]}:{h.line}: anchor #{h.anchor} is already used on line"
                    f" {seen[h.anchor]}; fix: give every heading its own id"
                )
            else:
                seen[h.anchor] = h.line

    # -- the titles carry the same anchor (pages link to it: queue.md#queue)
    titles = {
        lang: next(
            (h for h in headings(path[lang].read_text(encoding="utf-8")) if h.level == 1),
            None,
        )
        for lang in LANGUAGES
    }
    title_ids = {lang: titles[lang].anchor if titles[lang] else None for lang in LANGUAGES}
    if title_ids[FIRST] != title_ids[SECOND]:
        shown = {
            lang: f"#{title_ids[lang]}" if title_ids[lang] else "no anchor" for lang in LANGUAGES
        }
        line = {lang: titles[lang].line if titles[lang] else 1 for lang in LANGUAGES}
        problems.append(
            f"{name[SECOND]}:{line[SECOND]}: the title has {shown[SECOND]} but the title at"
            f" {name[FIRST]}:{line[FIRST]} has {shown[FIRST]}; fix: give both titles the same"
            " { #id } (or none)"
        )

    # -- same sections in the same order
    secs = {lang: sections(path[lang]) for lang in LANGUAGES}
    anchors = {lang: [s.anchor for s in secs[lang][1:]] for lang in LANGUAGES}
    line_of = {lang: {s.anchor: s.line for s in secs[lang]} for lang in LANGUAGES}
    last_line = {
        lang: max(1, len(path[lang].read_text(encoding="utf-8").splitlines())) for lang in LANGUAGES
    }
    for lang in LANGUAGES:
        other = project.other(lang)
        for i, anchor in enumerate(anchors[other]):
            if anchor in anchors[lang]:
                continue
            after = [a for a in anchors[other][i + 1 :] if a in anchors[lang]]
            where = line_of[lang][after[0]] if after else last_line[lang]
            problems.append(
                f"{name[lang]}:{where}: section #{anchor} is missing"
                f" ({name[other]}:{line_of[other][anchor]} has it); fix: add it here,"
                f" translated, with a heading that ends in {{ #{anchor} }} (or remove it"
                f" from {name[other]})"
            )
    shared = set(anchors[FIRST]) & set(anchors[SECOND])
    common = {
        lang: list(dict.fromkeys(a for a in anchors[lang] if a in shared)) for lang in LANGUAGES
    }
    one, two = common[FIRST], common[SECOND]
    if one != two:
        i = next(i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b)
        problems.append(
            f"{name[SECOND]}:{line_of[SECOND][two[i]]}: section #{two[i]} comes"
            f" where {name[FIRST]}:{line_of[FIRST][one[i]]} has #{one[i]};"
            f" fix: order the sections the same in both languages ({FIRST}: "
            + ", ".join("#" + a for a in one)
            + f"; {SECOND}: "
            + ", ".join("#" + a for a in two)
            + ")"
        )

    # -- same snippets in the same order
    blks = {lang: blocks(root, path[lang]) for lang in LANGUAGES}
    inc = {lang: [b for b in blks[lang] if b.include] for lang in LANGUAGES}
    targets = {lang: [b.include for b in inc[lang]] for lang in LANGUAGES}
    counts = {lang: collections.Counter(targets[lang]) for lang in LANGUAGES}
    for lang in LANGUAGES:
        other = project.other(lang)
        missing = counts[other] - counts[lang]
        for b in inc[other]:
            if missing[b.include] > 0:
                missing[b.include] -= 1
                section = _section_of(secs[other], b.line)
                where = _heading_line(secs[lang], section)
                place = "at the top" if section == TOP else f"in section #{section}"
                problems.append(
                    f'{name[lang]}:{where}: does not include "{b.include}"'
                    f" ({name[other]}:{b.line} does); fix: add a code block with"
                    f' --8<-- "{b.include}" {place}, where {name[other]} has it'
                )
    one, two = targets[FIRST], targets[SECOND]
    if counts[FIRST] == counts[SECOND] and one != two:
        i = next(i for i, (a, b) in enumerate(zip(one, two, strict=True)) if a != b)
        problems.append(
            f'{name[SECOND]}:{inc[SECOND][i].line}: includes "{two[i]}" where'
            f' {name[FIRST]}:{inc[FIRST][i].line} includes "{one[i]}"; fix: include'
            f" the snippets in the same order in both languages ({FIRST}: "
            + ", ".join(one)
            + f"; {SECOND}: "
            + ", ".join(two)
            + ")"
        )

    # -- one numbered note per annotation marker, right after the block
    reported: set[str] = set()
    for lang in LANGUAGES:
        for b in blks[lang]:
            if not b.markers:
                continue
            expected = list(range(1, len(b.markers) + 1))
            if sorted(b.markers) != expected and b.include and b.include not in reported:
                reported.add(b.include)
                first_bad = next(
                    n
                    for n, want in zip(sorted(b.markers) + [0], expected + [0], strict=True)
                    if n != want
                )
                problems.append(
                    f"snippets/{b.include}:{b.marker_lines.get(first_bad, 1)}: annotation"
                    f" markers are ({'), ('.join(map(str, b.markers))}); fix: number them"
                    f" (1), (2), … in order, each once"
                )
            if b.notes != len(b.markers):
                what = f'including "{b.include}"' if b.include else "here"
                problems.append(
                    f"{name[lang]}:{b.line}: the code block {what} has {len(b.markers)}"
                    f" annotation marker(s) but {b.notes} numbered note(s) right after it;"
                    f" fix: follow the block with exactly {len(b.markers)} notes"
                    f" (1.  …), one per marker, as in the other language"
                )
    # inline blocks (no include) must carry the same annotations in both languages
    inline = {lang: [b for b in blks[lang] if not b.include] for lang in LANGUAGES}
    for bk, be in zip(inline[FIRST], inline[SECOND], strict=False):
        if len(bk.markers) != len(be.markers):
            problems.append(
                f"{name[SECOND]}:{be.line}: this code block has {len(be.markers)} annotation"
                f" marker(s), the matching block at {name[FIRST]}:{bk.line} has"
                f" {len(bk.markers)}; fix: give both blocks the same markers, each with"
                " its note"
            )
    return problems
