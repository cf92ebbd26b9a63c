"""Accessibility in headless Chromium: axe-core (node_modules, from the npm registry)
injected into every page of both languages and both 404 pages reports no serious or
critical violation; contrast holds in the dark colour scheme too; every page has one h1,
headings that do not skip a level, and the landmarks a screen reader jumps between."""

from __future__ import annotations

import collections

import browsing
import pytest

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}

# One pass over a page: structure facts the tests check besides axe.
STRUCTURE_JS = """
() => {
  const main = document.querySelectorAll("main, [role=main]")
  const content = document.querySelector("article.md-content__inner")
  const headings = [...(content || document).querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter(h => !h.closest(".md-search, .md-dialog"))
    .map(h => Number(h.tagName[1]))
  return {
    lang: document.documentElement.lang,
    mains: main.length,
    banner: document.querySelectorAll("header.md-header").length,
    contentinfo: document.querySelectorAll("footer").length,
    navs: [...document.querySelectorAll("nav[aria-label]")].length,
    headings,
  }
}
"""


def pages_to_audit(site) -> list[tuple[str, str]]:
    """(label, url) of every nav page in both languages, and both 404 pages."""
    found = [(f"{lang}/{name}", site.url(name, lang)) for name, lang in site.pages()]
    found += [("ko/404", site.origin + site.prefix + "404.html")]
    found += [("en/404", site.origin + site.prefix + "en/404.html")]
    return found


ALL_RULES = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
RUN_AXE = "options => axe.run(document, options).then(r => r.violations)"
SCHEME = "document.body.dataset.mdColorScheme"
NO_TRANSITIONS = "*, ::before, ::after { transition: none !important }"


@pytest.fixture(scope="module")
def audit(browser, site, axe_version) -> tuple[dict, list]:
    """Every page, once: axe with all rules in the light scheme, the structure facts,
    then the header's palette toggle to the dark scheme and axe's contrast rule again
    (the toggle swaps the colours in place, which is cheaper than a second visit)."""
    context = browsing.new_context(browser, color_scheme="light")
    tabs = browsing.watch(context)
    page = tabs.new_page()
    results = {}
    for label, url in pages_to_audit(site):
        page.goto(url)
        page.add_script_tag(url=site.axe_url)  # node_modules/axe-core, via the server
        # no colour transitions: axe must see the scheme, not a fade between two
        page.add_style_tag(content=NO_TRANSITIONS)
        light = page.evaluate(RUN_AXE, ALL_RULES)
        facts = page.evaluate(STRUCTURE_JS)
        page.locator('label[for="__palette_1"]').click()
        page.wait_for_function(f"{SCHEME} === 'slate'")
        dark = page.evaluate(RUN_AXE, CONTRAST)
        page.locator('label[for="__palette_0"]').click()  # back, for the next page
        page.wait_for_function(f"{SCHEME} === 'default'")
        results[label] = {"light": light, "dark": dark, "facts": facts}
    context.close()
    return results, tabs.problems()


def describe(label: str, violation: dict) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
    impact, rule, what = violation["impact"], violation["id"], violation["help"]
    return f"{label}: [{impact}] {rule}: {what} at {targets}"


def test_axe_finds_nothing_serious_on_any_page(audit, axe_version) -> None:
    results, problems = audit
    assert len(results) >= 2 * len(browsing.PAGES), f"only {len(results)} pages"
    blocking, counts = [], collections.Counter()
    for label, result in results.items():
        for violation in result["light"]:
            counts[(violation["impact"], violation["id"])] += 1
            if violation["impact"] in BLOCKING:
                blocking.append(describe(label, violation))
    print(f"\naxe-core {axe_version} on {len(results)} pages, light scheme, tags {AXE_TAGS}:")
    for (impact, rule), pages in sorted(counts.items()):
        print(f"  {impact:9} {rule}: {pages} pages")
    if not counts:
        print("  no violations at all")
    assert not blocking, "\n".join(blocking)
    assert not problems, "\n".join(problems)


def test_contrast_holds_in_dark_mode(audit) -> None:
    results, _ = audit
    failures = [
        describe(label, violation)
        for label, result in results.items()
        for violation in result["dark"]
    ]
    print(f"\naxe-core color-contrast, dark scheme: {len(failures)} failures")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("lang", browsing.LANGUAGES)
def test_a_dark_mode_reader_gets_the_dark_scheme(dark_tabs, site, lang) -> None:
    page = dark_tabs.new_page()
    for name in ("index", "greenlets"):
        page.goto(site.url(name, lang))
        assert page.evaluate(SCHEME) == "slate", f"{lang}/{name} is not dark"


def test_headings_and_landmarks(audit) -> None:
    results, _ = audit
    problems = []
    for label, result in results.items():
        facts = result["facts"]
        expected_lang = label.split("/")[0]
        if facts["lang"] != expected_lang:
            problems.append(f"{label}: lang={facts['lang']!r}")
        landmarks = (facts["mains"], facts["banner"], facts["contentinfo"])
        if landmarks != (1, 1, 1):
            problems.append(f"{label}: main/header/footer landmarks: {landmarks}")
        if facts["navs"] < 1:
            problems.append(f"{label}: no labelled navigation landmark")
        levels = facts["headings"]
        if levels.count(1) != 1 or levels[:1] != [1]:
            problems.append(f"{label}: headings should start with the one h1: {levels}")
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        if skips:
            problems.append(f"{label}: heading levels skip: {skips}")
    assert not problems, "\n".join(problems)
