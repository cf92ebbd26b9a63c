"""Line breaking on a phone (390 CSS px wide, headless Chromium): Korean text breaks
between words, at spaces, as Korean is typeset (`word-break: keep-all` for :lang(ko),
overrides/assets/stylesheets/), never inside a word such as 스레 / 드나; and long code,
addresses and identifiers wrap or scroll inside their own box instead of pushing the page
sideways. And nothing on screen moves as the page arrives and loads (no layout shift:
Lighthouse's CLS is 0), which Material's late switch of the root's `no-js` class once did
to the header on every page, and a header painted before its last controls had arrived
did now and then on a busy machine.

Every page the build produced, in both languages, is measured in one browser page and one
evaluate each: every run of letters that contains Hangul, in the article's Korean text
(outside code), is a word; a word whose Range.getClientRects() lie on two lines is split."""

from __future__ import annotations

import pytest

from gevent_guide.browser import chromium
from gevent_guide.project import project

pytestmark = pytest.mark.browser

PROJECT = project()
PHONE = {"width": 390, "height": 844}

# Collects every layout shift from the start of each page (installed before the page's
# own scripts run), and counts the frames painted before the page's content had arrived
# (Material's configuration, after the content, not parsed yet).
WATCH_SHIFTS = """
window.__shifts = []
window.__framesWhileArriving = 0
const __frame = () => {
  if (document.readyState !== "loading") return
  if (!document.getElementById("__config")) window.__framesWhileArriving++
  requestAnimationFrame(__frame)
}
requestAnimationFrame(__frame)
window.__shiftsWatcher = new PerformanceObserver(list => window.__keepShifts(list.getEntries()))
window.__keepShifts = entries => {
  for (const shift of entries) window.__shifts.push({
    at: shift.startTime,
    value: shift.value,
    moved: shift.sources.map(s => s.node && s.node.nodeType === 1
      ? s.node.tagName.toLowerCase() + (s.node.className ? "." + String(s.node.className)
        .trim().split(/\\s+/).join(".") : "") : "#text"),
  })
}
window.__shiftsWatcher.observe({ type: "layout-shift", buffered: true })
"""

MEASURE_JS = """
async () => {
  await document.fonts.ready
  // two frames after load: Material has mounted, and its changes have been painted
  for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame)
  // and the shifts already recorded whose callback has not run yet
  window.__keepShifts(window.__shiftsWatcher.takeRecords())
  // every shift: the page was not painted before it had arrived (ARRIVED_WHOLE)
  const parsed = performance.getEntriesByType("navigation")[0].domInteractive
  const shifts = window.__shifts
    .map(shift => ({ ...shift, at: Math.round(shift.at), parsed: Math.round(parsed) }))
  const article = document.querySelector("article.md-content__inner")
  const root = document.scrollingElement
  const width = root.clientWidth
  const result = { words: 0, split: [], scrollWidth: root.scrollWidth, clientWidth: width,
                   wide: [], shifts, framesWhileArriving: window.__framesWhileArriving }
  if (!article) return result
  const skip = "pre, code, kbd, samp, script, style, svg, math, .headerlink, .md-annotation"
  const hangul = /[\\u1100-\\u11FF\\u3130-\\u318F\\uAC00-\\uD7A3]/u
  const word = /[\\p{L}\\p{M}\\p{N}]+/gu
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT)
  const range = document.createRange()
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement
    if (!parent || !hangul.test(node.data) || parent.closest(skip)) continue
    if (!parent.matches(":lang(ko)")) continue
    for (const match of node.data.matchAll(word)) {
      if (!hangul.test(match[0])) continue
      range.setStart(node, match.index)
      range.setEnd(node, match.index + match[0].length)
      const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)
      if (!rects.length) continue  // not shown (a closed <details>, another tab)
      result.words++
      const tops = rects.map(r => r.top)
      const lineHeight = Math.min(...rects.map(r => r.height))
      if (Math.max(...tops) - Math.min(...tops) > lineHeight / 2) {
        // which part ended up on which line
        const lines = []
        for (let i = 0; i < match[0].length; i++) {
          range.setStart(node, match.index + i)
          range.setEnd(node, match.index + i + 1)
          const r = range.getClientRects()[0]
          if (!r) continue
          const last = lines[lines.length - 1]
          if (last && Math.abs(last.top - r.top) <= lineHeight / 2) last.text += match[0][i]
          else lines.push({ top: r.top, text: match[0][i] })
        }
        const context = node.data.slice(Math.max(0, match.index - 12),
                                         match.index + match[0].length + 12)
        result.split.push({ word: lines.map(l => l.text).join(" / "),
                            context: context.replace(/\\s+/g, " ").trim(),
                            element: parent.tagName.toLowerCase() })
      }
    }
  }
  if (root.scrollWidth > width) {
    // the outermost elements that reach past the right edge, outside boxes that scroll or
    // clip their own content (code blocks, tables)
    const clipped = el => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true
      }
      return false
    }
    const wide = new Set()
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect()
      if (r.right <= width + 0.5 || r.width === 0 || clipped(el)) continue
      if (getComputedStyle(el).position !== "fixed") wide.add(el)  // fixed ones never scroll
    }
    for (const el of wide) {
      if (wide.has(el.parentElement)) continue
      const r = el.getBoundingClientRect()
      const name = el.tagName.toLowerCase() + (typeof el.className === "string" && el.className
        ? "." + el.className.trim().split(/\\s+/).join(".") : "")
      result.wide.push(`${name} (right edge at ${Math.round(r.right)} px):`
                       + ` ${(el.textContent || "").trim().slice(0, 60)}`)
      if (result.wide.length >= 5) break
    }
  }
  return result
}
"""


