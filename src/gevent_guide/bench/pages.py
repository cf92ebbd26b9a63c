"""Weight and search speed of every page, measured in headless Chromium.

Builds the site (or takes --site DIR), serves it on 127.0.0.1 as tests/browser does, and
opens each page of both languages in a fresh browser context (cold cache). For each page
it prints:

  KB     bytes transferred, uncompressed (the local server does not compress),
         including the page's search index, which Material fetches at once
  req    number of requests (all of them to 127.0.0.1)
  load   milliseconds from navigation to the load event
  first  milliseconds from typing a query, right at the load event, to the first
         result on screen: this includes waiting for the index download and for the
         worker to build the index (a reader who types as the page appears)
  ready  the same for a reader who types once the page has settled (network idle):
         the search itself and drawing the results
  fresh  the first search of a freshly opened page, typed: a new context (cold cache),
         the page open until the network is idle, a click in the search box, `gevent`
         typed at 20 ms a key; milliseconds from the first key to the first result

Budgets: a page under 500 KB, a first result under 300 ms, and a median `fresh` of
250 ms per language. --strict exits 1 when a page or a language is over budget. Needs
Debian's chromium (CHROMIUM=/path to use another) and the site's Python tools.

    gevent-guide bench --only pages [--site DIR] [--strict]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gevent_guide.browser import chromium, server
from gevent_guide.browser.reader import SEARCH_BOX
from gevent_guide.project import build_site, project

PROJECT = project()

BUDGET_KB = 500
BUDGET_FIRST_MS = 300
QUERY = {"ko": "그린렛", "en": "greenlets"}
QUERY_AGAIN = {"ko": "큐는", "en": "queues"}
BUDGET_FRESH_MS = 250  # median per language
FRESH_QUERY = "gevent"

# When the reader's first key reached the search box, and when the first result was on
# screen after it (installed before the page's own scripts).
FRESH_TIMING = """
window.__fresh = { typed: 0, shown: 0 }
document.addEventListener("input", ev => {
  if (!window.__fresh.typed && ev.target.matches && ev.target.matches("input.md-search__input"))
    window.__fresh.typed = performance.now()
}, true)
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".md-search-result__list")
  new MutationObserver(() => {
    if (window.__fresh.typed && !window.__fresh.shown && list.children.length)
      window.__fresh.shown = performance.now()
  }).observe(list, { childList: true })
})
"""


def build(folder: Path) -> None:
    started = time.perf_counter()
    result = build_site(folder)
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{(result.stdout + result.stderr)[-3000:]}")
    print(f"built the site in {time.perf_counter() - started:.1f} s")


def measure(browser, site, name: str, lang: str) -> dict:
    context = chromium.new_context(browser)
    tabs = chromium.watch(context)
    sizes: list[int] = []
    page = tabs.new_page()
    page.on(
        "requestfinished",
        lambda request: sizes.append(request.sizes()["responseBodySize"]),
    )
    started = time.perf_counter()
    page.goto(site.url(name, lang), wait_until="load")
    load_ms = (time.perf_counter() - started) * 1000
    result = chromium.search(page, QUERY[lang])
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").evaluate("el => el.blur()")
    ready = chromium.search(page, QUERY_AGAIN[lang])
    context.close()
    return {
        "page": f"{lang}/{name}",
        "kb": sum(sizes) / 1024,
        "requests": len(sizes),
        "load": load_ms,
        "first": result["elapsed"],
        "ready": ready["elapsed"],
        "results": min(len(result["items"]), len(ready["items"])),
        "problems": tabs.problems(),
    }


def fresh_search(browser, site, name: str, lang: str) -> float:
    """Milliseconds from the first key of `gevent` to the first result, typed into a
    page opened in a new context and left until the network was idle."""
    context = chromium.new_context(browser)
    context.add_init_script(FRESH_TIMING)
    try:
        page = context.new_page()
        page.goto(site.url(name, lang), wait_until="networkidle")
        page.click(SEARCH_BOX)
        page.keyboard.type(FRESH_QUERY, delay=20)
        page.wait_for_function("() => window.__fresh.shown > 0", timeout=8000)
        timing = page.evaluate("window.__fresh")
    finally:
        context.close()
    return timing["shown"] - timing["typed"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gevent-guide bench --only pages", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.site
        if folder is None:
            folder = Path(tmp) / "site"
            build(folder)
        httpd, site = server.serve(folder)
        rows = []
        try:
            with sync_playwright() as playwright:
                try:
                    browser = chromium.launch(playwright)
                except chromium.MissingTool as missing:
                    sys.exit(str(missing))
                # one warm-up load, so the first row does not pay for starting the
                # browser
                measure(browser, site, "index", "ko")
                for name, lang in site.pages():
                    row = measure(browser, site, name, lang)
                    row["fresh"] = fresh_search(browser, site, name, lang)
                    rows.append(row)
                browser.close()
        finally:
            httpd.shutdown()
        for lang in PROJECT.languages:
            index = folder / PROJECT.page_path("index", lang) / "search" / "search_index.json"
            print(f"search index ({lang}): {index.stat().st_size / 1024:.1f} KB")

    print(
        f"\n{'page':24} {'KB':>7} {'req':>4} {'load ms':>8} {'first ms':>9} {'ready ms':>9}"
        f" {'fresh ms':>9}"
    )
    over = []
    for row in rows:
        flags = []
        if row["kb"] > BUDGET_KB:
            flags.append(f"over {BUDGET_KB} KB")
        if row["first"] > BUDGET_FIRST_MS:
            flags.append(f"over {BUDGET_FIRST_MS} ms")
        if not row["results"]:
            flags.append("no result")
        flags += row["problems"]
        if flags:
            over.append(row["page"])
        print(
            f"{row['page']:24} {row['kb']:7.1f} {row['requests']:4d} {row['load']:8.0f}"
            f" {row['first']:9.0f} {row['ready']:9.0f} {row['fresh']:9.0f}  {'; '.join(flags)}"
        )

    def spread(key: str, unit: str) -> str:
        values = [row[key] for row in rows]
        low, high, mid = min(values), max(values), statistics.median(values)
        return f"{low:.0f}-{high:.0f} {unit} (median {mid:.0f})"

    print(f"\nqueries: {QUERY} typed at load, then {QUERY_AGAIN} once settled")
    print(
        f"{len(rows)} pages: {spread('kb', 'KB')};"
        f" first result {spread('first', 'ms')};"
        f" settled {spread('ready', 'ms')}"
    )
    print(f"budget: under {BUDGET_KB} KB and {BUDGET_FIRST_MS} ms per page: ", end="")
    print("all within" if not over else f"{len(over)} page(s) over: {', '.join(over)}")
    slow = []
    for lang in PROJECT.languages:
        fresh = [row["fresh"] for row in rows if row["page"].startswith(f"{lang}/")]
        median = statistics.median(fresh)
        if median > BUDGET_FRESH_MS:
            slow.append(lang)
        print(
            f"first search on a fresh page, {lang}: median {median:.0f} ms, max"
            f" {max(fresh):.0f} ms over {len(fresh)} pages (budget: median {BUDGET_FRESH_MS} ms)"
        )
    return 1 if (over or slow) and args.strict else 0
