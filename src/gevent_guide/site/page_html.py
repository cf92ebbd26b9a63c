"""What the plugin changes in a rendered page: drawings kept out of the search index,
code annotation markers that hold their place, absolute hreflang alternates with
x-default, and an accessible name for the search dialog."""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin

from mkdocs.structure.pages import Page

SVG = re.compile(r"<svg(?![^>]*data-search-exclude)")
log = logging.getLogger("mkdocs.plugins.gevent_guide")


def exclude_drawings(html: str) -> str:
    """Keep drawings out of the search index: an inline SVG's labels and description are
    there for eyes and screen readers, and as search text they only add weight and
    noise. (Material's search skips elements marked data-search-exclude, then drops the
    mark.)"""
    return SVG.sub('<svg data-search-exclude="svg"', html)


# A code annotation marker as Pygments renders it: the comment `# (1)!` on its own.
MARKER_COMMENT = re.compile(r'<span class="(c1?|ch|cm|cs)">(#\s*\(\d+\)!)</span>')


def reserve_annotation_markers(html: str) -> str:
    """Mark each `# (1)!` comment of a code block, which Material's script replaces with
    an annotation marker once the page has loaded, so that the stylesheet gives it the
    marker's width from the start (overrides/assets/stylesheets/accessibility.css):
    otherwise the end of its line moves when the marker arrives, a layout shift on every
    page with an annotation in its first screen."""
    return MARKER_COMMENT.sub(r'<span class="\1" data-annotation-slot>\2</span>', html)


ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def absolute_alternates(page: Page, site: str, languages: list[str], default: str):
    """(hreflang, absolute URL) of the page in every language, and x-default."""
    alternates = getattr(page.file, "alternates", {}) or {}
    links = []
    for lang in languages:
        file = alternates.get(lang)
        if file is not None:
            links.append((lang, urljoin(site, file.url)))
    default_url = dict(links).get(default)
    if default_url:
        links.append(("x-default", default_url))
    return links


def replace_alternates(output: str, links: list[tuple[str, str]], where: str) -> str:
    block = "".join(
        f'<link rel="alternate" href="{href}" hreflang="{lang}">\n' for lang, href in links
    )
    first = ALTERNATE.search(output)
    if first is None:
        log.warning(f"gevent-guide-i18n: no hreflang links in {where}")
        return output
    output = ALTERNATE.sub("", output)
    return output[: first.start()] + block + output[first.start() :]


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_INPUT_LABEL = re.compile(
    r'<input type="text" class="md-search__input"[^>]*? aria-label="([^"]*)"'
)


def label_search_dialog(html: str) -> str:
    """Material's search dialog has no accessible name (axe: aria-dialog-name, serious):
    give it the search box's own label ("검색", "Search")."""
    label = _SEARCH_INPUT_LABEL.search(html)
    if label and _SEARCH_DIALOG in html:
        html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label[1]}">', 1)
    return html
