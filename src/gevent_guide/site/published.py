"""The MkDocs plugin `gevent-guide-published` (entry point in pyproject.toml): every
example program, published as a file and runnable with one command.

* The build copies each `snippets/<topic>/<name>.py`, byte for byte, to
  `<site_url>snippets/<topic>/<name>.py` (one copy for both languages).
* Each program starts with a PEP 723 block (`# /// script` ... `# ///`) naming its
  third-party dependencies, so `uv run <url>` can install them. Pages show the program
  from the first line after that block: the block is for uv, not for the reader of the
  page (an include `--8<-- "queue/boss_workers.py"` inside a python code block becomes
  `--8<-- "queue/boss_workers.py:6:"`).
* Above each such code block the page offers `uv run <url>` in a small code block of its
  own, titled in the page's language (strings/<lang>.toml, [uv] title), with Material's
  copy button; the block is kept out of the search index. It is offered only for
  standalone programs (programs.py).

Runs inside the i18n plugin's nested builds too; `site_url` is the same in all of them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from gevent_guide.programs import PUBLISHED_DIR, ProgramError, published_url, read_program
from gevent_guide.strings import strings

log = logging.getLogger("mkdocs.plugins.gevent_guide")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?:python|py)\b.*$")
_INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^":]+\.py)"[ \t]*$')
_UV_BLOCK = re.compile(r'<div class="uv-run highlight">')


def _lang(config) -> str:
    plugin = config.plugins.get("i18n")
    return plugin.current_language if plugin else config.theme.get("language", "en")


def snippets_dir(config) -> Path:
    """snippets/ beside the mkdocs.yml being built (also for the guards' site copies)."""
    return Path(config.config_file_path).resolve().parent / "snippets"


def uv_lines(markdown: str, snippets: Path, site_url: str, label: str) -> str:
    """The page's Markdown with each program's include starting after its PEP 723 block
    and a uv line above each standalone program."""
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        include = _INCLUDE.match(lines[i + 1]) if fence and i + 1 < len(lines) else None
        rel = include.group("path") if include else ""
        if not (fence and include and (snippets / rel).is_file()):
            out.append(lines[i])  # a missing file: pymdownx.snippets reports it
            i += 1
            continue
        try:
            program = read_program(snippets / rel)
        except ProgramError as exc:
            log.warning(str(exc))
            out.append(lines[i])
            i += 1
            continue
        indent, ticks = fence.group("indent"), fence.group("fence")
        if program.standalone:
            out += [
                f'{indent}{ticks}{{.bash .uv-run title="{label}"}}',
                f"{indent}uv run {published_url(site_url, rel)}",
                f"{indent}{ticks}",
                "",
            ]
        out.append(lines[i])
        out.append(f'{include.group("indent")}--8<-- "{rel}:{program.first_shown_line}:"')
        i += 2
    return "\n".join(out)


class Published(BasePlugin):
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        label = strings(_lang(config))["uv"]["title"]
        return uv_lines(markdown, snippets_dir(config), config.site_url or "/", label)

    def on_page_content(self, html: str, page, config, files) -> str:
        """Keep the uv lines out of the search index: the same command on every page."""
        return _UV_BLOCK.sub('<div class="uv-run highlight" data-search-exclude="uv">', html)

    @event_priority(-200)  # once, after the i18n plugin's nested builds
    def on_post_build(self, config) -> None:
        plugin = config.plugins.get("i18n")
        if plugin and plugin.building:
            return
        target = Path(config.site_dir) / PUBLISHED_DIR
        snippets = snippets_dir(config)
        for path in sorted(snippets.glob("*/*.py")):
            dest = target / path.relative_to(snippets)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
