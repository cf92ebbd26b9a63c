"""llms.txt and llms-full.txt of each language (src/gevent_guide/site/llms_txt.py), per llmstxt.org.

The nav comes from mkdocs.yml (section titles translated as its i18n settings say), the
page titles from each page's H1 and the programs from snippets/: nothing here is a
hand-kept list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gevent_guide import snippets
from gevent_guide.project import ROOT, load_mkdocs_yml

MKDOCS = load_mkdocs_yml(ROOT)
SITE_URL = MKDOCS["site_url"].rstrip("/") + "/"
I18N = next(p["i18n"] for p in MKDOCS["plugins"] if isinstance(p, dict) and "i18n" in p)
LANGS = {lang["locale"]: lang for lang in I18N["languages"]}
DEFAULT = next(locale for locale, lang in LANGS.items() if lang.get("default"))
ENTRY = re.compile(r"^- \[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\): (?P<summary>\S.*)$")
H1 = re.compile(r"^# (?P<title>.+?)(?:\s*\{[^}]*\})?\s*$", re.M)
PEP723 = re.compile(r"\A# /// script\n(?:#.*\n)*?# ///\n")


@dataclass
class NavPage:
    name: str  # file name without .md
    section: str | None  # the Korean (source) section title, None outside any section


def nav_pages(nav, section: str | None = None) -> list[NavPage]:
    pages: list[NavPage] = []
    for item in nav:
        if isinstance(item, str):
            pages.append(NavPage(item.removesuffix(".md"), section))
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    pages.append(NavPage(value.removesuffix(".md"), section))
                else:
                    pages += nav_pages(value, title)
    return pages


NAV = nav_pages(MKDOCS["nav"])


def prefix(lang: str) -> str:
    return "" if lang == DEFAULT else f"{lang}/"


def page_url(lang: str, name: str) -> str:
    return SITE_URL + prefix(lang) + ("" if name == "index" else f"{name}/")


def page_title(lang: str, name: str) -> str:
    text = (snippets.DOCS / lang / f"{name}.md").read_text(encoding="utf-8")
    return H1.search(text).group("title")


def section_title(lang: str, page: NavPage) -> str:
    if page.section is None:
        return page_title(lang, page.name)
    return LANGS[lang].get("nav_translations", {}).get(page.section, page.section)


@dataclass
class LlmsTxt:
    title: str
    summary: str
    sections: list[str] = field(default_factory=list)
    entries: list[tuple[str, re.Match]] = field(default_factory=list)  # (section, entry)


def read_llms_txt(path: Path) -> LlmsTxt:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("# "), f"{path}: line 1 is not an H1 title"
    quotes = [line for line in lines[1:] if line.startswith("> ")]
    assert quotes and lines.index(quotes[0]) == 2, f"{path}: no blockquote summary after the H1"
    parsed = LlmsTxt(lines[0][2:], quotes[0][2:])
    for number, line in enumerate(lines[1:], 2):
        if line.startswith("## "):
            parsed.sections.append(line[3:])
        elif line.startswith("- "):
            entry = ENTRY.match(line)
            assert entry, f"{path}:{number}: not a `- [title](url): summary` line: {line!r}"
            assert parsed.sections, f"{path}:{number}: a link before the first H2 section"
            parsed.entries.append((parsed.sections[-1], entry))
        elif line.startswith("#"):
            pytest.fail(f"{path}:{number}: only one H1 and H2 sections: {line!r}", pytrace=False)
    return parsed


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    assert built_site.result.returncode == 0, "the site did not build (see test_build.py)"
    return built_site.folder


@pytest.mark.parametrize("lang", list(LANGS))
def test_llms_txt_lists_every_page_in_nav_order(site: Path, lang: str) -> None:
    path = site / prefix(lang) / "llms.txt"
    assert path.is_file(), f"the build wrote no /{prefix(lang)}llms.txt (site/llms_txt.py)"
    parsed = read_llms_txt(path)
    site_name = LANGS[lang].get("site_name", MKDOCS["site_name"])
    description = LANGS[lang].get("site_description", MKDOCS["site_description"])
    assert (parsed.title, parsed.summary) == (site_name, description)

    listed = [entry["url"] for _, entry in parsed.entries]
    expected = [page_url(lang, page.name) for page in NAV]
    assert listed == expected, (
        f"/{prefix(lang)}llms.txt does not list the {lang} pages in nav order:\n"
        f"listed:   {listed}\nexpected: {expected}"
    )
    for page, (section, entry) in zip(NAV, parsed.entries, strict=True):
        assert entry["title"] == page_title(lang, page.name), f"{page.name}: {entry['title']!r}"
        assert section == section_title(lang, page), f"{page.name} is under {section!r}"
        summary = entry["summary"]
        assert len(summary) >= 20, f"{page.name}: summary too short: {summary!r}"
        assert not re.search(r"\]\(|<[a-z]|--8<--", summary), f"{page.name}: markup in {summary!r}"
    assert len(set(parsed.sections)) == len(parsed.sections), "a section appears twice"


def shown(include: str) -> str | None:
    """What a page shows for an include: a program without its PEP 723 block, an
    output as it is; None for a drawing (an SVG, which the text replaces by its caption)."""
    path = snippets.SNIPPETS / include
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".svg":
        return None
    if path.suffix == ".py":
        text = PEP723.sub("", text, count=1).lstrip("\n")
    return text.rstrip("\n")


def indented(text: str, indent: str) -> str:
    return "\n".join(f"{indent}{line}" if line else "" for line in text.split("\n"))


@pytest.mark.parametrize("lang", list(LANGS))
def test_llms_full_txt_holds_every_page_and_every_snippet_shown(site: Path, lang: str) -> None:
    path = site / prefix(lang) / "llms-full.txt"
    assert path.is_file(), f"the build wrote no /{prefix(lang)}llms-full.txt (site/llms_txt.py)"
    full = path.read_text(encoding="utf-8")
    positions = []
    for page in NAV:
        marker = f"<!-- {page_url(lang, page.name)} -->"
        assert marker in full, f"llms-full.txt ({lang}) has no page {page.name}"
        positions.append(full.index(marker))
    assert positions == sorted(positions), f"llms-full.txt ({lang}): pages not in nav order"

    missing = []
    for page in snippets.pages(lang):
        for block in snippets.code_blocks(page):
            include = block.include
            if include is None or (text := shown(include)) is None:
                continue
            indent = re.match(r"\s*", next(r for r in block.body if r.strip())).group(0)
            if indented(text, indent) not in full:
                missing.append(f"{block.where()}: {include}")
        title = page_title(lang, page.stem)
        if f"# {title}\n" not in full:
            missing.append(f"{snippets.rel(page)}: its text (title {title!r})")
    assert not missing, f"llms-full.txt ({lang}) lacks what the pages show:\n" + "\n".join(missing)
    assert "\n# /// script\n" not in full, "llms-full.txt shows a PEP 723 block the pages leave out"
