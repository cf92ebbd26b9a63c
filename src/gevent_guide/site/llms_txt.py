"""The MkDocs plugin `gevent-guide-llms` (entry point in pyproject.toml): llms.txt for
each language (https://llmstxt.org/).

* `/llms.txt` (Korean, the default language) and `/en/llms.txt`: an H1 with the site's
  name, a blockquote with its description, then one H2 per nav section (a page outside
  any section gets a section of its own, named after it) listing that language's pages
  in nav order as `- [title](url): summary`. The summary is the page's front matter
  `description`, or else its first paragraph, on one line.
* `/llms-full.txt` and `/en/llms-full.txt`: every page of that language in nav order,
  as Markdown, with each included example written out as the page shows it (programs
  without their PEP 723 block, see site/published.py) and each timeline
  drawing replaced by its title and description.

The mkdocs-llmstxt plugin writes one llms.txt at the site root from a hand-kept list of
pages, and does not follow mkdocs-static-i18n's per-language builds; so this plugin
collects what each language's build read (its nav, its pages' Markdown) and writes the
files once, after the i18n plugin's nested builds. The intro line of each llms.txt is
[llms] intro in strings/<lang>.toml.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from gevent_guide.site.published import snippets_dir
from gevent_guide.strings import strings

log = logging.getLogger("mkdocs.plugins.gevent_guide")

_INCLUDE = re.compile(
    r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^":]+)'
    r'(?::(?P<start>\d*)(?::(?P<end>\d*))?)?"[ \t]*$'
)
_ATTRS = re.compile(r"[ \t]*\{[ \t]*#[^}]*\}[ \t]*$")
_DIV = re.compile(r"^[ \t]*</?div\b[^>]*>[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_SVG_TEXT = re.compile(r"<(title|desc)\b[^>]*>(.*?)</\1>", re.S)
_NOT_PROSE = re.compile(r"^(#|```|~~~|!!!|\?\?\?|===|<|--8<--|\||>|[-*+] |\d+\. |    |\t|\[)")


@dataclass
class Entry:
    page: object  # mkdocs Page; its title and its section's (translated) title are
    markdown: str = ""  # known once the build has rendered it


@dataclass
class Language:
    site_name: str
    site_description: str
    entries: list[Entry] = field(default_factory=list)


# ------------------------------------------------------------------------------ text


def _svg_caption(text: str) -> str:
    parts = [html.unescape(" ".join(m.group(2).split())) for m in _SVG_TEXT.finditer(text)]
    return ". ".join(p.rstrip(".") for p in parts if p) + "." if parts else ""


def _expand(markdown: str, snippets: Path) -> str:
    """The page's Markdown with its includes written out and its anchors dropped."""
    out = []
    for line in markdown.split("\n"):
        include = _INCLUDE.match(line)
        if include is None:
            if not _DIV.match(line):
                out.append(_ATTRS.sub("", line))
            continue
        path = snippets / include.group("path")
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".svg":
            caption = _svg_caption(text)
            if caption:
                out.append(f"{include.group('indent')}*{caption}*")
            continue
        lines = text.rstrip("\n").split("\n")
        start = int(include.group("start")) - 1 if include.group("start") else 0
        end = int(include.group("end")) if include.group("end") else None
        out += [f"{include.group('indent')}{s}" if s else "" for s in lines[start:end]]
    return "\n".join(out).strip() + "\n"


def summary(page, markdown: str) -> str:
    """The front matter description, or else the first paragraph, on one line."""
    description = (page.meta or {}).get("description")
    if description:
        return " ".join(str(description).split())
    in_fence = False
    paragraph: list[str] = []
    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not stripped:
            if paragraph:
                break
            continue
        if not paragraph and _NOT_PROSE.match(line):
            continue
        paragraph.append(stripped)
    text = _TAG.sub("", _LINK.sub(r"\1", " ".join(paragraph)))
    return " ".join(text.split())


def _site_url(config) -> str:
    url = config.site_url or "/"
    return url if url.endswith("/") else url + "/"


class LlmsTxt(BasePlugin):
    def __init__(self) -> None:
        self.languages: dict[str, Language] = {}

    # ------------------------------------------------------------ the i18n plugin's view

    def _lang(self, config) -> str:
        plugin = config.plugins.get("i18n")
        return plugin.current_language if plugin else config.theme.get("language", "en")

    def _prefix(self, lang: str, config) -> str:
        plugin = config.plugins.get("i18n")
        default = plugin.default_language if plugin else self._lang(config)
        return "" if lang == default else f"{lang}/"

    def _nested(self, config) -> bool:
        plugin = config.plugins.get("i18n")
        return bool(plugin and plugin.building)

    # ------------------------------------------------------------------------ the events

    def on_pre_build(self, config) -> None:
        if not self._nested(config):
            self.languages.clear()

    def on_nav(self, nav, config, files):
        language = Language(config.site_name, config.site_description or "")
        language.entries = [Entry(page) for page in nav.pages]
        self.languages[self._lang(config)] = language
        return nav

    @event_priority(-100)  # after gevent-guide-published rewrote the includes
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        language = self.languages.get(self._lang(config))
        for entry in language.entries if language else []:
            if entry.page is page:
                entry.markdown = markdown
        return markdown

    @event_priority(-200)  # once, after the i18n plugin's nested builds
    def on_post_build(self, config) -> None:
        if self._nested(config):
            return
        site = Path(config.site_dir)
        for lang in self.languages:
            folder = site / self._prefix(lang, config)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "llms.txt").write_text(self.llms_txt(lang, config), encoding="utf-8")
            full = self.llms_full_txt(lang, config)
            (folder / "llms-full.txt").write_text(full, encoding="utf-8")

    # ------------------------------------------------------------------------- the files

    def _links(self, lang: str, config) -> dict[str, str]:
        site = _site_url(config)
        others = [other for other in self.languages if other != lang]
        other = others[0] if others else lang
        return {
            "snippets": f"{site}snippets/",
            "full": f"{site}{self._prefix(lang, config)}llms-full.txt",
            "other": f"{site}{self._prefix(other, config)}llms.txt",
        }

    def llms_txt(self, lang: str, config) -> str:
        language = self.languages[lang]
        intro = strings(lang)["llms"]["intro"].format(**self._links(lang, config))
        lines = [f"# {language.site_name}", "", f"> {language.site_description}", "", intro]
        current: object = object()
        for entry in language.entries:
            title = entry.page.title or entry.page.file.src_uri
            section = entry.page.parent.title if entry.page.parent is not None else title
            if section != current:
                lines += ["", f"## {section}", ""]
                current = section
            url = _site_url(config) + entry.page.url
            text = summary(entry.page, entry.markdown)
            if not text:
                log.warning(
                    f"llms.txt: docs/{lang}/{entry.page.file.src_uri}:1: no summary; give the"
                    " page a first paragraph or a `description:` in its front matter"
                )
            lines.append(f"- [{title}]({url}): {text}")
        return "\n".join(lines) + "\n"

    def llms_full_txt(self, lang: str, config) -> str:
        language = self.languages[lang]
        parts = [f"# {language.site_name}\n\n> {language.site_description}\n"]
        for entry in language.entries:
            url = _site_url(config) + entry.page.url
            parts.append(f"<!-- {url} -->\n\n{_expand(entry.markdown, snippets_dir(config))}")
        return "\n---\n\n".join(parts)
