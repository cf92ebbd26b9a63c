"""The guards that keep the two languages of the guide together and the site whole.

Each check is a function of a repository-like folder `root` (docs/, snippets/,
mkdocs.yml, translations.json, verified-with.json), so the same code checks the real
site (tests/test_guards.py) and deliberately broken copies of a small site
(tests/test_guards_selftest.py). Each returns messages of the form

    docs/en/queue.md:12: <what is wrong>; fix: <what to do>

1. parity()        counterpart pages, same section anchors, same snippets, same
                   number of code annotations per code block, in the same order
   nav()           mkdocs.yml's nav lists every page, and every nav title is translated
2. staleness()     translations.json: which sections are behind in which language
3. site_links()    every internal link and anchor of a built site resolves; the
                   external ones are listed and must be https
4. removed_apis()  no removed or renamed gevent API in a snippet or a page, and every
                   gevent name a snippet uses exists in the installed gevent
5. versions()      verified-with.json names the gevent and greenlet this run uses
"""

from __future__ import annotations

import ast
import collections
import html.parser
import importlib
import importlib.util
import inspect
import json
import platform
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import harness

REPO = harness.REPO
LANGUAGES = harness.LANGUAGES
LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}
VERSIONS_FILE = "verified-with.json"
REMOVED_API_OK = "<!-- removed-api -->"


def _load_translations():
    """scripts/translations.py (shared with the build hook and the command line)."""
    name = "gevent_guide_translations"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


translations = _load_translations()


def _md(root: Path, language: str, page: str) -> Path:
    return root / "docs" / language / f"{page}.md"


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def page_names(root: Path, language: str) -> list[str]:
    return translations.page_names(root / "docs", language)


# ---------------------------------------------------------------- 1. parity


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
    for block in harness.code_blocks(page):
        indent = harness.FENCE.match(lines[block.line - 1]).group("indent")
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
    anchor = translations.TOP
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
        other = "en" if lang == "ko" else "ko"
        for page in sorted(names[lang] - names[other]):
            problems.append(
                f"docs/{lang}/{page}.md:1: has no {LANGUAGE_NAMES[other]} counterpart"
                f" docs/{other}/{page}.md; fix: add docs/{other}/{page}.md with the same"
                f" sections (or, if the page was deleted or renamed, delete or rename"
                f" docs/{lang}/{page}.md too)"
            )
    for page in sorted(names["ko"] & names["en"]):
        problems += page_parity(root, page)
    return problems


