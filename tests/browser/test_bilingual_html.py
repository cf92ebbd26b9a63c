"""The bilingual HTML of the built site, read from the files (no browser needed): `lang`
on every page, absolute hreflang alternates with an x-default, one sitemap with both
languages and their alternates, a 404 page per language, and a page that exists in one
language only."""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gevent_guide.project import build_site, project

PROJECT = project()

SITE_URL = re.search(
    r"^site_url:\s*(\S+)",
    (PROJECT.root / "mkdocs.yml").read_text(encoding="utf-8"),
    re.M,
)[1]
SITE_URL = SITE_URL if SITE_URL.endswith("/") else SITE_URL + "/"


class _Head(html.parser.HTMLParser):
    """<html lang>, the <link>s, elements with a lang, and Material's __config."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.links: list[dict] = []
        self.langs: list[tuple[str, str]] = []  # (tag, lang) below <html>
        self.config = None
        self._in_config = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link":
            self.links.append(attrs)
        elif "lang" in attrs:
            self.langs.append((tag, attrs["lang"]))
        if tag == "script" and attrs.get("id") == "__config":
            self._in_config = True

    def handle_data(self, data) -> None:
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


def read(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def hreflangs(head: _Head) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in head.links
        if link.get("rel") == "alternate" and "hreflang" in link
    }


def built_pages(folder: Path) -> list[tuple[str, str, Path]]:
    return [
        (name, lang, folder / PROJECT.page_path(name, lang) / "index.html")
        for lang in PROJECT.languages
        for name in PROJECT.pages
        if (folder / PROJECT.page_path(name, lang) / "index.html").is_file()
    ]


@pytest.fixture(scope="module")
def folder(built_site) -> Path:
    assert built_site.result.returncode == 0, built_site.result.stderr[-3000:]
    return built_site.folder


def test_every_page_is_built_in_both_languages(folder) -> None:
    missing = [
        f"{lang}/{name}"
        for lang in PROJECT.languages
        for name in PROJECT.pages
        if not (folder / PROJECT.page_path(name, lang) / "index.html").is_file()
    ]
    assert not missing, f"not built: {missing}"


def test_lang_and_absolute_alternates_on_every_page(folder) -> None:
    problems = []
    for name, lang, path in built_pages(folder):
        head = read(path)
        where = f"{lang}/{name}"
        if head.lang != lang:
            problems.append(f"{where}: <html lang={head.lang!r}>")
        expected = {
            "ko": SITE_URL + PROJECT.page_path(name, "ko"),
            "en": SITE_URL + PROJECT.page_path(name, "en"),
        }
        expected["x-default"] = expected[PROJECT.default_language]
        found = hreflangs(head)
        if found != expected:
            problems.append(f"{where}: hreflang alternates {found}, expected {expected}")
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        if canonical != [expected[lang]]:
            problems.append(f"{where}: canonical {canonical}")
    assert not problems, "\n".join(problems)


def test_one_sitemap_lists_both_languages_with_alternates(folder) -> None:
    assert not (folder / "en" / "sitemap.xml").exists(), "a second sitemap under en/"
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    root = ET.parse(folder / "sitemap.xml").getroot()
    entries = {}
    for url in root.findall("s:url", ns):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        entries[url.findtext("s:loc", namespaces=ns)] = links
    problems = []
    for name, lang, _ in built_pages(folder):
        loc = SITE_URL + PROJECT.page_path(name, lang)
        expected = {
            "ko": SITE_URL + PROJECT.page_path(name, "ko"),
            "en": SITE_URL + PROJECT.page_path(name, "en"),
            "x-default": SITE_URL + PROJECT.page_path(name, "ko"),
        }
        if loc not in entries:
            problems.append(f"{loc} is not in the sitemap")
        elif entries[loc] != expected:
            problems.append(f"{loc}: alternates {entries[loc]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("lang", "path", "text"),
    [
        ("ko", "404.html", "페이지를 찾을 수 없습니다"),
        ("en", "en/404.html", "Page not found"),
    ],
)
def test_each_language_has_its_own_404_page(folder, lang, path, text) -> None:
    page = folder / path
    assert page.is_file(), f"no {path}"
    head = read(page)
    assert head.lang == lang
    assert text in page.read_text(encoding="utf-8")
    assert not hreflangs(head), "a 404 page announces translations of itself"
    # Material fetches <base>search/search_index.json: this language's index
    site_path = PROJECT.site_path
    assert head.config["base"] == site_path + ("" if lang == "ko" else f"{lang}/")
    switcher = re.findall(
        r'<a href="([^"]*)" hreflang="([^"]*)" class="md-select__link"',
        page.read_text("utf-8"),
    )
    assert dict((b, a) for a, b in switcher) == {
        "ko": site_path + "404.html",
        "en": site_path + "en/404.html",
    }


def test_english_pages_load_the_english_search_index(folder) -> None:
    """Material fetches search/search_index.json relative to `base`: en pages point it
    at en/."""
    for name, lang, path in built_pages(folder):
        base = read(path).config["base"]
        resolved = os.path.normpath(os.path.join(path.parent, base, "search", "search_index.json"))
        expected = folder / ("" if lang == "ko" else f"{lang}/") / "search" / "search_index.json"
        assert Path(resolved) == expected, f"{lang}/{name}: base {base!r} -> {resolved}"


# ---------------------------------------------------------- a page in one language only


@pytest.fixture(scope="module")
def one_language_site(tmp_path_factory) -> Path:
    """The real site less docs/en/pool.md and docs/ko/event.md, built --strict."""
    pytest.importorskip("mkdocs", reason="the site's tools need Python >= 3.11.5")
    repo = tmp_path_factory.mktemp("one-language") / "repo"
    shutil.copytree(
        PROJECT.root,
        repo,
        ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".pytest_cache"),
    )
    (repo / "docs" / "en" / "pool.md").unlink()
    (repo / "docs" / "ko" / "event.md").unlink()
    site = repo / "site"
    result = build_site(site, root=repo)
    assert result.returncode == 0, f"the build failed:\n{(result.stdout + result.stderr)[-3000:]}"
    return site


@pytest.mark.parametrize(
    ("shown", "written", "name", "notice"),
    [
        ("en", "ko", "pool", "This page is not translated yet"),
        ("ko", "en", "event", "이 페이지는 아직 번역되지 않았습니다"),
    ],
)
def test_a_page_in_one_language_only(one_language_site, shown, written, name, notice) -> None:
    page = one_language_site / PROJECT.page_path(name, shown) / "index.html"
    assert page.is_file(), f"{shown}/{name} was not built from the {written} text"
    text = page.read_text(encoding="utf-8")
    head = read(page)
    assert head.lang == shown, "the page's interface is in the reader's language"
    assert ("div", shown) in head.langs and notice in text, "no 'not translated yet' notice"
    assert ("div", written) in head.langs, f"the {written} text does not carry lang={written}"
    assert hreflangs(head)[written] == SITE_URL + PROJECT.page_path(name, written)
    # the original page's alternates and the sitemap point at the copy
    original = read(one_language_site / PROJECT.page_path(name, written) / "index.html")
    assert hreflangs(original)[shown] == SITE_URL + PROJECT.page_path(name, shown)
    assert SITE_URL + PROJECT.page_path(name, shown) in (
        one_language_site / "sitemap.xml"
    ).read_text(encoding="utf-8")
    # its text is searched in its own language only
    prefix = "" if shown == PROJECT.default_language else f"{shown}/"
    index = json.loads((one_language_site / prefix / "search" / "search_index.json").read_text())
    assert not [d for d in index["docs"] if d["location"].split("#")[0] == f"{name}/"]
