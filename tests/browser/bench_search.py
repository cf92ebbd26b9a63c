"""Search latency as readers feel it (a benchmark: `make bench` runs it; `make test` does
not, since tests don't time things): from the last keystroke or composition change to
the final results on screen, per language, on a settled page and on a page still
loading. Prints the median and the maximum over the concept queries of
tests/browser/test_search.py.

    .venv/bin/python -m pytest tests/browser/bench_search.py -s -p no:cacheprovider
"""

from __future__ import annotations

import statistics

import pytest
from test_search import QUERIES

from gevent_guide.browser import chromium
from gevent_guide.browser.reader import DESKTOP, Entry, Moment, SearchBox
from gevent_guide.project import project

PROJECT = project()

pytestmark = pytest.mark.browser

# Milliseconds from the last `input` event of the box to the moment Material has shown
# the answer to what the box holds (the listener added at the first query runs after
# Material's own, so the results are already rendered).
TIMING = """
(() => {
  window.__latency = { lastInput: 0, shown: 0 }
  document.addEventListener("input", ev => {
    if (ev.target.matches && ev.target.matches("input.md-search__input"))
      window.__latency.lastInput = performance.now()
  }, true)
  const post = Worker.prototype.postMessage
  Worker.prototype.postMessage = function (message, ...rest) {
    if (!this.__timed) {
      this.__timed = true
      this.addEventListener("message", ev => {
        if (ev.data && ev.data.type === 3) window.__latency.shown = performance.now()
      })
    }
    return post.call(this, message, ...rest)
  }
})()
"""


def latency(box: SearchBox, query: str, entry: Entry) -> float:
    box.focus("click")
    box.enter(query, entry)
    box.release()
    box.results()
    figures = box.page.evaluate("window.__latency")
    box.clear()
    box.leave()
    return figures["shown"] - figures["lastInput"]


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_search_latency(browser, site, lang) -> None:
    entry = Entry.IME if lang == "ko" else Entry.KEYS_FAST
    context = chromium.new_context(browser, **DESKTOP.context_options())
    context.add_init_script(TIMING)
    page = context.new_page()
    figures: dict[str, list[float]] = {"settled": [], "loading": []}
    try:
        settled = SearchBox(page, DESKTOP)
        settled.open(site.url("index", lang), Moment.IDLE)
        for query, _, _ in QUERIES[lang]:
            figures["settled"].append(latency(settled, query, entry))
        for query, _, _ in QUERIES[lang]:
            box = SearchBox(page, DESKTOP)
            box.page.goto(site.url("index", lang), wait_until="domcontentloaded")
            # typed at 20 ms a key right after the HTML arrived: the index is still on its
            # way, and is part of the wait
            figures["loading"].append(latency(box, query, Entry.KEYS_FAST))
    finally:
        context.close()
    for moment, values in figures.items():
        assert len(values) == len(QUERIES[lang])
        print(
            f"\nsearch latency, {lang}, {moment} page: median"
            f" {statistics.median(values):.0f} ms, max {max(values):.0f} ms"
            f" over {len(values)} queries"
        )
