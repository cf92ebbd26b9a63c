"""The `uv run` line above an example: a real click on its copy button puts the command
on the clipboard, in both languages, and the button has an accessible name."""

from __future__ import annotations

import re

import pytest

from gevent_guide.project import LANGUAGES, project

pytestmark = pytest.mark.browser

SITE_URL = project().site_url.rstrip("/") + "/"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_button_copies_the_uv_command(clipboard_tabs, site, lang) -> None:
    page = clipboard_tabs.new_page()
    page.goto(site.url("queue", lang))
    block = page.locator(".uv-run").first
    block.wait_for()
    program = block.locator("xpath=following-sibling::div[1]//span[@class='filename']")
    rel = program.inner_text().strip()
    assert rel.endswith(".py"), f"the uv line is not above a program: {rel!r}"
    label = block.locator(".filename").inner_text().strip()
    assert bool(HANGUL.search(label)) == (lang == "ko"), (
        f"the uv line's title {label!r} is not in {lang}"
    )
    block.hover()
    button = block.locator('button.md-code__button[data-md-type="copy"]')
    name = button.get_attribute("title") or button.get_attribute("aria-label") or ""
    assert name.strip(), "the copy button has no accessible name"
    button.click()  # a real click: Playwright moves the mouse and presses it
    page.locator(".md-dialog.md-dialog--active").wait_for()  # "copied to clipboard"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == f"uv run {SITE_URL}snippets/{rel}", f"the copy reads {copied!r}"
