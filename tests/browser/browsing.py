"""What the browser tests and scripts/bench_pages.py share: serving the built site on
127.0.0.1 the way its host does, launching Debian's Chromium, keeping pages hermetic,
and running a query through the site's own search box."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
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
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"  # where the test server serves it (not part of the site)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without building the Python objects some settings name
    (`!!python/object/apply:` for the slug function)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
MKDOCS = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def _nav_pages(nav) -> list[str]:
    """The page names of the nav, in order: index, introduction, ..."""
    if isinstance(nav, str):
        return [nav.removesuffix(".md")] if nav.endswith(".md") else []
    items = nav.values() if isinstance(nav, dict) else nav
    return [name for item in items for name in _nav_pages(item)]


_I18N = next(p["i18n"] for p in MKDOCS["plugins"] if isinstance(p, dict) and "i18n" in p)
LANGUAGES = tuple(language["locale"] for language in _I18N["languages"])
DEFAULT_LANGUAGE = next(lang["locale"] for lang in _I18N["languages"] if lang.get("default"))
PAGES = _nav_pages(MKDOCS["nav"])  # every nav page is browsed: no list to keep here


class MissingTool(RuntimeError):
    pass


def site_path() -> str:
    """The path part of site_url ("/gevent-guide/"): the site is served under it, as in
    production, so the absolute links of the 404 pages resolve."""
    path = urlsplit(MKDOCS.get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def page_path(name: str, lang: str) -> str:
    """Path of a page below the site path: "", "greenlets/", "en/", "en/greenlets/"."""
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    return prefix + ("" if name == "index" else f"{name}/")


# --------------------------------------------------------------------------- the server


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under its site path. Like GitHub Pages (the site_url's
    host), a missing address gets the site's /404.html with status 404."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return os.path.join(self.directory, "\0missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if urlsplit(self.path).path == AXE_PATH:
            # test tooling, outside the site: cacheable, so Chromium compiles it once
            body = AXE.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600")
            super().end_headers()
            self.wfile.write(body)
            return
        if urlsplit(self.path).path == "/" and self.prefix != "/":
            self.send_response(302)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return
        super().do_GET()

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@dataclass
class Site:
    folder: Path
    origin: str  # http://127.0.0.1:PORT
    prefix: str  # /gevent-guide/

    def url(self, name: str = "index", lang: str = DEFAULT_LANGUAGE) -> str:
        return self.origin + self.prefix + page_path(name, lang)

    @property
    def axe_url(self) -> str:
        return self.origin + AXE_PATH

    def page_of(self, url: str) -> tuple[str, str] | None:
        """(name, lang) of a URL on this site, None for any other address."""
        path = urlsplit(url).path
        if not url.startswith(self.origin) or not path.startswith(self.prefix):
            return None
        for lang in LANGUAGES:
            for name in PAGES:
                if path[len(self.prefix) :] == page_path(name, lang):
                    return name, lang
        return None

    def pages(self) -> list[tuple[str, str]]:
        """(name, lang) of every nav page that the build produced."""
        return [
            (name, lang)
            for lang in LANGUAGES
            for name in PAGES
            if (self.folder / page_path(name, lang) / "index.html").is_file()
        ]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # a browser that navigates away cancels requests: not an error of the site
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(folder: Path):
    """A threaded http.server on a free port of 127.0.0.1: returns (server, Site)."""
    prefix = site_path()
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, Site(folder, f"http://127.0.0.1:{server.server_address[1]}", prefix)


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


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


def new_context(browser, **options):
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "en-US")
    context = browser.new_context(service_workers="block", **options)
    context.set_default_timeout(10_000)
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
