"""Every internal link and anchor of a built site resolves; the external ones are listed
and must be https."""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from gevent_guide.checks.common import REPO, _md, _rel
from gevent_guide.project import LANGUAGES, load_mkdocs_yml
from gevent_guide.translations.sections import sections

SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag.attribute, url)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag in ("a", "link") and a.get("href") is not None:
            if tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch"):
                return
            self.links.append((tag, a["href"]))
        if tag in ("img", "script", "source", "iframe") and a.get("src"):
            self.links.append((tag, a["src"]))


def source_of(root: Path, page: str) -> Path | None:
    """docs/<lang>/<name>.md for a built page such as en/queue/index.html."""
    parts = page.split("/")
    if parts[-1] != "index.html":
        return None
    lang = LANGUAGES[0]  # the default language is at the root
    if parts[0] in LANGUAGES[1:]:
        lang, parts = parts[0], parts[1:]
    name = "/".join(parts[:-1]) or "index"
    path = _md(root, lang, name)
    return path if path.is_file() else None


MD_LINK = re.compile(r"\]\((?P<target><[^>]*>|[^)\s]+)")


def _source_line(source: Path, href: str) -> tuple[int, str] | None:
    """The line of the Markdown page that wrote a link, and the link as written there
    (queue.md#anchor becomes ../queue/#anchor on the site)."""
    path, _, fragment = href.partition("#")
    stem = path.rstrip("/").split("/")[-1].removesuffix(".html") if path else ""
    rows = source.read_text(encoding="utf-8").splitlines()

    def written_as(target: str) -> bool:
        if target == href:
            return True
        t_path, _, t_fragment = target.partition("#")
        if t_fragment != fragment:
            return False
        if not path:
            return not t_path
        t_stem = t_path.removesuffix(".md").rstrip("/").split("/")[-1]
        return t_path.endswith(".md") and t_stem == (stem or "index")

    for number, row in enumerate(rows, start=1):
        for m in MD_LINK.finditer(row):
            target = m.group("target").strip("<>")
            if written_as(target):
                return number, target
    if len(href) > 3:  # a link written as HTML or in a table of links
        for number, row in enumerate(rows, start=1):
            if href in row:
                return number, href
    return None


@dataclass
class LinkReport:
    problems: list[str]
    external: dict[str, list[str]]  # url -> pages that link to it


# files that .github/workflows/pages.yml adds to the built site before deploying it (links to
# them resolve on the deployed site; tests/test_offline_link.py checks the workflow does add them)
ADDED_AT_DEPLOY = {"gevent-guide-offline.zip"}


def site_links(site: Path, root: Path = REPO) -> LinkReport:
    config = load_mkdocs_yml(root)
    site_url = (config.get("site_url") or "https://example.invalid/").rstrip("/") + "/"
    base_path = urlsplit(site_url).path
    parsed: dict[str, _PageParser] = {}
    for path in sorted(site.rglob("*.html")):
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parsed[path.relative_to(site).as_posix()] = parser

    problems: dict[tuple[str, str], str] = {}
    external: dict[str, list[str]] = {}
    for page, parser in parsed.items():
        page_url = urljoin(site_url, page.removesuffix("index.html"))
        source = source_of(root, page)
        for _tag, href in parser.links:
            href = href.strip()
            if not href or href.startswith(SKIP_SCHEMES):
                continue
            url = urljoin(page_url, href)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https"):
                continue
            as_https = "https://" + url.split("://", 1)[1]
            if not as_https.startswith(site_url):
                if parts.netloc == urlsplit(site_url).netloc:
                    problem = (
                        f"points outside the site's folder {base_path}; fix: link to the"
                        " page relatively (e.g. queue.md#anchor)"
                    )
                else:
                    pages_linking = external.setdefault(url, [])
                    if page not in pages_linking:
                        pages_linking.append(page)
                    if parts.scheme == "https":
                        continue
                    problem = (
                        f"is not https; fix: use {as_https} (check that the https address works)"
                    )
            elif parts.scheme != "https":
                problem = f"is not https; fix: use {as_https}, or better a relative link"
            else:
                target = unquote(parts.path[len(base_path) :])
                if target == "" or target.endswith("/"):
                    target += "index.html"
                elif not (site / target).is_file() and (site / target).is_dir():
                    target += "/index.html"
                if target in ADDED_AT_DEPLOY:
                    continue
                if not (site / target).is_file():
                    problem = (
                        f"{target} does not exist; fix: link to an existing page (write the"
                        " .md file, e.g. queue.md#anchor; to the other language write"
                        " ../en/<page>/ from a Korean page, ../../<page>/ from an English one)"
                    )
                elif parts.fragment and target.endswith(".html"):
                    fragment = unquote(parts.fragment)
                    if fragment in parsed[target].ids:
                        continue
                    target_md = source_of(root, target)
                    if target_md:
                        known = [s.anchor for s in sections(target_md)[1:]]
                        hint = (
                            f"use an anchor of {_rel(root, target_md)}"
                            f" ({', '.join('#' + a for a in known[:8]) or 'it has none'}"
                            f"{', …' if len(known) > 8 else ''}), or add {{ #{fragment} }}"
                            " to the heading you mean"
                        )
                    else:
                        hint = "use an id that the page has"
                    problem = f"{target} has no anchor #{fragment}; fix: {hint}"
                else:
                    continue
            found = _source_line(source, href) if source else None
            if found:
                where = f"{_rel(root, source)}:{found[0]}"
                shown = found[1] if found[1] == href else f"{found[1]} (on the site: {href})"
            else:
                origin = f"; not in {_rel(root, source)}" if source else ""
                where = f"site/{page} (from the theme, mkdocs.yml or a hook{origin})"
                shown = href
            problems.setdefault((where, href), f"{where}: link {shown} -> {problem}")
    return LinkReport(list(problems.values()), external)
