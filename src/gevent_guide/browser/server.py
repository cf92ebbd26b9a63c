"""Serving the built site on 127.0.0.1 the way its host (GitHub Pages) does: under its
site path, a missing address answered with the site's 404.html and status 404."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gevent_guide.project import project

PROJECT = project()
AXE = PROJECT.root / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"  # where the test server serves it (not part of the site)
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|manifest\+json)|image/svg)")


# --------------------------------------------------------------------------- the server


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under its site path. Like GitHub Pages (the site_url's
    host), a missing address gets the site's /404.html with status 404."""

    prefix = "/"
    gzip = False  # compress what compresses, cacheable for 10 minutes (GitHub Pages)

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

    def send_head(self):
        if not self.gzip or self.command != "GET":
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()  # a folder's redirect, or the 404 page
        body = Path(path).read_bytes()
        ctype = self.guess_type(path)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if COMPRESSIBLE.match(ctype) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600" if self.gzip else "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@dataclass
class Site:
    folder: Path
    origin: str  # http://127.0.0.1:PORT
    prefix: str  # /gevent-guide/

    def url(self, name: str = "index", lang: str | None = None) -> str:
        return self.origin + self.prefix + PROJECT.page_path(name, lang or PROJECT.default_language)

    @property
    def axe_url(self) -> str:
        return self.origin + AXE_PATH

    def page_of(self, url: str) -> tuple[str, str] | None:
        """(name, lang) of a URL on this site, None for any other address."""
        path = urlsplit(url).path
        if not url.startswith(self.origin) or not path.startswith(self.prefix):
            return None
        for lang in PROJECT.languages:
            for name in PROJECT.pages:
                if path[len(self.prefix) :] == PROJECT.page_path(name, lang):
                    return name, lang
        return None

    def pages(self) -> list[tuple[str, str]]:
        """(name, lang) of every nav page that the build produced."""
        return [
            (name, lang)
            for lang in PROJECT.languages
            for name in PROJECT.pages
            if (self.folder / PROJECT.page_path(name, lang) / "index.html").is_file()
        ]


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # a browser that navigates away cancels requests: not an error of the site
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(folder: Path, gzip: bool = False):
    """A threaded http.server on a free port of 127.0.0.1: returns (server, Site). With
    gzip: compressed and cacheable like GitHub Pages (for `gevent-guide bench`)."""
    prefix = PROJECT.site_path
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix, "gzip": gzip})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, Site(folder, f"http://127.0.0.1:{server.server_address[1]}", prefix)
