"""Running a snippet in its own interpreter (gevent_guide.sandbox): programs that end,
servers on a free port, and comparing what they printed."""

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
from collections.abc import Iterator
from pathlib import Path

from gevent_guide.owners import (
    CLAIMS,
    Owner,
    _tree,
    claim,
    describe,
    kill_group,
    listening_ports,
    processes_of,
)
from gevent_guide.snippets import REPO, Snippet, SnippetError, rel

DEFAULT_PORT = 8000
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


@contextlib.contextmanager
def serving(snippet: Snippet, starter: str, watched: list) -> Iterator[Run]:
    """For a test's fixture: a server snippet, started or else the test fails (pytest.fail,
    with the reason and what the server printed), put on the leak guard's list `watched`
    (tests/conftest.py: nothing_left_running) and stopped when the block ends."""
    import pytest  # only tests serve this way

    try:
        run = start_server(snippet, starter=starter)
    except SnippetError as exc:
        pytest.fail(str(exc), pytrace=False)
    watched.append(run)
    try:
        yield run
    finally:
        run.stop()


def port_is_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------- runs


class Run:
    """One snippet running in its own interpreter (gevent_guide/sandbox.py), the leader of a
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
        self.output_closed: float | None = None
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
                self.output_closed = time.monotonic()  # it ended (or closed its output)
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
            [sys.executable, "-m", "gevent_guide.sandbox", str(snippet.path)],
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
