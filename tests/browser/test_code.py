"""Code blocks in headless Chromium: the copy button puts the runnable program on the
clipboard (the snippet file exactly, without its PEP 723 block and the `# (1)!` annotation
markers), and the annotation markers open their explanations."""

from __future__ import annotations

import re

import pytest

from gevent_guide.project import project

PROJECT = project()

pytestmark = pytest.mark.browser

ANNOTATION = re.compile(r"\s*#\s*\(\d+\)!?\s*$")
PEP723 = re.compile(r"\A# /// script\n(?:#.*\n)*?# ///\n")
# pages with annotated code, one per language is enough: the mechanism is the same
# everywhere
ANNOTATED = [("introduction", "ko"), ("greenlets", "en")]


def snippet_without_markers(name: str) -> str:
    text = (PROJECT.root / "snippets" / name).read_text(encoding="utf-8")
    text = PEP723.sub("", text, count=1).lstrip("\n")  # pages show the program without it
    return "\n".join(ANNOTATION.sub("", line).rstrip() for line in text.splitlines()).rstrip()


def first_annotated_block(page):
    block = page.locator(".highlight:has(.md-annotation)").first
    block.wait_for()
    return block


@pytest.mark.parametrize(("name", "lang"), ANNOTATED)
def test_copy_button_copies_the_runnable_program(clipboard_tabs, site, name, lang) -> None:
    page = clipboard_tabs.new_page()
    page.goto(site.url(name, lang))
    block = first_annotated_block(page)
    filename = block.locator(".filename").inner_text().strip()
    assert filename.endswith(".py"), f"the annotated block has no snippet title: {filename!r}"
    block.hover()
    block.locator('button.md-code__button[data-md-type="copy"]').click()
    page.locator(".md-dialog.md-dialog--active").wait_for()  # "copied to clipboard"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert not re.search(r"#\s*\(\d+\)", copied), "annotation markers were copied"
    compile(copied, filename, "exec")  # raises SyntaxError if the copy is not a program
    assert not re.search(r"[ \t]$", copied, flags=re.M), "the copy has trailing spaces"
    assert copied.rstrip("\n") == snippet_without_markers(filename), (
        f"the copy differs from snippets/{filename} (less its annotation markers)"
    )


@pytest.mark.parametrize(("name", "lang"), ANNOTATED)
def test_code_annotations_open(tabs, site, name, lang) -> None:
    page = tabs.new_page()
    page.goto(site.url(name, lang))
    markers = first_annotated_block(page).locator(".md-annotation")
    assert markers.count() >= 2, "expected a block with two annotations"
    for i, how in [(0, "click"), (1, "keyboard")]:
        marker = markers.nth(i)
        open_tooltip = marker.locator(".md-tooltip--active")
        assert open_tooltip.count() == 0, f"explanation {i + 1} shows before its marker is used"
        if how == "click":
            # force: the markers pulse for their first 4 s (a CSS animation), so they
            # are not "stable" yet
            marker.locator(".md-annotation__index").click(force=True)
        else:
            marker.focus()  # each marker is a tab stop (tabindex=0)
        open_tooltip.wait_for(state="visible")
        text = open_tooltip.inner_text().strip()
        assert len(text) > 20, f"explanation {i + 1} is nearly empty: {text!r}"
        page.mouse.click(5, 400)  # clicking elsewhere closes it again
        open_tooltip.wait_for(state="hidden")


# Every running animation of the page, once the annotated block is on screen (Material
# starts the markers' pulse when they become visible): its target and how many times it
# repeats (Infinity for one that never stops, which therefore never leaves this list).
# And the animation the stylesheet gives the visible markers, which does not depend on
# how long the page took to get here (a finite pulse may already be over).
ANIMATIONS = """
() => ({
  running: document.getAnimations().map(a => ({
    target: a.effect.target.className.baseVal ?? a.effect.target.className,
    name: a.animationName || "",
    iterations: a.effect.getComputedTiming().iterations,
  })),
  markers: [...document.querySelectorAll("[data-md-visible] > .md-annotation__index")]
    .map(marker => getComputedStyle(marker))
    .map(style => `${style.animationName} ${style.animationIterationCount}`),
})
"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
@pytest.mark.parametrize(("name", "lang"), ANNOTATED)
def test_annotation_markers_stop_pulsing(tabs, site, name, lang, motion) -> None:
    page = tabs.new_page()
    page.emulate_media(reduced_motion=motion)
    page.goto(site.url(name, lang))
    block = first_annotated_block(page)
    block.scroll_into_view_if_needed()
    page.locator("[data-md-visible] > .md-annotation__index").first.wait_for()
    found = page.evaluate(ANIMATIONS)
    endless = [a for a in found["running"] if a["iterations"] in (None, float("inf"))]
    assert not endless, f"{lang}/{name}: animations that never stop: {endless}"
    expected = "none 1" if motion == "reduce" else "pulse 2"
    assert found["markers"], f"{lang}/{name}: no visible annotation marker"
    assert set(found["markers"]) == {expected}, (
        f"{lang}/{name} ({motion} motion): the markers' animation is {set(found['markers'])},"
        f" expected {expected!r} (overrides/assets/stylesheets/accessibility.css)"
    )