def page_parity(root: Path, page: str) -> list[str]:
    problems: list[str] = []
    path = {lang: _md(root, lang, page) for lang in LANGUAGES}
    name = {lang: f"docs/{lang}/{page}.md" for lang in LANGUAGES}

    # -- every heading has an explicit anchor, used once
    for lang in LANGUAGES:
        seen: dict[str, int] = {}
        for h in translations.headings(path[lang].read_text(encoding="utf-8")):
            if h.level < 2:
                continue
            if not h.anchor:
                problems.append(
                    f"{name[lang]}:{h.line}: heading {'#' * h.level} {h.title} has no"
                    f" explicit anchor; fix: end it with {{ #some-id }}, the same id as"
                    f" the matching heading of {name['en' if lang == 'ko' else 'ko']}"
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
            (
                h
                for h in translations.headings(path[lang].read_text(encoding="utf-8"))
                if h.level == 1
            ),
            None,
        )
        for lang in LANGUAGES
    }
    title_ids = {lang: titles[lang].anchor if titles[lang] else None for lang in LANGUAGES}
    if title_ids["ko"] != title_ids["en"]:
        shown = {
            lang: f"#{title_ids[lang]}" if title_ids[lang] else "no anchor" for lang in LANGUAGES
        }
        line = titles["en"].line if titles["en"] else 1
        ko_line = titles["ko"].line if titles["ko"] else 1
        problems.append(
            f"{name['en']}:{line}: the title has {shown['en']} but the title at"
            f" {name['ko']}:{ko_line} has {shown['ko']}; fix: give both titles the same"
            " { #id } (or none)"
        )

    # -- same sections in the same order
    secs = {lang: translations.sections(path[lang]) for lang in LANGUAGES}
    anchors = {lang: [s.anchor for s in secs[lang][1:]] for lang in LANGUAGES}
    line_of = {lang: {s.anchor: s.line for s in secs[lang]} for lang in LANGUAGES}
    last_line = {
        lang: max(1, len(path[lang].read_text(encoding="utf-8").splitlines())) for lang in LANGUAGES
    }
    for lang in LANGUAGES:
        other = "en" if lang == "ko" else "ko"
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
    shared = set(anchors["ko"]) & set(anchors["en"])
    common = {
        lang: list(dict.fromkeys(a for a in anchors[lang] if a in shared)) for lang in LANGUAGES
    }
    if common["ko"] != common["en"]:
        i = next(
            i for i, (a, b) in enumerate(zip(common["ko"], common["en"], strict=False)) if a != b
        )
        problems.append(
            f"{name['en']}:{line_of['en'][common['en'][i]]}: section #{common['en'][i]} comes"
            f" where {name['ko']}:{line_of['ko'][common['ko'][i]]} has #{common['ko'][i]};"
            f" fix: order the sections the same in both languages (ko: "
            + ", ".join("#" + a for a in common["ko"])
            + "; en: "
            + ", ".join("#" + a for a in common["en"])
            + ")"
        )

    # -- same snippets in the same order
    blks = {lang: blocks(root, path[lang]) for lang in LANGUAGES}
    inc = {lang: [b for b in blks[lang] if b.include] for lang in LANGUAGES}
    targets = {lang: [b.include for b in inc[lang]] for lang in LANGUAGES}
    counts = {lang: collections.Counter(targets[lang]) for lang in LANGUAGES}
    for lang in LANGUAGES:
        other = "en" if lang == "ko" else "ko"
        missing = counts[other] - counts[lang]
        for b in inc[other]:
            if missing[b.include] > 0:
                missing[b.include] -= 1
                section = _section_of(secs[other], b.line)
                where = _heading_line(secs[lang], section)
                place = "at the top" if section == translations.TOP else f"in section #{section}"
                problems.append(
                    f'{name[lang]}:{where}: does not include "{b.include}"'
                    f" ({name[other]}:{b.line} does); fix: add a code block with"
                    f' --8<-- "{b.include}" {place}, where {name[other]} has it'
                )
    if counts["ko"] == counts["en"] and targets["ko"] != targets["en"]:
        i = next(
            i for i, (a, b) in enumerate(zip(targets["ko"], targets["en"], strict=True)) if a != b
        )
        problems.append(
            f'{name["en"]}:{inc["en"][i].line}: includes "{targets["en"][i]}" where'
            f' {name["ko"]}:{inc["ko"][i].line} includes "{targets["ko"][i]}"; fix: include'
            " the snippets in the same order in both languages (ko: "
            + ", ".join(targets["ko"])
            + "; en: "
            + ", ".join(targets["en"])
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
    for bk, be in zip(inline["ko"], inline["en"], strict=False):
        if len(bk.markers) != len(be.markers):
            problems.append(
                f"{name['en']}:{be.line}: this code block has {len(be.markers)} annotation"
                f" marker(s), the matching block at {name['ko']}:{bk.line} has"
                f" {len(bk.markers)}; fix: give both blocks the same markers, each with"
                " its note"
            )
    return problems


# ---------------------------------------------------------------- 1b. nav


def _yaml_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def ignore(loader, suffix, node):
        return None

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", ignore)
    Loader.add_multi_constructor("!", ignore)
    return Loader


def load_config(root: Path) -> dict:
    import yaml

    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_yaml_loader())


def _nav_items(nav, titles: list[str], pages: list[str]) -> None:
    for item in nav or []:
        if isinstance(item, str):
            pages.append(item)
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    if title is not None:
                        titles.append(str(title))
                    pages.append(value)
                else:
                    titles.append(str(title))
                    _nav_items(value, titles, pages)


def _config_line(root: Path, text: str, after: str = "nav:") -> int:
    rows = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    start = next((i for i, r in enumerate(rows) if r.startswith(after)), 0)
    for i in range(start, len(rows)):
        if text in rows[i]:
            return i + 1
    return start + 1


