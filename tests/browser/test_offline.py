"""The offline copy (`make offline`, gevent_guide/offline.py): the zip, unpacked in a
temporary folder, works from file:// in headless Chromium with no server running, in
both languages: navigation, the language switcher, code copy and each language's search
(the Korean one with the site's own query rewriting). Nothing is asked of any address
but file:// (and the blob: address the page makes for its search worker, which is
memory, not a request that leaves the browser)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gevent_guide.browser import chromium, reader

pytestmark = pytest.mark.browser


@dataclass
class OfflineCopy:
    root: Path  # the unpacked gevent-guide/ folder
    zip_path: Path

    def url(self, path: str) -> str:
        return (self.root / path).as_uri()


@pytest.fixture(scope="session")
def offline_copy(tmp_path_factory) -> OfflineCopy:
    """`make offline`'s two steps (gevent_guide/offline.py), into temporary folders, then
    the zip unpacked."""
    pytest.importorskip("mkdocs", reason="the site's tools need Python >= 3.11.5")
    from gevent_guide import offline

    work = tmp_path_factory.mktemp("offline")
    site, zip_path, unpacked = work / "site", work / "gevent-guide-offline.zip", work / "unpacked"
    result = offline.build(site, capture=True)
    if result.returncode != 0:
        log = (result.stdout + result.stderr)[-3000:]
        pytest.fail(f"mkdocs build -f {offline.CONFIG} failed:\n{log}", pytrace=False)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, "the offline build printed warnings:\n" + "\n".join(warnings)
    offline.pack(site, zip_path)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(unpacked)
    return OfflineCopy(unpacked / offline.FOLDER, zip_path)


@dataclass
class Recorded:
    """Every request the browser context made, and what it logged as an error."""

    requests: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def elsewhere(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not (url.startswith("file://") or url.startswith("blob:null/"))
        ]


@pytest.fixture
def offline_tabs(browser):
    context = chromium.new_context(
        browser, color_scheme="light", permissions=["clipboard-read", "clipboard-write"]
    )
    seen = Recorded()
    context.on("request", lambda request: seen.requests.append(request.url))

    def block(route) -> None:  # anything that goes to a network: stopped and recorded
        seen.aborted.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).scheme not in ("file", "blob", "data"), block)

    def new_page():
        page = context.new_page()
        page.on(
            "console",
            lambda msg: msg.type == "error" and seen.errors.append(f"{page.url}: {msg.text}"),
        )
        page.on("pageerror", lambda exc: seen.errors.append(f"{page.url}: uncaught: {exc}"))
        return page

    yield new_page, seen
    context.close()


FOLDER = "gevent-guide"  # gevent_guide/offline.py FOLDER


def test_the_zip_holds_both_languages(offline_copy) -> None:
    with zipfile.ZipFile(offline_copy.zip_path) as z:
        names = set(z.namelist())
    for needed in ("index.html", "en/index.html", "search/search_index.js"):
        assert f"{FOLDER}/{needed}" in names, f"the zip has no {FOLDER}/{needed}"
    assert f"{FOLDER}/en/search/search_index.js" in names, "English search has no index"
    assert all(name.startswith(f"{FOLDER}/") for name in names), "files outside the folder"


def search(page, url: str, query: str) -> list[str]:
    """Type `query` into the search box of the page at `url` (the keyboard, key by key)
    and return the result pages, best first, without their ?h= highlight."""
    box = reader.SearchBox(page, reader.DESKTOP)
    box.open(url, reader.Moment.LOADED)
    box.focus("click")
    box.enter(query, reader.Entry.KEYS_FAST)
    return [href.split("?", 1)[0].split("#", 1)[0] for href in box.results()]


def switch_language(page, lang: str) -> None:
    page.locator(".md-header .md-select").hover()
    page.locator(f'.md-header a.md-select__link[hreflang="{lang}"]').click()
    page.wait_for_load_state("load")


def test_offline_copy_works_from_files_with_no_request_elsewhere(
    offline_copy, offline_tabs
) -> None:
    new_page, seen = offline_tabs
    page = new_page()
    ko_home, en_home = offline_copy.url("index.html"), offline_copy.url("en/index.html")
    ko = offline_copy.root.as_uri() + "/"
    en = ko + "en/"

    # Korean home, then a page through the navigation
    page.goto(ko_home)
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.locator('nav.md-nav--primary a.md-nav__link[href="queue.html"]').first.click()
    page.wait_for_load_state("load")
    assert page.url == offline_copy.url("queue.html"), f"the nav link led to {page.url}"
    assert page.locator("article h1").count() == 1

    # code copy: the first code block's button puts its program on the clipboard
    block = page.locator(".highlight:has(button.md-code__button)").first
    block.hover()
    block.locator('button.md-code__button[data-md-type="copy"]').click()
    page.locator(".md-dialog.md-dialog--active").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    shown = block.locator("pre code").inner_text()
    assert copied.strip() and copied.split()[:3] == shown.split()[:3], (
        f"the copy button copied {copied[:80]!r}, the block shows {shown[:80]!r}"
    )

    # Korean search: a concept, a transliteration (a synonym), and a word typed halfway
    # (그리 on the way to 그린렛: guide-search.js's letter-by-letter matching)
    for query, expected in [
        ("큐", "queue.html"),
        ("그린렛", "greenlets.html"),
        ("그리", "greenlets.html"),
    ]:
        found = search(page, ko_home, query)
        assert found, f"Korean search for {query!r} found nothing offline"
        assert ko + expected in found[:3], f"{query!r}: {expected} not in the top 3: {found[:5]}"
        assert not [u for u in found if u.startswith(en)], f"{query!r} found English pages"

    # the language switcher, clicked: Korean home -> English home
    page.goto(ko_home)
    switch_language(page, "en")
    assert page.url == en_home, f"the switcher led to {page.url}"
    assert page.evaluate("document.documentElement.lang") == "en"

    # English search
    for query, expected in [("queue", "queue.html"), ("semaphores", "coordination.html")]:
        found = search(page, en_home, query)
        assert found, f"English search for {query!r} found nothing offline"
        assert en + expected in found[:3], f"{query!r}: {expected} not in the top 3: {found[:5]}"
        assert all(u.startswith(en) for u in found), f"{query!r} found Korean pages: {found}"

    # and back, from an inner English page to its Korean translation
    page.goto(offline_copy.url("en/greenlets.html"))
    switch_language(page, "ko")
    assert page.url == offline_copy.url("greenlets.html"), f"the switcher led to {page.url}"

    assert seen.requests, "no request was recorded at all: the recording is broken"
    assert not seen.elsewhere(), "requests left file://:\n" + "\n".join(seen.elsewhere())
    assert not seen.aborted, "requests to a network:\n" + "\n".join(seen.aborted)
    assert not seen.errors, "console errors:\n" + "\n".join(seen.errors)
