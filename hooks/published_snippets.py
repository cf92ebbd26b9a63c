"""Every example program, published as a file and runnable with one command.

* The build copies each `snippets/<topic>/<name>.py`, byte for byte, to
  `<site_url>snippets/<topic>/<name>.py` (one copy for both languages).
* Each program starts with a PEP 723 block (`# /// script` ... `# ///`) naming its
  third-party dependencies, so `uv run <url>` can install them. Pages show the program
  from the first line after that block: the block is for uv and the test harness, not
  for the reader of the page (an include `--8<-- "queue/boss_workers.py"` inside a
  python code block becomes `--8<-- "queue/boss_workers.py:6:"`).
* Above each such code block the page offers `uv run <url>` in a small code block of its
  own, titled in the page's language, with Material's copy button; the block is kept
  out of the search index. It is offered only for standalone programs: a program that
  names another file of its folder (in a string, like run_patched.py's "plain_app.py",
  or as an import) needs that file beside it, and a URL gives it no folder.

Runs inside the i18n plugin's nested builds too; `site_url` is the same in all of them.
"""

from __future__ import annotations

import ast
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.published_snippets")

SNIPPETS = Path(__file__).resolve().parents[1] / "snippets"
PUBLISHED_DIR = "snippets"

LABELS = {"ko": "uv로 바로 실행", "en": "Run it with uv"}

_HEADER = re.compile(r"(?m)\A# /// script\n(?:#(?:| .*)\n)*?# ///\n")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?:python|py)\b.*$")
_INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^":]+\.py)"[ \t]*$')
_UV_BLOCK = re.compile(r'<div class="uv-run highlight">')


@dataclass(frozen=True)
class Program:
    rel: str  # path under snippets/, with forward slashes
    first_shown_line: int  # 1-based line after the PEP 723 block and the blank lines after it
    standalone: bool


def _names_a_sibling(path: Path, tree: ast.AST) -> bool:
    siblings = {p.name for p in path.parent.iterdir() if p != path}
    modules = {p.stem for p in path.parent.glob("*.py") if p != path}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in siblings:
            return True
        if isinstance(node, ast.Import):
            imported = {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported = {"." if node.level else (node.module or "").split(".")[0]}
        else:
            continue
        if imported & (modules | {"."}):
            return True
    return False


def read_program(rel: str) -> Program | None:
    """The program at snippets/<rel>, or None (with a warning) if it lacks its block."""
    path = SNIPPETS / rel
    text = path.read_text(encoding="utf-8")
    header = _HEADER.match(text)
    if header is None:
        log.warning(
            f"snippets/{rel}:1: no PEP 723 block at the top of the program; start it with"
            ' `# /// script`, `# requires-python = ">=3.10"`, `# dependencies = [...]`,'
            " `# ///` (CONTRIBUTING.md, Add an example)"
        )
        return None
    lines = text.splitlines()
    first = header.group(0).count("\n")
    while first < len(lines) and not lines[first].strip():
        first += 1
    tree = ast.parse(text, filename=str(path))
    return Program(rel, first + 1, not _names_a_sibling(path, tree))


def _published(config) -> list[Path]:
    return sorted(SNIPPETS.glob("*/*.py"))


def _url(config, rel: str) -> str:
    site_url = config.site_url or "/"
    if not site_url.endswith("/"):
        site_url += "/"
    return f"{site_url}{PUBLISHED_DIR}/{rel}"


def _lang(config) -> str:
    plugin = config.plugins.get("i18n")
    return plugin.current_language if plugin else config.theme.get("language", "en")


def uv_command(config, rel: str) -> str:
    return f"uv run {_url(config, rel)}"


def on_page_markdown(markdown: str, page, config, files) -> str:
    label = LABELS.get(_lang(config), LABELS["en"])
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        include = _INCLUDE.match(lines[i + 1]) if fence and i + 1 < len(lines) else None
        if not (fence and include):
            out.append(lines[i])
            i += 1
            continue
        rel = include.group("path")
        program = read_program(rel) if (SNIPPETS / rel).is_file() else None
        if program is None:  # a missing file: pymdownx.snippets reports it
            out.append(lines[i])
            i += 1
            continue
        indent, ticks = fence.group("indent"), fence.group("fence")
        if program.standalone:
            out += [
                f'{indent}{ticks}{{.bash .uv-run title="{label}"}}',
                f"{indent}{uv_command(config, rel)}",
                f"{indent}{ticks}",
                "",
            ]
        out.append(lines[i])
        out.append(f'{include.group("indent")}--8<-- "{rel}:{program.first_shown_line}:"')
        i += 2
    return "\n".join(out)


def on_page_content(html: str, page, config, files) -> str:
    """Keep the uv lines out of the search index: the same command on every page."""
    return _UV_BLOCK.sub('<div class="uv-run highlight" data-search-exclude="uv">', html)


@event_priority(-200)  # once, after the i18n plugin's nested builds
def on_post_build(config) -> None:
    plugin = config.plugins.get("i18n")
    if plugin and plugin.building:
        return
    target = Path(config.site_dir) / PUBLISHED_DIR
    for path in _published(config):
        dest = target / path.relative_to(SNIPPETS)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(path.read_bytes())