def nav(root: Path = REPO) -> list[str]:
    config = load_config(root)
    problems: list[str] = []
    plugin = next(
        (p["i18n"] for p in config.get("plugins", []) if isinstance(p, dict) and "i18n" in p),
        {},
    )
    languages = {lang["locale"]: lang for lang in plugin.get("languages", [])}
    for lang in LANGUAGES:
        own = languages.get(lang, {}).get("nav")
        titles: list[str] = []
        entries: list[str] = []
        _nav_items(own or config.get("nav"), titles, entries)
        entries = [e for e in entries if "://" not in e]
        listed = {e.removesuffix(".md") for e in entries}
        for page in page_names(root, lang):
            if page not in listed and (lang == "ko" or page not in page_names(root, "ko")):
                problems.append(
                    f"docs/{lang}/{page}.md:1: is not in the nav of mkdocs.yml; fix: add"
                    f" `- {page}.md` to nav: in mkdocs.yml, under the section it belongs to"
                    " (one entry serves both languages)"
                )
        for entry in entries:
            if not _md(root, lang, entry.removesuffix(".md")).is_file():
                problems.append(
                    f"mkdocs.yml:{_config_line(root, entry)}: nav entry {entry} has no"
                    f" page docs/{lang}/{entry}; fix: add docs/{lang}/{entry}, or remove"
                    " the entry from nav:"
                )
        if lang != "ko" and not own:
            translated = languages.get(lang, {}).get("nav_translations") or {}
            for title in titles:
                if title not in translated:
                    problems.append(
                        f"mkdocs.yml:{_config_line(root, title)}: nav title {title!r} has"
                        f" no {LANGUAGE_NAMES[lang]} title; fix: add `{title}: <"
                        f"{LANGUAGE_NAMES[lang]} title>` to nav_translations: of the"
                        f" {lang} language in mkdocs.yml"
                    )
    return problems


# ---------------------------------------------------------------- 2. staleness


def staleness(root: Path = REPO) -> tuple[list[str], list[str]]:
    """(failures, notes): sections behind in one language, and the record's upkeep."""
    return translations.problems(root)


# ---------------------------------------------------------------- 3. links


SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag.attribute, url)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag in ("a", "link") and a.get("href") is not None:
            if tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch"):
                return
            self.links.append((tag, a["href"]))
        if tag in ("img", "script", "source", "iframe") and a.get("src"):
            self.links.append((tag, a["src"]))


def source_of(root: Path, page: str) -> Path | None:
    """docs/<lang>/<name>.md for a built page such as en/queue/index.html."""
    parts = page.split("/")
    if parts[-1] != "index.html":
        return None
    lang = "ko"
    if parts[0] in LANGUAGES and parts[0] != "ko":
        lang, parts = parts[0], parts[1:]
    name = "/".join(parts[:-1]) or "index"
    path = _md(root, lang, name)
    return path if path.is_file() else None


MD_LINK = re.compile(r"\]\((?P<target><[^>]*>|[^)\s]+)")


def _source_line(source: Path, href: str) -> tuple[int, str] | None:
    """The line of the Markdown page that wrote a link, and the link as written there
    (queue.md#anchor becomes ../queue/#anchor on the site)."""
    path, _, fragment = href.partition("#")
    stem = path.rstrip("/").split("/")[-1].removesuffix(".html") if path else ""
    rows = source.read_text(encoding="utf-8").splitlines()

    def written_as(target: str) -> bool:
        if target == href:
            return True
        t_path, _, t_fragment = target.partition("#")
        if t_fragment != fragment:
            return False
        if not path:
            return not t_path
        t_stem = t_path.removesuffix(".md").rstrip("/").split("/")[-1]
        return t_path.endswith(".md") and t_stem == (stem or "index")

    for number, row in enumerate(rows, start=1):
        for m in MD_LINK.finditer(row):
            target = m.group("target").strip("<>")
            if written_as(target):
                return number, target
    if len(href) > 3:  # a link written as HTML or in a table of links
        for number, row in enumerate(rows, start=1):
            if href in row:
                return number, href
    return None


