"""The commands that keep translations.json (`gevent-guide translated PAGE` and
`gevent-guide translations later|rename|forget|status`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gevent_guide.project import LANGUAGES, ROOT, other
from gevent_guide.translations.record import RECORD_NAME, load_record, save_record
from gevent_guide.translations.sections import Section, page_names, sections
from gevent_guide.translations.status import LANGUAGE_NAMES, compute_status, problems

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
        ahead = other(lag)
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
    root = root or ROOT
    parser = argparse.ArgumentParser(
        prog="gevent-guide translations",
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
        print(f"gevent-guide translations: {exc}", file=sys.stderr)
        return 2
    for line in out:
        print(line)
    return 0
