"""Launching Debian's Chromium, keeping its pages hermetic (nothing but 127.0.0.1), and
running a query through the site's own search box."""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    # belt and braces: a request that escaped the route in watch() could not resolve a
    # name
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


# How long a page may take to load or to react before a test calls it stuck: a hang
# bound, not a speed check (speed is `make bench`'s). On a 2-core machine running a few
# test workers and Chromiums at once, a page that loads in 0.3 s idle took over 10 s.
HANG_BOUND_MS = 60_000


class MissingTool(RuntimeError):
    pass


# -------------------------------------------------------------------------- the browser


def chromium_path() -> str:
    path = CHROMIUM if os.path.sep in CHROMIUM else shutil.which(CHROMIUM) or CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise MissingTool(
            f"Chromium not found at {path}: install Debian's chromium package "
            "(`make test` does: apt-get install chromium fonts-noto-cjk)"
            " or set CHROMIUM=/path"
        )
    return path


def launch_args() -> dict:
    """What Playwright's chromium.launch() needs for Debian's Chromium, kept hermetic (the
    tests pass it to pytest-playwright through browser_type_launch_args)."""
    return {"executable_path": chromium_path(), "args": list(CHROMIUM_ARGS)}


def launch(playwright):
    return playwright.chromium.launch(headless=True, **launch_args())


def new_context(browser, **options):
    return open_context(browser.new_context, **options)


def open_context(create, **options):
    """A context opened by `create` (Browser.new_context, or pytest-playwright's
    new_context fixture, which also closes it and records traces when asked)."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "en-US")
    context = create(service_workers="block", **options)
    context.set_default_timeout(HANG_BOUND_MS)
    return context


@dataclass
class Tabs:
    """A browser context whose pages are watched: requests to any host but 127.0.0.1 are
    aborted and recorded, console errors and uncaught exceptions are recorded."""

    context: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # console errors a test expects, e.g. the 404 status of a missing page's own address
    expected: list[re.Pattern] = field(default_factory=list)

    def new_page(self):
        page = self.context.new_page()

        def console(msg) -> None:
            if msg.type != "error":
                return
            text = f"{page.url}: console error: {msg.text}"
            if not any(p.search(text) for p in self.expected):
                self.errors.append(text)

        page.on("console", console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: uncaught: {exc}"))
        return page

    def problems(self) -> list[str]:
        return [f"request left 127.0.0.1: {url}" for url in self.outside] + self.errors


def watch(context) -> Tabs:
    tabs = Tabs(context)

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tabs.outside.append(url)
            route.abort()

    context.route("**/*", guard)
    return tabs


# ---------------------------------------------------------------------------- searching

# Types a query into Material's search box (as keyup events do) and resolves with the
# ranked result pages once the worker has answered: [{href, score}], best first, one per
# page.
_SEARCH_JS = """
async ([query, timeout]) => {
  const input = document.querySelector("input.md-search__input")
  const list = document.querySelector(".md-search-result__list")
  const meta = document.querySelector(".md-search-result__meta")
  if (!input || !list) throw new Error("no search box on this page")
  const none = JSON.parse(document.getElementById("__config").textContent)
    .translations["search.result.none"]
  const started = performance.now()
  const done = new Promise((resolve, reject) => {
    let grace
    const finish = () => {
      observer.disconnect(); clearTimeout(timer); clearTimeout(grace)
      resolve(performance.now() - started)
    }
    const check = () => {
      if (list.children.length) return finish()
      // "no results" may be the answer to an earlier query: give the real one a moment
      if (meta.textContent.trim() === none && !grace) grace = setTimeout(finish, 300)
    }
    const observer = new MutationObserver(check)
    observer.observe(list, { childList: true })
    observer.observe(meta, { childList: true, characterData: true, subtree: true })
    const timer = setTimeout(() => {
      observer.disconnect(); reject(new Error("no answer"))
    }, timeout)
  })
  if (input.value === query) {
    // Material searches only when the text changes: change it once
    input.value = ""
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  }
  list.innerHTML = ""
  meta.textContent = ""
  input.value = query  // before focusing: Material reads the value on focus too
  input.focus()
  input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  const elapsed = await done
  const found = list.querySelectorAll(":scope > li.md-search-result__item")
  const items = [...found].map(li => {
    const link = li.querySelector("a.md-search-result__link")
    const article = link.querySelector("article")
    return { href: link.href, score: Number(article.dataset.mdScore) }
  })
  const index = performance.getEntriesByType("resource")
    .find(entry => entry.name.endsWith("/search/search_index.json"))
  return { elapsed, items, index_ready: index ? index.responseEnd : null, started }
}
"""


def search(page, query: str, timeout_ms: int = 8000) -> dict:
    """Run a query in the page's search box. Returns {"elapsed": ms until the results
    showed, "items": [{"href", "score"}, ...] best first, one per page, ...}."""
    return page.evaluate(_SEARCH_JS, [query, timeout_ms])


def wait_until_ready(page) -> float:
    """Wait until the search worker answers a query; returns the milliseconds waited."""
    started = time.perf_counter()
    search(page, "gevent")
    return (time.perf_counter() - started) * 1000