# files that .github/workflows/pages.yml adds to the built site before deploying it (links to
# them resolve on the deployed site; tests/test_offline_link.py checks the workflow does add them)
ADDED_AT_DEPLOY = {"gevent-guide-offline.zip"}


@dataclass
class LinkReport:
    problems: list[str]
    external: dict[str, list[str]]  # url -> pages that link to it


def site_links(site: Path, root: Path = REPO) -> LinkReport:
    config = load_config(root)
    site_url = (config.get("site_url") or "https://example.invalid/").rstrip("/") + "/"
    base_path = urlsplit(site_url).path
    parsed: dict[str, _PageParser] = {}
    for path in sorted(site.rglob("*.html")):
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parsed[path.relative_to(site).as_posix()] = parser

    problems: dict[tuple[str, str], str] = {}
    external: dict[str, list[str]] = {}
    for page, parser in parsed.items():
        page_url = urljoin(site_url, page.removesuffix("index.html"))
        source = source_of(root, page)
        for _tag, href in parser.links:
            href = href.strip()
            if not href or href.startswith(SKIP_SCHEMES):
                continue
            url = urljoin(page_url, href)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https"):
                continue
            as_https = "https://" + url.split("://", 1)[1]
            if not as_https.startswith(site_url):
                if parts.netloc == urlsplit(site_url).netloc:
                    problem = (
                        f"points outside the site's folder {base_path}; fix: link to the"
                        " page relatively (e.g. queue.md#anchor)"
                    )
                else:
                    pages_linking = external.setdefault(url, [])
                    if page not in pages_linking:
                        pages_linking.append(page)
                    if parts.scheme == "https":
                        continue
                    problem = (
                        f"is not https; fix: use {as_https} (check that the https address works)"
                    )
            elif parts.scheme != "https":
                problem = f"is not https; fix: use {as_https}, or better a relative link"
            else:
                target = unquote(parts.path[len(base_path) :])
                if target == "" or target.endswith("/"):
                    target += "index.html"
                elif not (site / target).is_file() and (site / target).is_dir():
                    target += "/index.html"
                if target in ADDED_AT_DEPLOY:
                    continue
                if not (site / target).is_file():
                    problem = (
                        f"{target} does not exist; fix: link to an existing page (write the"
                        " .md file, e.g. queue.md#anchor; to the other language write"
                        " ../en/<page>/ from a Korean page, ../../<page>/ from an English one)"
                    )
                elif parts.fragment and target.endswith(".html"):
                    fragment = unquote(parts.fragment)
                    if fragment in parsed[target].ids:
                        continue
                    target_md = source_of(root, target)
                    if target_md:
                        known = [s.anchor for s in translations.sections(target_md)[1:]]
                        hint = (
                            f"use an anchor of {_rel(root, target_md)}"
                            f" ({', '.join('#' + a for a in known[:8]) or 'it has none'}"
                            f"{', …' if len(known) > 8 else ''}), or add {{ #{fragment} }}"
                            " to the heading you mean"
                        )
                    else:
                        hint = "use an id that the page has"
                    problem = f"{target} has no anchor #{fragment}; fix: {hint}"
                else:
                    continue
            found = _source_line(source, href) if source else None
            if found:
                where = f"{_rel(root, source)}:{found[0]}"
                shown = found[1] if found[1] == href else f"{found[1]} (on the site: {href})"
            else:
                origin = f"; not in {_rel(root, source)}" if source else ""
                where = f"site/{page} (from the theme, mkdocs.yml or a hook{origin})"
                shown = href
            problems.setdefault((where, href), f"{where}: link {shown} -> {problem}")
    return LinkReport(list(problems.values()), external)


# ---------------------------------------------------------------- 4. removed APIs

_NAME = r"(?<![\w./-])"  # not part of a longer name, path or host (www.gevent.org)

