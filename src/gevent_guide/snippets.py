"""What a snippet is and what it declares, and the code blocks of the pages that include it.

Snippets live in snippets/<topic>/<name>.py, what they print in <name>.out beside them.
Everything the tests need to know about a snippet is in <name>.toml beside it (no list
elsewhere; a snippet with none of these needs no such file), so that the published
program keeps only its PEP 723 block (requires-python, dependencies):

    network = ["www.google.com"]  # public hosts it contacts (CI: loopback stand-ins)
    server = "http"               # long-running server: "http" or "websocket"
    answer = {status = 200, type = "text/plain", body = "..."}  # an http server's GET /
    timeout = 20                  # seconds before it counts as hung (default 20)
    timeline = "exact"            # draw its timeline, compared "exact" or "relaxed"
                                  # (or the list of structure keys to compare)
    [[panels]]                    # parts of the timeline drawn apart
    start = "Synchronous:"        # from the first line it prints that starts so
    ko = "동기: 차례대로 실행"      # the part's title in each language
    en = "Synchronous: one after another"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gevent_guide.project import LANGUAGES, ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = ROOT
SNIPPETS = REPO / "snippets"
DOCS = REPO / "docs"
DEFAULT_TIMEOUT = 20.0
KNOWN_KEYS = {"network", "server", "timeout", "answer", "timeline", "panels"}
SERVER_KINDS = {"http", "websocket", "chat"}  # chat: driven by tests/test_chat.py
TIMELINE_MODES = {"exact", "relaxed"}
STRUCTURE = {"lanes", "switches", "ends", "yields", "prints", "thread_tasks", "process_exits"}
# An http server's `answer`: what it answers on GET / (tests/test_servers.py).
ANSWER_KEYS = {"status", "type", "body"}

PEP723 = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
INCLUDE = re.compile(r'^(?P<indent>\s*)--8<--\s+"(?P<target>[^"]+)"\s*$')
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class SnippetError(Exception):
    """A snippet or page is malformed; the message names the file and line."""


@dataclass
class Snippet:
    path: Path
    meta: dict = field(default_factory=dict)

    @property
    def rel(self) -> str:
        """The include path used on pages, e.g. 'greenlets/switching.py'."""
        return self.path.relative_to(SNIPPETS).as_posix()

    @property
    def out_path(self) -> Path:
        """<name>.out, or the running gevent's own recording where it prints something else
        (recordings.py)."""
        from gevent_guide import recordings

        return recordings.shown_path(self.path)

    @property
    def timeout(self) -> float:
        return float(self.meta.get("timeout", DEFAULT_TIMEOUT))

    @property
    def server(self) -> str | None:
        return self.meta.get("server")

    @property
    def network(self) -> list[str]:
        return list(self.meta.get("network", []))

    def standin_address(self, host: str) -> str:
        """What the stand-in resolver answers for the n-th host the snippet declares:
        192.0.2.10, 192.0.2.20, ... (TEST-NET-1, RFC 5737, which never routes anywhere:
        a reader can tell sample output from a real answer)."""
        return f"192.0.2.{10 * (self.network.index(host) + 1)}"

    @property
    def answer(self) -> dict | None:
        return self.meta.get("answer")

    @property
    def timeline(self) -> str | None:
        """ "exact" or "relaxed": the example's timeline is drawn and compared so."""
        return self.meta.get("timeline")

    @property
    def panels(self) -> list[dict] | None:
        """Parts of a timeline drawn apart: [{start: first line printed, ko: title, en: title}]."""
        return self.meta.get("panels")


def read_meta(path: Path) -> dict:
    """What the tests know about the snippet: its <name>.toml (empty without one)."""
    text = path.read_text(encoding="utf-8")
    for block in PEP723.finditer(text):
        if "[tool.gevent-guide]" in block.group("content"):
            line = text.count("\n", 0, block.start()) + 1
            raise SnippetError(
                f"{rel(path)}:{line}: [tool.gevent-guide] belongs in"
                f" {rel(path.with_suffix('.toml'))} now (the same keys, without the table"
                " header); fix: move its keys there and keep the PEP 723 block to"
                " requires-python and dependencies"
            )
    sidecar = path.with_suffix(".toml")
    if not sidecar.is_file():
        return {}
    try:
        meta = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SnippetError(f"{rel(sidecar)}: not valid TOML: {exc}") from None
    unknown = set(meta) - KNOWN_KEYS
    if unknown:
        raise SnippetError(
            f"{rel(sidecar)}:1: unknown key(s) {sorted(unknown)}; known: {sorted(KNOWN_KEYS)}"
        )
    problem = _problem(meta)
    if problem:
        raise SnippetError(f"{rel(sidecar)}:1: {problem}")
    return meta


def _problem(meta: dict) -> str | None:
    if "server" in meta and meta["server"] not in SERVER_KINDS:
        return f"server = {meta['server']!r}; use one of {sorted(SERVER_KINDS)}"
    mode = meta.get("timeline", "exact")
    if not (set(mode) <= STRUCTURE if isinstance(mode, list) else mode in TIMELINE_MODES):
        return (
            f"timeline = {mode!r}; use one of {sorted(TIMELINE_MODES)} or a list of"
            f" {sorted(STRUCTURE)}"
        )
    if "panels" in meta and "timeline" not in meta:
        return 'panels without timeline; add timeline = "exact" or "relaxed"'
    if "answer" in meta and set(meta["answer"]) != ANSWER_KEYS:
        return (
            "answer names what an http server answers on GET /:"
            ' answer = {status = 200, type = "text/html", body = "..."}'
        )
    return None


def rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def all_snippets() -> list[Snippet]:
    return [Snippet(p, read_meta(p)) for p in sorted(SNIPPETS.rglob("*.py"))]


# ---------------------------------------------------------------- pages


@dataclass
class CodeBlock:
    page: Path
    line: int  # 1-based line of the opening fence
    info: str  # what follows the fence: 'python title="..."'
    body: list[str]

    @property
    def include(self) -> str | None:
        """The snippet path if the block is exactly one include line."""
        rows = [row for row in self.body if row.strip()]
        if len(rows) == 1 and (m := INCLUDE.match(rows[0])):
            return m.group("target")
        return None

    @property
    def language(self) -> str:
        return self.info.strip().split(" ")[0].strip("{}.") if self.info.strip() else ""

    def where(self) -> str:
        return f"{rel(self.page)}:{self.line}"


def code_blocks(page: Path) -> list[CodeBlock]:
    """Every fenced block of a page (SuperFences style, nested in lists/tabs too)."""
    blocks: list[CodeBlock] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, start = m.group("fence"), i
        body: list[str] = []
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == ""
        ):
            body.append(lines[i])
            i += 1
        blocks.append(CodeBlock(page, start + 1, m.group("info"), body))
        i += 1
    return blocks


def pages(language: str | None = None) -> list[Path]:
    langs = [language] if language else LANGUAGES
    return sorted(p for lang in langs for p in (DOCS / lang).rglob("*.md"))
