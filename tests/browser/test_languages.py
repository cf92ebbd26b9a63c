"""Moving between the languages in headless Chromium: the header's language switcher
keeps the reader on the same page (by mouse and by keyboard), and each language has its
own 404 page, rendered in that language, whose switcher leads to the other language's
404 page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from gevent_guide.browser.reader import DESKTOP, Entry, Moment, SearchBox
from gevent_guide.project import project

PROJECT = project()

pytestmark = pytest.mark.browser

SWITCHED_PAGES = [
    "index",
    "greenlets",
    "monkey-patching",
    "queue",
    "timeout",
    "glossary",
]
OTHER = {"ko": "en", "en": "ko"}
NOT_FOUND = {
    "ko": ("404 - 페이지를 찾을 수 없습니다", "gevent 가이드"),
    "en": ("404 - Page not found", "gevent guide"),
}


def path_of(url: str) -> str:
    return urlsplit(url).path


def switch_language(page, lang: str) -> None:
    """Open the header's language menu with the mouse and pick a language."""
    page.locator(".md-header .md-select").hover()
    link = page.locator(f'.md-header a.md-select__link[hreflang="{lang}"]')
    link.wait_for(state="visible")
    with page.expect_navigation():
        link.click()


@pytest.mark.parametrize("start", PROJECT.languages)
def test_language_switcher_keeps_the_page(tabs, site, start) -> None:
    page = tabs.new_page()
    wrong = []
    for name in SWITCHED_PAGES:
        page.goto(site.url(name, start))
        target = OTHER[start]
        switch_language(page, target)
        if path_of(page.url) != path_of(site.url(name, target)):
            wrong.append(f"{name}: {start} -> {target} went to {page.url}")
        lang = page.evaluate("document.documentElement.lang")
        if lang != target:
            wrong.append(f"{name}: the {target} page says lang={lang!r}")
    assert not wrong, "\n".join(wrong)


def test_language_switcher_works_from_the_keyboard(tabs, site) -> None:
    page = tabs.new_page()
    for start, name in [("ko", "event"), ("en", "pool")]:
        target = OTHER[start]
        page.goto(site.url(name, start))
        page.locator("body").focus()
        # Tab through the header until the language button has the focus
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('.md-header .md-select')"):
                break
        else:
            pytest.fail(f"{start}/{name}: Tab never reached the language switcher")
        # the menu opens on focus; Tab on to the other language's link
        link = page.locator(f'.md-header a.md-select__link[hreflang="{target}"]')
        for _ in range(4):
            if page.evaluate("el => el === document.activeElement", link.element_handle()):
                break
            page.keyboard.press("Tab")
        else:
            pytest.fail(f"{start}/{name}: Tab never reached the {target} link")
        assert link.is_visible(), "the focused language link is not visible"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert path_of(page.url) == path_of(site.url(name, target))


def check_not_found(page, lang: str) -> None:
    heading, site_name = NOT_FOUND[lang]
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("article h1").inner_text().strip() == heading
    assert page.locator(".md-header__topic").first.inner_text().strip() == site_name
    # the page is styled and scripted from the site's absolute asset paths
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
    )
    assert background not in ("", "rgba(0, 0, 0, 0)"), "the 404 page has no style"


def test_each_language_has_a_404_page(tabs, site) -> None:
    tabs.expected.append(re.compile(r"status of 404"))  # the missing addresses themselves
    page = tabs.new_page()

    # a missing Korean address: the host's one 404 page (Korean, /404.html)
    response = page.goto(site.origin + site.prefix + "no-such-page/")
    assert response.status == 404
    check_not_found(page, "ko")
    switch_language(page, "en")
    assert path_of(page.url) == site.prefix + "en/404.html"
    check_not_found(page, "en")
    switch_language(page, "ko")
    assert path_of(page.url) == site.prefix + "404.html"
    check_not_found(page, "ko")

    # a missing English address: the host serves /404.html, which shows the English one
    page.goto(site.origin + site.prefix + "en/no-such-page/")
    page.wait_for_url(re.compile(r"/en/404\.html$"))
    check_not_found(page, "en")

    # searching from a 404 page, typed, searches that language's pages
    box = SearchBox(page, DESKTOP)
    box.open(site.origin + site.prefix + "en/404.html", Moment.LOADED)
    box.focus("click")
    box.enter("queues", Entry.KEYS_FAST)
    assert site.page_of(box.results()[0].split("?")[0]) == ("queue", "en")
    assert not tabs.problems()
