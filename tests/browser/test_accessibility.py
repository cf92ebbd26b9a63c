"""Accessibility in headless Chromium: axe-core (node_modules, from the npm registry)
injected into every page of each language and its 404 page reports no serious or
critical violation; contrast holds in the dark colour scheme too; every page has one h1,
headings that do not skip a level, and the landmarks a screen reader jumps between."""

from __future__ import annotations

import collections

import pytest

from gevent_guide.browser import chromium
from gevent_guide.project import project

PROJECT = project()

# a hang bound, not a speed check: the audit visits every page twice
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

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


def pages_to_audit(site, lang: str) -> list[tuple[str, str]]:
    """(label, url) of every nav page of one language, and its 404 page."""
    found = [
        (f"{lang}/{name}", site.url(name, lang))
        for name, page_lang in site.pages()
        if page_lang == lang
    ]
    missing = PROJECT.page_path("index", lang) + "404.html"
    return [*found, (f"{lang}/404", site.origin + site.prefix + missing)]


ALL_RULES = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
SCHEME = "document.body.dataset.mdColorScheme"
NO_TRANSITIONS = "*, ::before, ::after { transition: none !important }"

# One page's whole audit, in the page, started without waiting (window.__audit holds
# the promise): load axe (node_modules/axe-core, via the test server), turn colour
# transitions off (axe must see a scheme, not a fade between two), run axe with all rules
# in the light scheme and its contrast rule in the dark one, switching with the header's
# palette toggle as a reader does. The page starts in the scheme the previous page of
# this tab ended in (Material keeps the reader's choice), so each page needs one switch.
START_AUDIT = """
([axeUrl, allRules, contrast, noTransitions, structure]) => {
  window.__audit = (async () => {
    const scheme = () => document.body.dataset.mdColorScheme
    const style = document.createElement("style")
    style.textContent = noTransitions
    document.head.append(style)
    await new Promise((resolve, reject) => {
      const script = document.createElement("script")
      script.src = axeUrl
      script.onload = resolve
      script.onerror = () => reject(new Error("axe-core did not load from " + axeUrl))
      document.head.append(script)
    })
    const toggle = async (to) => {
      const label = document.querySelector(
        `label[for="__palette_${to === "slate" ? 1 : 0}"]`)
      if (!label) throw new Error("no palette toggle for " + to)
      label.click()
      const until = performance.now() + 60000  // a hang bound
      while (scheme() !== to) {
        if (performance.now() > until) throw new Error("the toggle did not switch to " + to)
        await new Promise(requestAnimationFrame)
      }
    }
    const result = { started: scheme() }
    for (const current of scheme() === "slate" ? ["slate", "default"] : ["default", "slate"]) {
      if (scheme() !== current) await toggle(current)
      if (current === "default") {
        result.light = (await axe.run(document, allRules)).violations
        result.facts = (0, eval)(structure)()
      } else {
        result.dark = (await axe.run(document, contrast)).violations
      }
    }
    return result
  })()
}
"""
TABS = 2  # pages audited at once, in two browser contexts (two renderer processes)


@pytest.fixture(scope="module", params=PROJECT.languages)
def audit(request, browser, site, axe_version) -> tuple[dict, list]:
    """Every page of one language, once: axe with all rules in the light scheme, the
    structure facts, and axe's contrast rule in the dark scheme (the header's toggle
    swaps the colours in place, which is cheaper than a second visit). Two tabs take
    turns: one page loads while axe runs on the other's. One audit per language, so
    that `make test`'s workers share the audits (tests/conftest.py groups them)."""
    lang = request.param
    watched = [
        chromium.watch(chromium.new_context(browser, color_scheme="light")) for _ in range(TABS)
    ]
    pages = [tabs.new_page() for tabs in watched]
    args = [site.axe_url, ALL_RULES, CONTRAST, NO_TRANSITIONS, STRUCTURE_JS]
    results: dict[str, dict] = {}
    pending: dict[int, str] = {}

    def collect(tab: int) -> None:
        label = pending.pop(tab)
        results[label] = pages[tab].evaluate("() => window.__audit")

    for number, (label, url) in enumerate(pages_to_audit(site, lang)):
        tab = number % TABS
        if tab in pending:
            collect(tab)
        pages[tab].goto(url)
        pages[tab].evaluate(START_AUDIT, args)
        pending[tab] = label
    for tab in list(pending):
        collect(tab)
    problems = [problem for tabs in watched for problem in tabs.problems()]
    for tabs in watched:
        tabs.context.close()
    # both schemes were audited from both starting points (loaded light, loaded dark)
    starts = collections.Counter(result["started"] for result in results.values())
    assert set(starts) == {"default", "slate"} or len(results) < 2 * TABS, starts
    return {label: results[label] for label, _ in pages_to_audit(site, lang)}, problems


def describe(label: str, violation: dict) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
    impact, rule, what = violation["impact"], violation["id"], violation["help"]
    return f"{label}: [{impact}] {rule}: {what} at {targets}"


def test_axe_finds_nothing_serious_on_any_page(audit, axe_version) -> None:
    results, problems = audit
    audited = sorted(results)
    assert len(audited) == len(PROJECT.pages) + 1, f"{len(audited)} pages audited: {audited}"
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


@pytest.mark.parametrize("lang", PROJECT.languages)
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
