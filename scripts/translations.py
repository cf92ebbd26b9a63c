"""Which sections of which page are translated: the record in translations.json.

Every page exists as docs/ko/<page>.md and docs/en/<page>.md. A page is cut into
sections at its headings with an explicit anchor (`## 큐 { #queue }`); the text before
the first of them (the title and the introduction) is the section `_top`. For every
section, translations.json keeps a short hash of its text in each language as it was
when the two languages last said the same thing. A section whose text changed in one
language only since then is *behind* in the other language.

    python3 scripts/translations.py mark queue          # after translating: in sync now
    python3 scripts/translations.py mark --all          # every page (first time, big merges)
    python3 scripts/translations.py later queue         # publish a one-language change now;
                                                        # the other language shows a notice
    python3 scripts/translations.py rename queue queues             # a page was renamed
    python3 scripts/translations.py rename queue#old-id queue#new-id  # an anchor was renamed
    python3 scripts/translations.py forget queue        # the page was deleted
    python3 scripts/translations.py status              # what is behind (exit 1 on problems)

Hashes ignore the `{ #anchor }` and how the lines are wrapped, so a renamed anchor or
page still matches its record by content until `rename` re-keys it. Only the standard library is
used, so the script also runs outside the project's virtual environment (and it is
imported by hooks/translation_status.py and tests/guards.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("ko", "en")
LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}
TOP = "_top"
RECORD_NAME = "translations.json"
ABOUT = (
    "Written by scripts/translations.py (see CONTRIBUTING.md): for each page and section"
    " anchor, a hash of the section's text in each language when both last said the same"
    " thing. Update it with `python3 scripts/translations.py mark <page>` after translating."
)
MARK = "python3 scripts/translations.py mark"

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


# ---------------------------------------------------------------- the record


def load_record(root: Path) -> dict:
    path = root / RECORD_NAME
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("pages", {})


def save_record(root: Path, record: dict) -> None:
    """One line per section, so that a diff shows which sections were (re)translated."""
    rows = ["{", f'  "about": {json.dumps(ABOUT, ensure_ascii=False)},', '  "pages": {']
    pages = sorted(p for p in record if record[p])
    for i, page in enumerate(pages):
        rows.append(f"    {json.dumps(page, ensure_ascii=False)}: {{")
        entries = list(record[page].items())
        for j, (anchor, entry) in enumerate(entries):
            comma = "," if j < len(entries) - 1 else ""
            rows.append(
                f"      {json.dumps(anchor, ensure_ascii=False)}:"
                f" {json.dumps(entry, ensure_ascii=False)}{comma}"
            )
        rows.append("    }" + ("," if i < len(pages) - 1 else ""))
    rows += ["  }", "}"]
    (root / RECORD_NAME).write_text("\n".join(rows) + "\n", encoding="utf-8")


def record_line(root: Path, page: str, anchor: str | None = None) -> int:
    """The line of translations.json where a page (or one of its sections) is kept."""
    path = root / RECORD_NAME
    if not path.exists():
        return 1
    rows = path.read_text(encoding="utf-8").splitlines()
    page_key = "    " + json.dumps(page, ensure_ascii=False) + ": {"
    for i, row in enumerate(rows):
        if row == page_key:
            if anchor is None:
                return i + 1
            key = "      " + json.dumps(anchor, ensure_ascii=False) + ": {"
            for j in range(i + 1, len(rows)):
                if rows[j].startswith(key):
                    return j + 1
                if rows[j].startswith("    }"):
                    break
            return i + 1
    return 1


# ---------------------------------------------------------------- status


@dataclass
class SectionStatus:
    page: str
    anchor: str
    state: str  # "sync", "behind", "both", "new"
    current: dict[str, Section]
    behind: str | None = None  # the language that is behind (state "behind")
    acknowledged: bool = False  # `later` recorded it: publish with a notice
    renamed_from: tuple[str, str] | None = None  # the (page, anchor) record it matched


@dataclass
class Status:
    root: Path
    sections: list[SectionStatus] = field(default_factory=list)
    new_pages: list[str] = field(default_factory=list)
    orphans: list[tuple[str, str]] = field(default_factory=list)  # (page, anchor or None)

    def behind_in(self, page: str, language: str) -> list[SectionStatus]:
        return [
            s
            for s in self.sections
            if s.page == page and s.state == "behind" and s.behind == language
        ]


def _rel(root: Path, language: str, page: str) -> str:
    return f"docs/{language}/{page}.md"


def compute_status(root: Path, record: dict | None = None) -> Status:
    """Compare every section present in both languages with the record."""
    docs = root / "docs"
    if record is None:
        record = load_record(root)
    status = Status(root)
    both = sorted(set(page_names(docs, "ko")) & set(page_names(docs, "en")))
    current: dict[tuple[str, str], dict[str, Section]] = {}
    for page in both:
        per_lang = {lang: sections(docs / lang / f"{page}.md") for lang in LANGUAGES}
        en_by_anchor = {s.anchor: s for s in per_lang["en"]}
        for s in per_lang["ko"]:
            if s.anchor in en_by_anchor:
                current[(page, s.anchor)] = {"ko": s, "en": en_by_anchor[s.anchor]}

    used = {key for key in current if key[0] in record and key[1] in record[key[0]]}
    orphans = [
        (page, anchor)
        for page, entries in record.items()
        for anchor in entries
        if (page, anchor) not in used
    ]

    def rename_match(page: str, now: dict[str, Section]) -> tuple[str, str] | None:
        candidates = [
            o
            for o in orphans
            if any(record[o[0]][o[1]].get(lang) == now[lang].digest for lang in LANGUAGES)
        ]
        candidates.sort(key=lambda o: (o[0] != page, o))  # same page first
        return candidates[0] if candidates else None

    unrecorded_pages = {page for page in both if page not in record}
    for (page, anchor), now in current.items():
        entry = record.get(page, {}).get(anchor)
        renamed = None
        if entry is None:
            renamed = rename_match(page, now)
            if renamed is None:
                if page not in unrecorded_pages:
                    status.sections.append(SectionStatus(page, anchor, "new", now))
                continue
            orphans.remove(renamed)
            entry = record[renamed[0]][renamed[1]]
        changed = {lang: entry.get(lang) != now[lang].digest for lang in LANGUAGES}
        later = entry.get("later", {})
        if not any(changed.values()):
            item = SectionStatus(page, anchor, "sync", now)
        elif all(changed.values()):
            item = SectionStatus(page, anchor, "both", now)
        else:
            ahead = "ko" if changed["ko"] else "en"
            behind = "en" if ahead == "ko" else "ko"
            item = SectionStatus(
                page,
                anchor,
                "behind",
                now,
                behind=behind,
                acknowledged=later.get(ahead) == now[ahead].digest,
            )
        item.renamed_from = renamed
        status.sections.append(item)

    # A page whose sections all matched an old record by content was renamed, not new.
    matched_pages = {s.page for s in status.sections}
    status.new_pages = sorted(unrecorded_pages - matched_pages)
    status.orphans = orphans
    return status


def problems(root: Path, status: Status | None = None) -> tuple[list[str], list[str]]:
    """(failures, notes): every message names a file and line and says what to do."""
    if status is None:
        if not (root / RECORD_NAME).exists():
            return [
                f"{RECORD_NAME}:1: missing; fix: once both languages of every page say the"
                f" same, run `{MARK} --all` and commit {RECORD_NAME}"
            ], []
        try:
            status = compute_status(root)
        except json.JSONDecodeError as exc:
            return [
                f"{RECORD_NAME}:{exc.lineno}: not valid JSON ({exc.msg}); fix: restore it"
                f" from git and re-run `{MARK} <page>` (never edit it by hand)"
            ], []
    failures: list[str] = []
    notes: list[str] = []
    for page in status.new_pages:
        failures.append(
            f"docs/ko/{page}.md:1: page {page!r} is not in {RECORD_NAME}; fix: once"
            f" docs/en/{page}.md says the same, run `{MARK} {page}`"
        )
    renamed_pages: dict[tuple[str, str], set[str]] = {}
    for s in status.sections:
        if s.renamed_from and s.renamed_from[0] != s.page:
            renamed_pages.setdefault((s.renamed_from[0], s.page), set()).add(s.anchor)
    for (old, new), _ in sorted(renamed_pages.items()):
        failures.append(
            f"{RECORD_NAME}:{record_line(status.root, old)}: page {old!r} was renamed to"
            f" {new!r} (its sections match); fix: run"
            f" `python3 scripts/translations.py rename {old} {new}`"
        )
    for s in status.sections:
        where = {
            lang: f"{_rel(status.root, lang, s.page)}:{s.current[lang].line}" for lang in LANGUAGES
        }
        label = "the top of the page" if s.anchor == TOP else f"section #{s.anchor}"
        if s.renamed_from and s.renamed_from[0] == s.page:
            old = s.renamed_from[1]
            failures.append(
                f"{RECORD_NAME}:{record_line(status.root, s.page, old)}: {s.page}#{old} was"
                f" renamed to {s.page}#{s.anchor} (its text matches); fix: run"
                f" `python3 scripts/translations.py rename {s.page}#{old} {s.page}#{s.anchor}`"
            )
        if s.state == "new":
            failures.append(
                f"{where['ko']}: {label} is not in {RECORD_NAME}; fix: once {where['en']}"
                f" says the same, run `{MARK} {s.page}`"
            )
        elif s.state == "both":
            failures.append(
                f"{where['ko']}: {label} changed in both languages since the last translation"
                f" (also {where['en']}); fix: once they say the same, run `{MARK} {s.page}`"
            )
        elif s.state == "behind":
            ahead = "en" if s.behind == "ko" else "ko"
            if s.acknowledged:
                notes.append(
                    f"{where[s.behind]}: {label} is behind {where[ahead]}; the site shows a"
                    f" notice until it is translated and `{MARK} {s.page}` is run"
                )
            else:
                failures.append(
                    f"{where[s.behind]}: {label} is behind {where[ahead]}, which changed"
                    f" after the last translation; fix: bring the"
                    f" {LANGUAGE_NAMES[s.behind]} text up to date, then run"
                    f" `{MARK} {s.page}` (or, to publish with a notice on the"
                    f" {LANGUAGE_NAMES[s.behind]} page until then,"
                    f" `python3 scripts/translations.py later {s.page}`)"
                )
    docs = status.root / "docs"
    pages_now = set(page_names(docs, "ko")) | set(page_names(docs, "en"))
    renamed_old = {old for (old, _new) in renamed_pages}
    deleted = set()
    in_both = set(page_names(docs, "ko")) & set(page_names(docs, "en"))
    for page, anchor in status.orphans:
        if page in renamed_old or page in deleted:
            continue
        if page in pages_now and page not in in_both:
            continue  # in one language only: the parity check says so
        if page not in pages_now:
            deleted.add(page)
            failures.append(
                f"{RECORD_NAME}:{record_line(status.root, page)}: page {page!r} has no"
                f" docs/ko/{page}.md or docs/en/{page}.md any more; fix: run"
                f" `python3 scripts/translations.py forget {page}` if it was deleted, or"
                f" `python3 scripts/translations.py rename {page} <new name>` if it was renamed"
            )
        else:
            failures.append(
                f"{RECORD_NAME}:{record_line(status.root, page, anchor)}: {page}#{anchor}"
                f" matches no section of docs/ko/{page}.md and docs/en/{page}.md; fix: run"
                f" `python3 scripts/translations.py rename {page}#{anchor} {page}#<new anchor>`"
                f" if the anchor was renamed, or `{MARK} {page}` once the page is translated"
            )
    return failures, notes


# ---------------------------------------------------------------- commands


class UsageError(Exception):
    pass


def _page_sections(root: Path, page: str) -> dict[str, dict[str, Section]]:
    docs = root / "docs"
    found = {}
    for lang in LANGUAGES:
        path = docs / lang / f"{page}.md"
        if not path.exists():
            raise UsageError(f"docs/{lang}/{page}.md does not exist")
        found[lang] = sections(path)
    anchors = {lang: [s.anchor for s in found[lang]] for lang in LANGUAGES}
    if anchors["ko"] != anchors["en"]:
        ko = ", ".join(anchors["ko"][1:]) or "-"
        en = ", ".join(anchors["en"][1:]) or "-"
        raise UsageError(
            f"docs/ko/{page}.md and docs/en/{page}.md have different section anchors"
            f" (ko: {ko}; en: {en});"
            " give both the same `{ #anchor }` headings in the same order first"
        )
    return {s.anchor: {"ko": s, "en": e} for s, e in zip(found["ko"], found["en"], strict=True)}


def _split(target: str) -> tuple[str, str | None]:
    target = target.removesuffix(".md")
    for lang in LANGUAGES:
        target = target.removeprefix(f"docs/{lang}/")
    page, _, anchor = target.partition("#")
    return page, anchor or None


def mark(root: Path, targets: list[str], all_pages: bool = False) -> list[str]:
    record = load_record(root)
    if all_pages:
        docs = root / "docs"
        targets = sorted(set(page_names(docs, "ko")) | set(page_names(docs, "en")))
        record = {p: v for p, v in record.items() if p in targets}
    done = []
    for target in targets:
        page, anchor = _split(target)
        now = _page_sections(root, page)
        if anchor is None:
            record[page] = {a: {lang: now[a][lang].digest for lang in LANGUAGES} for a in now}
            done.append(f"{page}: {len(now)} sections marked as translated")
        else:
            if anchor not in now:
                raise UsageError(f"{page} has no section #{anchor}")
            entries = record.setdefault(page, {})
            entries[anchor] = {lang: now[anchor][lang].digest for lang in LANGUAGES}
            order = [a for a in now if a in entries] + [a for a in entries if a not in now]
            record[page] = {a: entries[a] for a in order}
            done.append(f"{page}#{anchor}: marked as translated")
    save_record(root, record)
    return done


def later(root: Path, page: str, behind: str | None = None) -> list[str]:
    """Accept that some sections of `page` are behind in one language for now."""
    page, _ = _split(page)
    record = load_record(root)
    now = _page_sections(root, page)
    status = compute_status(root, record)
    entries = record.setdefault(page, {})
    done = []
    for s in status.sections:
        if s.page != page or s.state == "sync":
            continue
        lag = s.behind if s.state == "behind" else behind
        if lag is None:
            state = "new" if s.state == "new" else "changed in both languages"
            raise UsageError(
                f"{page}#{s.anchor} is {state};"
                " say which language is behind with --behind ko or --behind en"
            )
        ahead = "en" if lag == "ko" else "ko"
        if s.renamed_from:
            old = record[s.renamed_from[0]].pop(s.renamed_from[1])
            if not record[s.renamed_from[0]]:
                del record[s.renamed_from[0]]
        else:
            old = entries.get(s.anchor, {})
        entries[s.anchor] = {
            "ko": old.get("ko", ""),
            "en": old.get("en", ""),
            "later": {ahead: now[s.anchor][ahead].digest},
        }
        entries[s.anchor][lag] = now[s.anchor][lag].digest
        done.append(f"{page}#{s.anchor}: {LANGUAGE_NAMES[lag]} is behind; the site shows a notice")
    save_record(root, record)
    return done


def rename(root: Path, old: str, new: str) -> list[str]:
    record = load_record(root)
    old_page, old_anchor = _split(old)
    new_page, new_anchor = _split(new)
    if (old_anchor is None) != (new_anchor is None):
        raise UsageError(
            "rename a page to a page (queue queues) or a section to a section (queue#old queue#new)"
        )
    if old_anchor is None:
        if old_page not in record:
            raise UsageError(f"{RECORD_NAME} has no page {old_page!r}")
        if new_page in record:
            raise UsageError(f"{RECORD_NAME} already has a page {new_page!r}")
        record[new_page] = record.pop(old_page)
    else:
        entry = record.get(old_page, {}).pop(old_anchor, None)
        if entry is None:
            raise UsageError(f"{RECORD_NAME} has no section {old_page}#{old_anchor}")
        record.setdefault(new_page, {})[new_anchor] = entry
        if not record[old_page]:
            del record[old_page]
    save_record(root, record)
    return [f"{old} -> {new}"]


def forget(root: Path, target: str) -> list[str]:
    record = load_record(root)
    page, anchor = _split(target)
    gone = record.pop(page, None) if anchor is None else record.get(page, {}).pop(anchor, None)
    if gone is None:
        raise UsageError(f"{RECORD_NAME} has no {target}")
    save_record(root, record)
    return [f"{target}: forgotten"]


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    root = root or Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(
        prog="translations.py",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("mark", help="the languages of these pages say the same now")
    p.add_argument("pages", nargs="*", help="page names (queue, queue#anchor, docs/ko/queue.md)")
    p.add_argument("--all", action="store_true", help="every page")
    p = sub.add_parser("later", help="publish a one-language change with a notice")
    p.add_argument("page")
    p.add_argument("--behind", choices=LANGUAGES, help="for new sections: the language behind")
    p = sub.add_parser("rename", help="re-key a renamed page or anchor")
    p.add_argument("old")
    p.add_argument("new")
    p = sub.add_parser("forget", help="drop a deleted page or section")
    p.add_argument("target")
    sub.add_parser("status", help="print what is behind; exit 1 on problems")
    args = parser.parse_args(argv)
    try:
        if args.command == "mark":
            if not args.pages and not args.all:
                raise UsageError("name the page(s) you translated, or use --all")
            out = mark(root, args.pages, args.all)
        elif args.command == "later":
            out = later(root, args.page, args.behind)
        elif args.command == "rename":
            out = rename(root, args.old, args.new)
        elif args.command == "forget":
            out = forget(root, args.target)
        else:
            failures, notes = problems(root)
            for line in failures + notes:
                print(line)
            if not failures:
                print("every section is translated" if not notes else "no problems")
            return 1 if failures else 0
    except UsageError as exc:
        print(f"translations.py: {exc}", file=sys.stderr)
        return 2
    for line in out:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
