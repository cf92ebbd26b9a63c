"""What the tests know about snippets and pages: finding them, reading what a snippet
declares, running it in its own interpreter, and comparing what it printed.

Snippets live in snippets/<topic>/<name>.py, what they print in <name>.out beside them.
A snippet declares extra needs in a PEP 723 block at its top:

    # /// script
    # dependencies = ["gevent", "requests"]
    #
    # [tool.gevent-guide]
    # network = ["www.google.com"]     # public hosts it contacts (CI: loopback stand-ins)
    # server = "http"                  # long-running server: "http" or "websocket"
    # timeout = 20                     # seconds before it counts as hung (default 20)
    # ///
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
SNIPPETS = REPO / "snippets"
DOCS = REPO / "docs"
LANGUAGES = ("ko", "en")
SANDBOX = Path(__file__).resolve().parent / "sandbox.py"

DEFAULT_TIMEOUT = 20.0
DEFAULT_PORT = 8000
KNOWN_KEYS = {"network", "server", "timeout"}
SERVER_KINDS = {"http", "websocket"}

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
        return self.path.with_suffix(".out")

    @property
    def timeout(self) -> float:
        return float(self.meta.get("timeout", DEFAULT_TIMEOUT))

    @property
    def server(self) -> str | None:
        return self.meta.get("server")

    @property
    def network(self) -> list[str]:
        return list(self.meta.get("network", []))


def read_meta(path: Path) -> dict:
    """Return the [tool.gevent-guide] table of the snippet's PEP 723 block."""
    text = path.read_text(encoding="utf-8")
    blocks = [m for m in PEP723.finditer(text) if m.group("type") == "script"]
    if not blocks:
        return {}
    block = blocks[0]
    line = text.count("\n", 0, block.start()) + 1
    content = "".join(
        row[2:] if row.startswith("# ") else row[1:]
        for row in block.group("content").splitlines(keepends=True)
    )
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise SnippetError(f"{rel(path)}:{line}: invalid PEP 723 block: {exc}") from None
    meta = data.get("tool", {}).get("gevent-guide", {})
    unknown = set(meta) - KNOWN_KEYS
    if unknown:
        raise SnippetError(
            f"{rel(path)}:{line}: unknown [tool.gevent-guide] key(s) {sorted(unknown)};"
            f" known: {sorted(KNOWN_KEYS)}"
        )
    if "server" in meta and meta["server"] not in SERVER_KINDS:
        raise SnippetError(
            f"{rel(path)}:{line}: server = {meta['server']!r}; use one of {sorted(SERVER_KINDS)}"
        )
    return meta


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


# ---------------------------------------------------------------- running


def build_site(site_dir: Path, root: Path = REPO) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the project at `root` into `site_dir`."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    """Poll until something accepts on 127.0.0.1:port (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SnippetError(f"server exited with code {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise SnippetError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f} s")


def start_server(snippet: Snippet) -> Run:
    """Start a server snippet on a free port and wait until it accepts connections."""
    run = start(snippet, port=free_port())
    try:
        wait_for_port(run.port, run.proc, timeout=snippet.timeout)
    except SnippetError as exc:
        run.stop()
        raise SnippetError(f"{snippet.rel}: {exc}\n{run.output}") from None
    return run


def port_is_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


# Process groups of the snippet runs that are still going (each run is its own group).
ACTIVE_GROUPS: set[int] = set()


@dataclass
class Run:
    snippet: Snippet
    proc: subprocess.Popen
    started: float
    port: int | None = None
    output: str = ""
    duration: float = 0.0
    timed_out: bool = False
    orphans: list[str] = field(default_factory=list)
    violations_file: Path | None = None

    @property
    def violations(self) -> list[str]:
        if self.violations_file and self.violations_file.exists():
            return self.violations_file.read_text(encoding="utf-8").splitlines()
        return []

    def finish(self, timeout: float | None = None) -> Run:
        """Wait for the program to end by itself (or kill it when it hangs)."""
        if timeout is None:
            timeout = self.snippet.timeout
        self.timed_out = self._collect(max(0.1, self.started + timeout - time.monotonic()))
        return self

    def stop(self) -> Run:
        """Stop a server with SIGTERM, then collect what it printed."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        self._collect(5)
        return self

    def _collect(self, timeout: float) -> bool:
        """Read all output; kill the process group if it is not done within `timeout`.
        Returns whether it had to be killed."""
        try:
            out, _ = self.proc.communicate(timeout=timeout)
            killed = False
        except subprocess.TimeoutExpired:
            if self.proc.poll() is not None:  # it exited; its children kept the pipe open
                self.orphans = self.leftovers()
            kill_group(self.proc)
            out, _ = self.proc.communicate()
            killed = True
        self.output = out
        self.duration = time.monotonic() - self.started
        ACTIVE_GROUPS.discard(self.proc.pid)
        return killed

    def leftovers(self) -> list[str]:
        """Processes of this run's process group that are still alive."""
        import psutil

        alive = []
        for p in psutil.process_iter(["pid", "cmdline"]):
            try:
                if os.getpgid(p.pid) == self.proc.pid and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{p.pid} {' '.join(p.info['cmdline'] or [])}")
            except (ProcessLookupError, psutil.Error):
                continue
        return alive


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def start(
    snippet: Snippet,
    env: dict[str, str] | None = None,
    port: int | None = None,
    violations_file: Path | None = None,
) -> Run:
    """Start a snippet in a fresh interpreter, its stdout and stderr in one stream."""
    full_env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        **(env or {}),
    }
    full_env.pop("PYTHONPATH", None)
    if port is not None:
        full_env["PORT"] = str(port)
    if violations_file is not None:
        full_env["GUIDE_VIOLATIONS"] = str(violations_file)
    proc = subprocess.Popen(
        [sys.executable, str(SANDBOX), str(snippet.path)],
        cwd=REPO,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    ACTIVE_GROUPS.add(proc.pid)
    return Run(snippet, proc, time.monotonic(), port=port, violations_file=violations_file)


# ---------------------------------------------------------------- output


def normalize(output: str, port: int | None = None) -> str:
    """Normalise only what truly varies between runs: the server's port."""
    if port is not None and port != DEFAULT_PORT:
        output = re.sub(rf"\b127\.0\.0\.1:{port}\b", f"127.0.0.1:{DEFAULT_PORT}", output)
    return output


def network_shape(output: str) -> str:
    """An internet example's output without what differs between the loopback stand-ins
    and the real hosts: IPv4 addresses and the charset of a Content-Type."""
    output = re.sub(r"\b\d{1,3}(\.\d{1,3}){3}\b", "<address>", output)
    return re.sub(r";\s*charset=[\w-]+", "", output, flags=re.IGNORECASE)


def output_diff(snippet: Snippet, expected: str, actual: str) -> str:
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{rel(snippet.out_path)} (shown on the page)",
        tofile=f"{rel(snippet.path)} (printed now)",
    )
    return "".join(diff)
