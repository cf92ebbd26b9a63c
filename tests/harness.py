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
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import recordings

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
        return recordings.shown_path(self.path)  # <name>.out, or this gevent's variant

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


# ---------------------------------------------------------------- who started what
#
# Every process the session starts on purpose is claimed by its starter: each snippet
# run (its interpreter is the leader of a new session, so its children stay in that
# session for life), the session's Chromium (tests/browser/conftest.py), and anything
# else a fixture starts and keeps. The leak guard (tests/conftest.py) blames a test
# only for processes that appeared during it and that no starter claims; a claimed
# process is its starter's business for its whole life, however long it runs and
# whenever its starter's test happens to look.


@dataclass(frozen=True)
class Owner:
    label: str  # who started it, as messages name it
    pid: int
    created: float  # psutil's create_time: a later process that reuses the pid is not it


OWNERS: dict[int, Owner] = {}
# Held while a process is started and claimed (the launcher starts runs from a thread),
# and while the leak guard looks: it never sees a process between the two.
CLAIMS = threading.RLock()


def _created(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def claim(pid: int, label: str) -> Owner:
    """Record that `label` started process `pid` (and so everything it starts)."""
    owner = Owner(label, pid, _created(pid) or 0.0)
    OWNERS[pid] = owner
    return owner


def owner_of(proc) -> Owner | None:
    """The starter of a psutil.Process: the claim on the process itself or on its
    nearest ancestor, or else on the leader of its session or process group (which
    still holds after the process's parent has exited and it was reparented)."""
    import psutil

    try:
        created = proc.create_time()
        chain = [proc, *proc.parents()]
    except psutil.Error:
        return None
    for p in chain:
        owner = OWNERS.get(p.pid)
        if owner is not None and abs(owner.created - (_created(p.pid) or -1)) < 0.05:
            return owner
    try:
        leaders = (os.getsid(proc.pid), os.getpgid(proc.pid))
    except OSError:
        return None
    for leader in leaders:
        owner = OWNERS.get(leader)
        if owner is not None and owner.created <= created + 0.05:
            return owner
    return None


def processes_of(owner: Owner) -> list:
    """Live (not zombie) processes of an owner's session or process group, anywhere."""
    import psutil

    alive = []
    for p in psutil.process_iter(["pid", "create_time"]):
        try:
            if p.pid == os.getpid() or p.info["create_time"] + 0.05 < owner.created:
                continue
            if owner.pid in (os.getsid(p.pid), os.getpgid(p.pid)) and (
                p.status() != psutil.STATUS_ZOMBIE
            ):
                alive.append(p)
        except (OSError, psutil.Error):
            continue
    return alive


def _tree(pid: int) -> set[int]:
    import psutil

    try:
        return {pid, *(p.pid for p in psutil.Process(pid).children(recursive=True))}
    except psutil.Error:
        return set()


def describe(proc) -> str:
    import psutil

    try:
        return f"{proc.pid} {' '.join(proc.cmdline()) or proc.name()}"
    except psutil.Error:
        return str(proc.pid)


# ---------------------------------------------------------------- servers

ADDRESS_IN_USE = re.compile(r"\[Errno (98|48)\]|Address already in use")
PORT_ATTEMPTS = 5


class PortTaken(SnippetError):
    pass


def free_port() -> int:
    """A port nothing is bound to right now. Another process may bind it before the
    server does: start_server() notices (the server exits with EADDRINUSE, or another
    process is the one listening) and starts the server again on another port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_ports(pids: set[int]) -> set[int]:
    import psutil

    ports = set()
    for pid in pids:
        try:
            conns = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.Error:
            continue
        ports |= {c.laddr.port for c in conns if c.status == psutil.CONN_LISTEN}
    return ports


def wait_until_listening(run: Run, timeout: float) -> None:
    """Wait until a process of this run itself listens on 127.0.0.1:run.port: an
    answer on the port could come from whoever else took it. No fixed sleeps."""
    deadline = time.monotonic() + timeout
    while True:
        if run.proc.poll() is not None:
            run.collect(5)
            if ADDRESS_IN_USE.search(run.output):
                raise PortTaken(f"port {run.port} was taken before the server bound it")
            raise SnippetError(f"server exited with code {run.proc.returncode} before listening")
        if run.port in listening_ports(_tree(run.proc.pid)):
            return
        if time.monotonic() > deadline:
            raise SnippetError(f"it did not listen on 127.0.0.1:{run.port} within {timeout:.0f} s")
        run.wait_for_output(None, 0.02)  # wakes early on output


def start_server(snippet: Snippet, starter: str = "a server test") -> Run:
    """Start a server snippet on a free port and wait until it listens there. If
    another process took the port first, start it again on another one."""
    for _ in range(PORT_ATTEMPTS):
        run = start(snippet, port=free_port(), starter=starter)
        try:
            wait_until_listening(run, timeout=snippet.timeout)
            return run
        except PortTaken:
            continue
        except SnippetError as exc:
            run.stop()
            raise SnippetError(f"{snippet.rel}: {exc}\n{run.output}") from None
    raise SnippetError(
        f"{snippet.rel}: {PORT_ATTEMPTS} free ports in a row were taken before the server"
        f" bound them; is something on this machine binding ports at random?\n{run.output}"
    )


def port_is_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------- runs


class Run:
    """One snippet running in its own interpreter (tests/sandbox.py), the leader of a
    new session. A thread reads what it prints as it prints it."""

    def __init__(
        self,
        snippet: Snippet,
        proc: subprocess.Popen,
        owner: Owner,
        port: int | None = None,
        violations_file: Path | None = None,
    ):
        self.snippet = snippet
        self.proc = proc
        self.owner = owner
        self.started = time.monotonic()
        self.port = port
        self.violations_file = violations_file
        self.duration = 0.0
        self.timed_out = False
        self.orphans: list[str] = []
        self._chunks: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            with self._changed:
                if chunk:
                    self._chunks.append(chunk)
                self._changed.notify_all()
            if not chunk:
                return

    @property
    def output(self) -> str:
        with self._changed:
            data = b"".join(self._chunks)
        text = data.decode("utf-8", errors="replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")  # as text=True reads it

    def wait_for_output(self, pattern: re.Pattern | None, timeout: float) -> bool:
        """Wait until what it printed matches `pattern` (None: until it prints anything
        more or ends), at most `timeout` seconds. Returns whether it matched."""
        deadline = time.monotonic() + timeout
        with self._changed:
            seen = len(self._chunks)
            while True:
                if pattern is not None and pattern.search(self.output):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._reader.is_alive():
                    return False
                self._changed.wait(remaining)
                if pattern is None and len(self._chunks) != seen:
                    return False

    @property
    def violations(self) -> list[str]:
        if self.violations_file and self.violations_file.exists():
            return self.violations_file.read_text(encoding="utf-8").splitlines()
        return []

    def finish(self, timeout: float | None = None) -> Run:
        """Wait for the program to end by itself (or kill it when it hangs). The
        timeout counts from its start."""
        if timeout is None:
            timeout = self.snippet.timeout
        if self.proc.returncode is None or self._reader.is_alive():
            self.timed_out = self.collect(max(0.1, self.started + timeout - time.monotonic()))
        return self

    def stop(self) -> Run:
        """Stop a server with SIGTERM, then collect what it printed."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
        self.collect(10)
        return self

    def collect(self, timeout: float) -> bool:
        """Wait until it ended and its output closed; kill its process group if that
        takes longer than `timeout`. Returns whether it had to be killed."""
        deadline = time.monotonic() + timeout
        try:
            self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            self._reader.join(max(0.0, deadline - time.monotonic()))
            exited = True
        except subprocess.TimeoutExpired:
            exited = False
        killed = not exited or self._reader.is_alive()
        if exited and killed:  # it exited; its children kept the pipe open
            self.orphans = self.leftovers()
        if killed:
            kill_group(self.proc)
            for p in processes_of(self.owner):
                with contextlib.suppress(Exception):
                    p.kill()
            self.proc.wait()
            self._reader.join(10)
        self.duration = time.monotonic() - self.started
        return killed

    def leftovers(self) -> list[str]:
        """Processes of this run's session or process group that are still alive."""
        return [describe(p) for p in processes_of(self.owner)]


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def start(
    snippet: Snippet,
    env: dict[str, str] | None = None,
    port: int | None = None,
    violations_file: Path | None = None,
    starter: str = "the harness",
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
    with CLAIMS:
        proc = subprocess.Popen(
            [sys.executable, str(SANDBOX), str(snippet.path)],
            cwd=REPO,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        owner = claim(proc.pid, f"{snippet.rel}, started by {starter}")
    return Run(snippet, proc, owner, port=port, violations_file=violations_file)


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