# (pattern, what is wrong with it in today's gevent, what to use instead);
# {0} in the middle part is the text that matched.
REMOVED_APIS: list[tuple[re.Pattern, str, str]] = [
    (
        re.compile(_NAME + r"gevent\.wsgi\b|\bfrom\s+gevent\s+import\s+([\w\s,]*,\s*)?wsgi\b"),
        "gevent.wsgi was removed",
        "use gevent.pywsgi (from gevent.pywsgi import WSGIServer)",
    ),
    (
        re.compile(_NAME + r"gevent\.coros\b|\bfrom\s+gevent\s+import\s+([\w\s,]*,\s*)?coros\b"),
        "gevent.coros was removed",
        "use gevent.lock (Semaphore, BoundedSemaphore, RLock) or gevent.event (Event, AsyncResult)",
    ),
    (
        re.compile(_NAME + r"gevent\.shutdown\b"),
        "gevent.shutdown() was removed",
        "nothing replaces it: let the program end, or stop your servers (server.stop())"
        " and join your greenlets (gevent.joinall)",
    ),
    (
        re.compile(_NAME + r"gevent\.run\b"),
        "gevent.run() was removed",
        "use gevent.wait() (or gevent.joinall(greenlets))",
    ),
    (
        re.compile(_NAME + r"gevent\.signal\s*\("),
        "gevent.signal() was removed",
        "use gevent.signal_handler(signalnum, handler) (gevent.signal is a module now)",
    ),
    (
        re.compile(_NAME + r"gevent\.httplib\b"),
        "gevent.httplib was removed",
        "use gevent.pywsgi for servers; for clients, monkey-patch and use http.client or requests",
    ),
    (
        re.compile(_NAME + r"gevent\.http\b(?!s)"),
        "gevent.http was removed",
        "use gevent.pywsgi (WSGIServer)",
    ),
    (
        re.compile(_NAME + r"gevent\.rawgreenlet\b"),
        "gevent.rawgreenlet was removed",
        "use gevent.spawn_raw() or greenlet.greenlet",
    ),
    (
        re.compile(_NAME + r"gevent\.dns\b"),
        "gevent.dns was removed",
        "use gevent.socket.getaddrinfo() or gethostbyname() (gevent.config.resolver"
        " chooses the resolver)",
    ),
    (
        re.compile(_NAME + r"gevent\.spawn_link(?:_value|_exception)?\b"),
        "{0}() was removed",
        "spawn, then link: g = gevent.spawn(...); g.link(callback) (or g.link_value,"
        " g.link_exception)",
    ),
    (
        re.compile(_NAME + r"gevent\.greenlet\.GreenletExit\b"),
        "gevent.greenlet.GreenletExit does not exist",
        "use gevent.GreenletExit",
    ),
    (
        re.compile(r"\bpatch_all\s*\([^)]*\bhttplib\s*="),
        "patch_all(httplib=...) was removed",
        "drop the argument (gevent no longer patches httplib)",
    ),
]


def installed_gevent() -> str:
    import gevent

    return gevent.__version__


def resolve(chain: list[str], stop_at_class: bool = False):
    """Follow gevent.a.b.c in the installed gevent. Returns (object, None) or
    (None, the first dotted prefix that does not exist, why)."""
    try:
        obj = importlib.import_module(chain[0])
    except ImportError as exc:
        return None, (chain[0], str(exc))
    for i, name in enumerate(chain[1:], start=1):
        prefix = ".".join(chain[: i + 1])
        if isinstance(obj, types.ModuleType):
            if hasattr(obj, name):
                obj = getattr(obj, name)
                continue
            try:
                obj = importlib.import_module(prefix)
            except ModuleNotFoundError:
                return None, (prefix, "")
            except ImportError as exc:
                return None, (prefix, str(exc))
        else:
            if stop_at_class and isinstance(obj, type):
                return obj, None
            if not hasattr(obj, name):
                return None, (prefix, "")
            obj = getattr(obj, name)
    return obj, None


def _removed_index(name: str) -> int | None:
    for i, (pattern, _wrong, _fix) in enumerate(REMOVED_APIS):
        if pattern.search(name) or pattern.search(name + "("):
            return i
    return None


def _replacement(name: str) -> str | None:
    i = _removed_index(name)
    return None if i is None else REMOVED_APIS[i][2]


