"""Shared fixtures and hooks: command-line options, loopback stand-ins for the
internet, the launcher that runs every selected snippet at once, the leak guard,
and the strict build of the site."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import ssl
import tempfile
import threading
from pathlib import Path

import harness
import psutil
import pytest

# pytest-examples runs ruff on stdin; the concise format keeps the file name in errors.
os.environ["RUFF_OUTPUT_FORMAT"] = "concise"

# Names the stand-in resolver answers, with addresses from TEST-NET-1 (RFC 5737),
# which never route anywhere: a reader can tell sample output from a real answer.
STANDIN_ADDRESSES = {
    "www.google.com": "192.0.2.10",
    "www.python.org": "192.0.2.20",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gevent-guide")
    group.addoption(
        "--update-output",
        action="store_true",
        help="rewrite every snippets/**/<name>.out from a fresh run instead of comparing",
    )
    group.addoption(
        "--online",
        action="store_true",
        help="run the internet examples against the real hosts (no stand-ins, no guard)",
    )


# ---------------------------------------------------------------- stand-ins


class _StandinHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = f"<!doctype html><title>stand-in for {self.headers['Host']}</title>\n"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


class Standins:
    """An HTTPS server on 127.0.0.1 that answers for every name in STANDIN_ADDRESSES,
    with a certificate from a throwaway CA that the snippet's process trusts."""

    def __init__(self, folder: Path):
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert(*STANDIN_ADDRESSES)
        ca_file = folder / "standin-ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StandinHandler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        port = self.server.server_address[1]
        self.env = {
            "GUIDE_STANDINS": json.dumps(
                {host: {"address": a, "port": port} for host, a in STANDIN_ADDRESSES.items()}
            ),
            "REQUESTS_CA_BUNDLE": str(ca_file),
            "SSL_CERT_FILE": str(ca_file),
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------- launcher

STARTER = "the background launcher (tests/conftest.py)"
AT_ONCE = 2 * (os.cpu_count() or 2)  # background runs going at the same time


class Launcher:
    """Starts every selected non-server snippet as soon as collection ends (they mostly
    sleep and wait, so they overlap each other and the rest of the session), and hands
    each test its run. A snippet with a timeline (tests/test_timelines.py) runs once,
    traced: its generic test and its timeline test share that one run."""

    def __init__(self, config: pytest.Config):
        self.folder = Path(tempfile.mkdtemp(prefix="gevent-guide-runs-"))
        self.runs: dict[str, harness.Run] = {}
        self.traces: dict[str, Path] = {}
        self.online = config.getoption("--online")
        self.standins: Standins | None = None
        # Runs wait here for a slot: a few at a time, so that an example's own timers
        # (timeouts, "took less than half as long") do not race forty interpreters
        # starting at once. A test that needs a waiting run starts it at once.
        self.waiting: list[tuple[harness.Snippet, bool]] = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.closed = False
        self.thread = threading.Thread(target=self._feed, daemon=True)

    def env_for(self, snippet: harness.Snippet) -> dict[str, str]:
        if not snippet.network:
            return {}
        if self.online:
            return {"GUIDE_NO_GUARD": "1"}
        unknown = set(snippet.network) - set(STANDIN_ADDRESSES)
        if unknown:
            raise harness.SnippetError(
                f"{harness.rel(snippet.path)}: network host(s) {sorted(unknown)} have no"
                " stand-in; add them to STANDIN_ADDRESSES in tests/conftest.py"
            )
        if self.standins is None:
            self.standins = Standins(self.folder)
        return self.standins.env

    def launch(self, snippet: harness.Snippet, traced: bool = False) -> harness.Run:
        name = snippet.rel.replace("/", "__")
        env = self.env_for(snippet)
        if traced:
            self.traces[snippet.rel] = self.folder / (name + ".trace.json")
            env = {**env, "GUIDE_TRACE": str(self.traces[snippet.rel])}
        violations = self.folder / (name + ".violations")
        return harness.start(snippet, env=env, violations_file=violations, starter=STARTER)

    def plan(self, snippets: list[harness.Snippet], traced: set[str]) -> None:
        with self.lock:
            for snippet in snippets:
                if not snippet.server and snippet.rel not in self.runs:
                    self.env_for(snippet)  # a host without a stand-in fails the session now
                    self.waiting.append((snippet, snippet.rel in traced))

    def launch_all(self) -> None:
        """Start the planned runs, a few at a time (once)."""
        with self.lock:
            if not self.thread.is_alive() and not self.thread.ident:
                self.thread.start()

    def _start(self, snippet: harness.Snippet, traced: bool) -> None:
        """Start a waiting run (with self.lock held)."""
        self.waiting.remove((snippet, traced))
        self.runs[snippet.rel] = self.launch(snippet, traced=traced)

    def _feed(self) -> None:
        while True:
            with self.lock:
                if self.closed or not self.waiting:
                    return
                running = sum(run.proc.poll() is None for run in self.runs.values())
                for snippet, traced in self.waiting[: max(0, AT_ONCE - running)]:
                    self._start(snippet, traced)
            self.wake.wait(0.05)  # woken early when a test takes a run
            self.wake.clear()

    def result(self, snippet: harness.Snippet) -> harness.Run:
        """The finished run (the same one for every test that asks)."""
        with self.lock:
            waiting = [w for w in self.waiting if w[0].rel == snippet.rel]
            if waiting:
                self._start(*waiting[0])
            elif snippet.rel not in self.runs:
                self.runs[snippet.rel] = self.launch(snippet)
            run = self.runs[snippet.rel]
        run.finish()
        self.wake.set()
        return run

    def traced(self, snippet: harness.Snippet) -> tuple[harness.Run, Path]:
        """The finished traced run and its trace file."""
        with self.lock:
            waiting = [w for w in self.waiting if w[0].rel == snippet.rel]
            if waiting:
                self.waiting.remove(waiting[0])
                self.runs[snippet.rel] = self.launch(snippet, traced=True)
            elif snippet.rel not in self.traces:
                old = self.runs.pop(snippet.rel, None)  # launched untraced: start again
                if old is not None:
                    harness.kill_group(old.proc)
                    old.collect(10)
                self.runs[snippet.rel] = self.launch(snippet, traced=True)
            run = self.runs[snippet.rel]
        run.finish()
        self.wake.set()
        return run, self.traces[snippet.rel]

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.waiting.clear()
        for run in self.runs.values():
            if run.proc.poll() is None:
                harness.kill_group(run.proc)
            run.collect(10)
        if self.standins:
            self.standins.close()
        shutil.rmtree(self.folder, ignore_errors=True)


LAUNCHER = pytest.StashKey[Launcher]()


def _snippet_param(item: pytest.Item) -> harness.Snippet | None:
    callspec = getattr(item, "callspec", None)
    snippet = callspec.params.get("snippet") if callspec else None
    return snippet if isinstance(snippet, harness.Snippet) else None


def _traced_param(item: pytest.Item) -> str | None:
    """The snippet (e.g. "queue/boss_workers.py") of a test that asks for its traced run."""
    callspec = getattr(item, "callspec", None)
    if callspec and "traced" in getattr(item, "fixturenames", ()):
        return callspec.params.get("rel")
    return None


def _in_worker() -> bool:
    """True in a pytest-xdist worker (`make test` runs the suite on a few at once)."""
    return "PYTEST_XDIST_WORKER" in os.environ


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The example tests (and the timeline tests that share their runs) form one group,
    and so do the tests of one module-scoped audit, so that `--dist loadgroup` keeps
    each on one worker. In one process the example tests run last: their programs start
    right after collection and run in the background while the other tests go first.
    Across workers they go first, so that their worker starts them at once."""
    examples = [i for i in items if ((s := _snippet_param(i)) and not s.server) or _traced_param(i)]
    for item in examples:
        item.add_marker(pytest.mark.xdist_group("examples"))
    for item in items:
        if item.path.name == "test_accessibility.py":
            item.add_marker(pytest.mark.xdist_group("axe"))
    others = [i for i in items if i not in examples]
    items[:] = examples + others if _in_worker() else others + examples


def pytest_collection_finish(session: pytest.Session) -> None:
    launcher = Launcher(session.config)
    session.config.stash[LAUNCHER] = launcher
    snippets = {s.rel: s for i in session.items if (s := _snippet_param(i))}
    traced = {rel for i in session.items if (rel := _traced_param(i))}
    for rel in sorted(traced - set(snippets)):
        path = harness.SNIPPETS / rel
        if path.is_file():
            snippets[rel] = harness.Snippet(path, harness.read_meta(path))
    launcher.plan(list(snippets.values()), traced)
    if not _in_worker():  # a worker starts them when it gets an example test
        launcher.launch_all()


def pytest_sessionfinish(session: pytest.Session) -> None:
    launcher = session.config.stash.get(LAUNCHER, None)
    if launcher:
        launcher.close()


@pytest.fixture(scope="session")
def launcher(request: pytest.FixtureRequest) -> Launcher:
    launcher = request.config.stash[LAUNCHER]
    launcher.launch_all()
    return launcher


# ---------------------------------------------------------------- leak guard

FIX_STRAY = (
    "If the test started it, wait for it or stop it before the test ends; if a fixture"
    " starts a process that may outlive a test, claim it with harness.claim(pid, label)"
    " (tests/harness.py), as the browser fixture does (tests/browser/conftest.py)."
)


def _descendants(me: psutil.Process) -> dict[tuple[int, float], psutil.Process]:
    """Live descendants of the test process, keyed by (pid, start time)."""
    alive = {}
    for child in me.children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                alive[(child.pid, child.create_time())] = child
        except psutil.Error:
            pass
    return alive


@pytest.fixture
def nothing_left_running(request: pytest.FixtureRequest):
    """Fails the test if it leaves a process or a listening port behind: the runs it
    registers must be over, with nothing left in their sessions or on their ports, and
    no unclaimed process may appear during the test and outlive it. A process is
    attributed to whoever started it for its whole life (harness.claim/owner_of): the
    background example runs, the traced runs, the session's Chromium and their
    children are their starters' business, whenever they come and go."""
    me = psutil.Process()
    with harness.CLAIMS:
        before = _descendants(me)
    started: list[harness.Run] = []
    yield started
    problems = []
    where = f"{request.node.path.name}::{request.node.name}"
    for run in started:
        if run.proc.poll() is None:
            problems.append(f"{run.snippet.rel} is still running (pid {run.proc.pid})")
            harness.kill_group(run.proc)
            run.collect(10)
        leftovers = harness.processes_of(run.owner)
        if leftovers:
            problems += [f"{run.snippet.rel} left process {harness.describe(p)}" for p in leftovers]
            ports = harness.listening_ports({p.pid for p in leftovers})
            if run.port in ports:
                problems.append(f"{run.snippet.rel} left 127.0.0.1:{run.port} listening")
            harness.kill_group(run.proc)
            for p in leftovers:
                with contextlib.suppress(psutil.Error):
                    p.kill()
    with harness.CLAIMS:
        strays = [
            p
            for key, p in _descendants(me).items()
            if key not in before and not harness.owner_of(p)
        ]
    ports = harness.listening_ports({p.pid for p in strays})
    problems += [f"stray child process {harness.describe(p)}" for p in strays]
    problems += [f"port {port} still listening" for port in sorted(ports)]
    for p in strays:
        with contextlib.suppress(psutil.Error):
            p.kill()
    if strays:
        problems.append(f"({where} started it and no starter claims it. {FIX_STRAY})")
    assert not problems, "left behind: " + "; ".join(problems)


# ---------------------------------------------------------------- the built site


class BuiltSite:
    def __init__(self, folder: Path, result):
        self.folder = folder
        self.result = result


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """`mkdocs build --strict` of the real docs, once per session."""
    pytest.importorskip(
        "mkdocs", reason="the site's tools need Python >= 3.11.5 (pymdown-extensions 13.1)"
    )
    folder = tmp_path_factory.mktemp("site")
    return BuiltSite(folder, harness.build_site(folder))
