"""Which sections are behind in which language, and the messages that say how to fix it
(a section whose text changed in one language only since the record is behind in the
other; renamed pages and anchors are recognised by their content)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gevent_guide.project import ENGLISH_NAMES, LANGUAGES, other
from gevent_guide.translations.record import RECORD_NAME, load_record, record_line
from gevent_guide.translations.sections import TOP, Section, page_names, sections

MARK = "make translated PAGE="
LANGUAGE_NAMES = ENGLISH_NAMES

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
            behind = other(ahead)
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
                f" same, run `{MARK}--all` and commit {RECORD_NAME}"
            ], []
        try:
            status = compute_status(root)
        except json.JSONDecodeError as exc:
            return [
                f"{RECORD_NAME}:{exc.lineno}: not valid JSON ({exc.msg}); fix: restore it"
                f" from git and re-run `{MARK}<page>` (never edit it by hand)"
            ], []
    failures: list[str] = []
    notes: list[str] = []
    for page in status.new_pages:
        failures.append(
            f"docs/ko/{page}.md:1: page {page!r} is not in {RECORD_NAME}; fix: once"
            f" docs/en/{page}.md says the same, run `{MARK}{page}`"
        )
    renamed_pages: dict[tuple[str, str], set[str]] = {}
    for s in status.sections:
        if s.renamed_from and s.renamed_from[0] != s.page:
            renamed_pages.setdefault((s.renamed_from[0], s.page), set()).add(s.anchor)
    for (old, new), _ in sorted(renamed_pages.items()):
        failures.append(
            f"{RECORD_NAME}:{record_line(status.root, old)}: page {old!r} was renamed to"
            f" {new!r} (its sections match); fix: run"
            f" `.venv/bin/gevent-guide translations rename {old} {new}`"
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
                f" `.venv/bin/gevent-guide translations rename {s.page}#{old} {s.page}#{s.anchor}`"
            )
        if s.state == "new":
            failures.append(
                f"{where['ko']}: {label} is not in {RECORD_NAME}; fix: once {where['en']}"
                f" says the same, run `{MARK}{s.page}`"
            )
        elif s.state == "both":
            failures.append(
                f"{where['ko']}: {label} changed in both languages since the last translation"
                f" (also {where['en']}); fix: once they say the same, run `{MARK}{s.page}`"
            )
        elif s.state == "behind":
            ahead = other(s.behind)
            if s.acknowledged:
                notes.append(
                    f"{where[s.behind]}: {label} is behind {where[ahead]}; the site shows a"
                    f" notice until it is translated and `{MARK}{s.page}` is run"
                )
            else:
                failures.append(
                    f"{where[s.behind]}: {label} is behind {where[ahead]}, which changed"
                    f" after the last translation; fix: bring the"
                    f" {LANGUAGE_NAMES[s.behind]} text up to date, then run"
                    f" `{MARK}{s.page}` (or, to publish with a notice on the"
                    f" {LANGUAGE_NAMES[s.behind]} page until then,"
                    f" `.venv/bin/gevent-guide translations later {s.page}`)"
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
                f" `.venv/bin/gevent-guide translations forget {page}` if it was deleted, or"
                f" `.venv/bin/gevent-guide translations rename {page} <new name>` if it was renamed"
            )
        else:
            failures.append(
                f"{RECORD_NAME}:{record_line(status.root, page, anchor)}: {page}#{anchor}"
                f" matches no section of docs/ko/{page}.md and docs/en/{page}.md; fix: run"
                f" `.venv/bin/gevent-guide translations rename {page}#{anchor} {page}#<new anchor>`"
                f" if the anchor was renamed, or `{MARK}{page}` once the page is translated"
            )
    return failures, notes