class _ApiVisitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.bound: dict[str, list[str]] = {}  # local name -> dotted gevent path
        self.uses: list[tuple[int, list[str], str]] = []  # (line, chain, "attr"|"import")
        self.calls: list[tuple[int, list[str], list[str]]] = []  # (line, chain, keywords)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] != "gevent":
                self.bound.pop(alias.asname or parts[0], None)  # import socket after
                continue  # from gevent import socket: the name is the standard one now
            self.uses.append((node.lineno, parts, "import"))
            if alias.asname:
                self.bound[alias.asname] = parts
            else:
                self.bound[parts[0]] = parts[:1]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module or node.module.split(".")[0] != "gevent":
            for alias in node.names:
                self.bound.pop(alias.asname or alias.name, None)
            return
        base = node.module.split(".")
        self.uses.append((node.lineno, base, "import"))
        for alias in node.names:
            if alias.name == "*":
                continue
            self.uses.append((node.lineno, base + [alias.name], "import"))
            self.bound[alias.asname or alias.name] = base + [alias.name]

    def chain(self, node: ast.AST) -> list[str] | None:
        names = []
        while isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.bound:
            return self.bound[node.id] + names[::-1]
        return None


def _snippet_api_problems(root: Path, path: Path, version: str) -> list[tuple[int, str, str]]:
    """(line, dotted name, message) for gevent names a snippet uses that do not exist."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    visitor = _ApiVisitor()
    visitor.visit(tree)  # imports anywhere in the file bind names
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            if id(node) in inner:
                continue  # part of a longer chain, which is checked as a whole
            chain = visitor.chain(node)
            if chain:
                visitor.uses.append((node.lineno, chain, "attr"))
        if isinstance(node, ast.Call):
            chain = visitor.chain(node.func)
            if chain:
                visitor.calls.append((node.lineno, chain, [k.arg for k in node.keywords if k.arg]))
    found: dict[tuple[int, str], str] = {}
    where = _rel(root, path)
    for line, chain, _kind in sorted(visitor.uses, key=lambda u: (u[0], len(u[1]))):
        _obj, missing = resolve(chain)
        if missing:
            name, why = missing
            if any(key[0] == line and name.startswith(key[1]) for key in found):
                continue
            fix = _replacement(name) or (
                f"use a name that gevent {version} has (https://www.gevent.org/api/)"
            )
            detail = f" ({why})" if why else ""
            found[(line, name)] = (
                f"{where}:{line}: {name} does not exist in gevent {version}{detail}; fix: {fix}"
            )
    for line, chain, keywords in visitor.calls:
        obj, missing = resolve(chain)
        name = ".".join(chain)
        if missing:
            continue
        if isinstance(obj, types.ModuleType):
            fix = _replacement(name) or "call a function or class of that module"
            found.setdefault(
                (line, name),
                f"{where}:{line}: {name}(...) calls a module in gevent {version}; fix: {fix}",
            )
            continue
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            continue
        params = signature.parameters.values()
        if any(p.kind is p.VAR_KEYWORD for p in params):
            continue
        allowed = {p.name for p in params if p.kind is not p.POSITIONAL_ONLY}
        for keyword in keywords:
            if keyword not in allowed:
                found.setdefault(
                    (line, f"{name}.{keyword}"),
                    f"{where}:{line}: {name}() has no argument {keyword!r} in gevent"
                    f" {version}; fix: use one of its arguments"
                    f" ({', '.join(sorted(allowed)) or 'none'})",
                )
    return [(line, name, msg) for (line, name), msg in found.items()]


INLINE_CODE = re.compile(r"(`+)(?P<code>.+?)\1")
DOTTED = re.compile(_NAME + r"gevent(?:\.[A-Za-z_]\w*)+")


def removed_apis(root: Path = REPO) -> list[str]:
    version = installed_gevent()
    problems: list[tuple[str, int, str]] = []
    files = sorted((root / "snippets").rglob("*.py")) + [
        p for lang in LANGUAGES for p in sorted((root / "docs" / lang).rglob("*.md"))
    ]
    for path in files:
        where = _rel(root, path)
        rows = path.read_text(encoding="utf-8").splitlines()
        is_page = path.suffix == ".md"
        flagged: set[int] = set()
        for number, row in enumerate(rows, start=1):
            if is_page and REMOVED_API_OK in row:
                continue
            for pattern, wrong, fix in REMOVED_APIS:
                m = pattern.search(row)
                if m:
                    flagged.add(number)
                    extra = (
                        f" (or, if the line only warns about the old name, end it with"
                        f" {REMOVED_API_OK})"
                        if is_page
                        else ""
                    )
                    problems.append(
                        (
                            where,
                            number,
                            f"{where}:{number}: {wrong.format(m.group(0))}"
                            f" (gevent {version} does not have it); fix: {fix}{extra}",
                        )
                    )
            if not is_page or number in flagged:
                continue
            for span in INLINE_CODE.finditer(row):
                for m in DOTTED.finditer(span.group("code")):
                    _obj, missing = resolve(m.group(0).split("."), stop_at_class=True)
                    if missing:
                        problems.append(
                            (
                                where,
                                number,
                                f"{where}:{number}: `{missing[0]}` does not exist"
                                f" in gevent {version}; fix: name an API that gevent {version}"
                                f" has (https://www.gevent.org/api/), or end the line with"
                                f" {REMOVED_API_OK} if it only warns about an old name",
                            )
                        )
        if not is_page:
            try:
                seen = {
                    i
                    for i, (pattern, _w, _f) in enumerate(REMOVED_APIS)
                    if any(pattern.search(row) for row in rows)
                }
                reported: set[str] = set()
                for line, name, message in sorted(_snippet_api_problems(root, path, version)):
                    known = _removed_index(name)
                    if line in flagged or name in reported or known in seen:
                        continue  # said once, by the more helpful message
                    reported.add(name)
                    problems.append((where, line, message))
            except SyntaxError as exc:
                problems.append(
                    (
                        where,
                        exc.lineno or 1,
                        f"{where}:{exc.lineno or 1}: not valid Python ({exc.msg}); fix: make it"
                        " parse (the examples test shows the full error)",
                    )
                )
    return [m for _w, _n, m in sorted(problems, key=lambda p: (p[0], p[1]))]


# ---------------------------------------------------------------- 5. versions


def running_versions() -> dict[str, str]:
    import gevent
    import greenlet

    return {
        "gevent": gevent.__version__,
        "greenlet": greenlet.__version__,
        "python": ".".join(platform.python_version_tuple()[:2]),
    }


def write_versions(root: Path = REPO) -> bool:
    """Record what this run used; returns True if the file changed."""
    path = root / VERSIONS_FILE
    text = json.dumps(running_versions(), indent=2) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def versions(root: Path = REPO) -> tuple[list[str], list[str]]:
    """(failures, notes) comparing verified-with.json with what this run uses."""
    path = root / VERSIONS_FILE
    fix = (
        "run `make update-output` (it re-runs every example and records the versions),"
        f" review the changed .out files and commit them with {VERSIONS_FILE}"
    )
    if not path.exists():
        return [f"{VERSIONS_FILE}:1: missing; fix: {fix}"], []
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{VERSIONS_FILE}:{exc.lineno}: not valid JSON ({exc.msg}); fix: {fix}"], []
    rows = path.read_text(encoding="utf-8").splitlines()
    now = running_versions()
    failures, notes = [], []
    for key in ("gevent", "greenlet", "python"):
        line = next((i for i, r in enumerate(rows, 1) if f'"{key}"' in r), 1)
        if key not in recorded:
            failures.append(f"{VERSIONS_FILE}:{line}: has no {key} version; fix: {fix}")
        elif recorded[key] != now[key]:
            if key == "python":
                notes.append(
                    f"{VERSIONS_FILE}:{line}: the outputs were recorded with Python"
                    f" {recorded[key]} and this run uses Python {now[key]}; the pages keep"
                    f" showing Python {recorded[key]} (only a run on Python {recorded[key]}"
                    " can re-check it; the examples job runs every supported Python)"
                )
            else:
                failures.append(
                    f"{VERSIONS_FILE}:{line}: the examples were last verified with {key}"
                    f" {recorded[key]}, but this run uses {key} {now[key]}; fix: {fix}"
                )
    return failures, notes