# A browser may paint while a page's HTML is still arriving, and how much of it has
# arrived then depends on the network and on how busy the machine is: the next frame
# differs from a half-parsed page (a table whose later rows widen its columns). So each
# page is measured as if it arrived at once: its head asks the browser not to render
# until Material's configuration, the last element before its scripts, has been parsed
# (`<link rel=expect blocking=render>`, HTML's render-blocking). What moves then is what
# scripts and late styles move. The half-arrived header, where this once showed, has a
# test of its own below.
ARRIVED_WHOLE = '<link rel="expect" href="#__config" blocking="render">'


def arrive_whole(route) -> None:
    if route.request.resource_type != "document":
        route.fallback()
        return
    response = route.fetch()
    html = response.text()
    assert "<head>" in html and 'id="__config"' in html, f"{route.request.url}: no head or config"
    route.fulfill(response=response, body=html.replace("<head>", "<head>" + ARRIVED_WHOLE, 1))


@pytest.fixture(scope="module")
def measured(browser, site) -> dict:
    """(lang/name) -> what MEASURE_JS found, for every page, in one phone-sized page."""
    context = chromium.new_context(
        browser,
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="ko-KR",
        color_scheme="light",
    )
    context.add_init_script(WATCH_SHIFTS)
    tabs = chromium.watch(context)
    page = tabs.new_page()
    page.route("**/*", arrive_whole)
    found = {}
    try:
        for name, lang in site.pages():
            page.goto(site.url(name, lang), wait_until="load")
            found[f"{lang}/{name}"] = page.evaluate(MEASURE_JS)
    finally:
        context.close()
    problems = tabs.problems()
    assert not problems, "\n".join(problems)
    assert found, "the build produced no pages"
    return found


def test_korean_words_are_not_split_across_lines(measured):
    korean = {label: m for label, m in measured.items() if label.startswith("ko/")}
    assert korean, "no Korean pages were built"
    assert all(m["words"] for m in korean.values()), (
        "pages where no Korean word was measured (is the article's lang still ko?): "
        + ", ".join(label for label, m in korean.items() if not m["words"])
    )
    report = []
    for label, m in measured.items():
        for s in m["split"]:
            report.append(f"{label}: {s['word']}   (<{s['element']}> …{s['context']}…)")
    total = sum(m["words"] for m in measured.values())
    assert not report, (
        f"{len(report)} of {total} Korean words are broken across two lines at"
        f" {PHONE['width']} px (Korean text must break at spaces: word-break: keep-all on"
        " :lang(ko), overrides/assets/stylesheets/):\n" + "\n".join(report)
    )


def test_no_page_scrolls_sideways(measured):
    report = []
    for label, m in measured.items():
        if m["scrollWidth"] > m["clientWidth"]:
            report.append(
                f"{label}: {m['scrollWidth']} px wide in a {m['clientWidth']} px screen;"
                " too wide: " + ("; ".join(m["wide"]) or "?")
            )
    assert not report, (
        f"pages that scroll sideways at {PHONE['width']} px (long code, addresses and"
        " identifiers must wrap: overflow-wrap: anywhere/break-word):\n" + "\n".join(report)
    )


def test_nothing_moves_as_a_page_loads(measured):
    painted_early = [label for label, m in measured.items() if m["framesWhileArriving"]]
    assert not painted_early, (
        f"pages painted before they had arrived, despite {ARRIVED_WHOLE}: does this"
        f" Chromium still block rendering on it? {painted_early}"
    )
    report = [
        f"{label}: layout shift {shift['value']:.4f} at {shift['at']} ms (parsed at"
        f" {shift['parsed']} ms), moved: {', '.join(shift['moved'])}"
        for label, m in measured.items()
        for shift in m["shifts"]
    ]
    assert not report, (
        f"content on screen moved while the page loaded, at {PHONE['width']} px (give what"
        " appears late its place from the start, in the template or the CSS):\n" + "\n".join(report)
    )


# The page's HTML as far as its header's language selector: what a browser has when the
# network or a busy phone stops the page there.
HEADER_CUT = '<label class="md-header__button md-icon" for="__search">'
VISIBILITY = "sel => getComputedStyle(document.querySelector(sel)).visibility"


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_a_half_arrived_header_shows_no_control_yet(tabs, site, lang):
    """The header's controls sit against its right edge, each placed by those after it: a
    header painted before its search button has arrived shows the language selector 48 px
    from where it ends up. So nothing of the header's controls shows until the page's
    container after the header has begun (overrides/assets/stylesheets/). When that paint
    happens depends on the network and the machine; this checks the half-arrived page
    itself, cut where that paint once happened."""
    page = tabs.new_page()
    url = site.url("greenlets", lang)

    def cut(route):
        html = route.fetch().text()
        assert HEADER_CUT in html, f"{url}: no search button in the header ({HEADER_CUT})"
        route.fulfill(body=html[: html.index(HEADER_CUT)], content_type="text/html")

    page.route(url, cut)
    page.goto(url, wait_until="load")
    assert page.evaluate(VISIBILITY, ".md-select") == "hidden", (
        f"{lang}: a header cut before its search button shows its language selector, which"
        " moves when the button arrives: hide .md-header__inner until .md-container begins"
    )
    page.unroute(url)
    page.goto(url, wait_until="load")
    assert page.evaluate(VISIBILITY, ".md-select") == "visible", f"{lang}: the whole page hides it"
