"""The links of the built site that MkDocs does not check.

The links written in the Markdown pages are MkDocs' business: `validation:` in mkdocs.yml
warns about a missing page or anchor, an absolute or unrecognized link, and the strict build
fails on it, naming the page and the link. What it never sees is checked here, in the
rendered HTML: the links the theme, the templates in overrides/ and the project's plugins add
(language switch, hreflang, translation notices, 404 pages), links to the site's own address,
and external links, which are listed and must be https."""

from __future__ import annotations

import html.parser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from gevent_guide.checks.common import REPO, _md, _rel
from gevent_guide.project import project

SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")

# files that .github/workflows/pages.yml adds to the built site before deploying it (links to
# them resolve on the deployed site; tests/test_offline_link.py checks the workflow does add them)
ADDED_AT_DEPLOY = {"gevent-guide-offline.zip"}


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag in ("a", "link") and a.get("href") is not None:
            if tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch"):
                return
            self.links.append(a["href"])
        if tag in ("img", "script", "source", "iframe") and a.get("src"):
            self.links.append(a["src"])


@dataclass
class LinkReport:
    problems: list[str]
    external: dict[str, list[str]]  # url -> pages that link to it


def _where(root: Path, page: str, href: str) -> str:
    """docs/<lang>/<name>.md:<line> if that page wrote the link as it stands, else the
    built page."""
    langs = project(root).languages  # the default language is at the root
    parts = page.split("/")
    lang = parts[0] if parts[0] in langs[1:] else langs[0]
    inside = parts[1:] if lang != langs[0] else parts
    source = _md(root, lang, "/".join(inside[:-1]) or "index")
    if inside[-1] == "index.html" and source.is_file():
        rows = source.read_text(encoding="utf-8").splitlines()
        found = (n for n, row in enumerate(rows, start=1) if len(href) > 3 and href in row)
        line = next(found, None)  # a short href ("../") could be any row's
        if line:
            return f"{_rel(root, source)}:{line}"
        return f"site/{page} (from the theme, mkdocs.yml or a plugin; not in {_rel(root, source)})"
    return f"site/{page} (from the theme, mkdocs.yml or a plugin)"


def _problem(site: Path, ids: dict[str, set[str]], site_url: str, url: str) -> str | None:
    """What is wrong with a link (as an absolute URL), or None."""
    parts = urlsplit(url)
    base_path = urlsplit(site_url).path
    as_https = "https://" + url.split("://", 1)[1]
    if not as_https.startswith(site_url):
        if parts.netloc == urlsplit(site_url).netloc:
            return (
                f"points outside the site's folder {base_path}; fix: link to the"
                " page relatively (e.g. queue.md#anchor)"
            )
        if parts.scheme == "https":
            return None
        return f"is not https; fix: use {as_https} (check that the https address works)"
    if parts.scheme != "https":
        return f"is not https; fix: use {as_https}, or better a relative link"
    target = unquote(parts.path[len(base_path) :])
    if target == "" or target.endswith("/"):
        target += "index.html"
    elif not (site / target).is_file() and (site / target).is_dir():
        target += "/index.html"
    if target in ADDED_AT_DEPLOY:
        return None
    if not (site / target).is_file():
        return f"{target} does not exist; fix: link to a page that the site has"
    fragment = unquote(parts.fragment)
    if fragment and target in ids and fragment not in ids[target]:
        return (
            f"{target} has no anchor #{fragment}; fix: link to an id that {target} has,"
            f" or add {{ #{fragment} }} to the heading you mean"
        )
    return None


def site_links(site: Path, root: Path = REPO) -> LinkReport:
    site_url = project(root).site_url.rstrip("/") + "/"
    if not urlsplit(site_url).scheme:
        site_url = "https://example.invalid" + site_url
    parsed: dict[str, _PageParser] = {}
    for path in sorted(site.rglob("*.html")):
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parsed[path.relative_to(site).as_posix()] = parser
    ids = {page: parser.ids for page, parser in parsed.items()}

    problems: dict[tuple[str, str], str] = {}
    external: dict[str, list[str]] = {}
    for page, parser in parsed.items():
        page_url = urljoin(site_url, page.removesuffix("index.html"))
        for href in (h.strip() for h in parser.links):
            if not href or href.startswith(SKIP_SCHEMES):
                continue
            url = urljoin(page_url, href)
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            if urlsplit(url).netloc != urlsplit(site_url).netloc:
                pages_linking = external.setdefault(url, [])
                if page not in pages_linking:
                    pages_linking.append(page)
            problem = _problem(site, ids, site_url, url)
            if problem:
                where = _where(root, page, href)
                problems.setdefault((where, href), f"{where}: link {href} -> {problem}")
    return LinkReport(list(problems.values()), external)
