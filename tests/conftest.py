"""Shared fixtures and hooks: the --online option, the launcher that runs every selected
snippet at once (gevent_guide/launcher.py), the leak guard, and the strict build of the
site."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import subprocess
from pathlib import Path

import psutil
import pytest

from gevent_guide import owners, project
from gevent_guide.launcher import Launcher
from gevent_guide.snippets import SNIPPETS, Snippet, read_meta

# pytest-examples runs ruff on stdin; the concise format keeps the file name in errors.
os.environ["RUFF_OUTPUT_FORMAT"] = "concise"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gevent-guide")
    group.addoption(
        "--online",
        action="store_true",
        help="run the internet examples against the real hosts (no stand-ins, no guard)",
    )


LAUNCHER = pytest.StashKey[Launcher]()


def _snippet_param(item: pytest.Item) -> Snippet | None:
    callspec = getattr(item, "callspec", None)
    snippet = callspec.params.get("snippet") if callspec else None
    return snippet if isinstance(snippet, Snippet) else None


def _traced_param(item: pytest.Item) -> str | None:
    """The snippet (e.g. "queue/boss_workers.py") of a test that asks for its traced run."""
    callspec = getattr(item, "callspec", None)
    if callspec and "traced" in getattr(item, "fixturenames", ()):
        return callspec.params.get("name")
    return None


def _in_worker() -> bool:
    """True in a pytest-xdist worker (`make test` runs the suite on a few at once)."""
    return "PYTEST_XDIST_WORKER" in os.environ


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The example tests (and the timeline tests that share their runs) form one group,
    and so do the tests that share a fixture of their module (below), so that `--dist
    loadgroup` keeps each on one worker. In one process the example tests run last: their
    programs start right after collection and run in the background while the other tests
    go first. Across workers they go first, so that their worker starts them at once."""
    examples = [i for i in items if ((s := _snippet_param(i)) and not s.server) or _traced_param(i)]
    for item in examples:
        item.add_marker(pytest.mark.xdist_group("examples"))
    others = [i for i in items if i not in examples]
    for item, group in _shared_fixture_groups(others).items():
        item.add_marker(pytest.mark.xdist_group(group))
    items[:] = examples + others if _in_worker() else others + examples


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The fixtures a test module defines for several of its tests at module or session
    scope (a crawl of every page, each language's audit, a build): under xdist each
    worker that runs one of those tests runs the fixture again. A parametrized one counts
    once per parameter (the Korean and the English audit are two). Named as xdist wants
    a group (it reads the name after the test id's last `@`, and only past its last `]`):
    tests.browser.test_accessibility.audit-ko."""
    module = item.getparent(pytest.Module)
    callspec = getattr(item, "callspec", None)
    found = []
    # pytest's record of the fixtures the test uses (no public API lists their scopes)
    for name, fixturedefs in item._fixtureinfo.name2fixturedefs.items():
        fixturedef = fixturedefs[-1]  # the one the test gets (the closest override)
        if module and fixturedef.baseid == module.nodeid and fixturedef.scope != "function":
            group = module.nodeid.removesuffix(".py").replace("/", ".") + f".{name}"
            if callspec and name in callspec.params:
                group += f"-{callspec.params[name]}"
            found.append(re.sub(r"[^\w.-]", "-", group))
    return found


def _shared_fixture_groups(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """One xdist group per set of tests joined by a shared fixture (a test that uses two
    joins their groups), named after the first fixture of the set."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    uses = {item: _shared_fixtures(item) for item in items}
    for keys in uses.values():
        for key in keys:
            parent.setdefault(key, key)
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    return {item: root(keys[0]) for item, keys in uses.items() if keys}


def _check_groups(session: pytest.Session) -> None:
    """Under `--dist loadgroup`, pytest-xdist groups a marked test by a suffix it adds to
    the test's id. With pytest 9.2 that suffix is silently lost (pytest-xdist#1386): the
    examples would then run on every worker, and each language's audit more than once."""
    if not (_in_worker() and getattr(session.config.option, "loadgroup", False)):
        return
    lost = [
        item.nodeid
        for item in session.items
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid.rsplit("]", 1)[-1]
    ]
    if lost:
        raise pytest.UsageError(
            f"pytest-xdist did not group {len(lost)} tests marked xdist_group (first:"
            f" {lost[0]}); pytest {pytest.__version__} with this pytest-xdist loses the"
            " groups (pytest-xdist#1386): keep pytest at the version pyproject.toml pins"
        )


# pytest's cache key for how long each example took last time (the launcher starts the
# longest first)
DURATIONS = "gevent-guide/durations"


def pytest_collection_finish(session: pytest.Session) -> None:
    _check_groups(session)
    launcher = Launcher(online=session.config.getoption("--online"))
    session.config.stash[LAUNCHER] = launcher
    snippets = {s.rel: s for i in session.items if (s := _snippet_param(i))}
    traced = {rel for i in session.items if (rel := _traced_param(i))}
    for rel in sorted(traced - set(snippets)):
        path = SNIPPETS / rel
        if path.is_file():
            snippets[rel] = Snippet(path, read_meta(path))
    cache = getattr(session.config, "cache", None)  # None with -p no:cacheprovider
    launcher.plan(list(snippets.values()), traced, cache.get(DURATIONS, {}) if cache else None)
    if not _in_worker():  # a worker starts them when it gets an example test
        launcher.launch_all()


def pytest_sessionfinish(session: pytest.Session) -> None:
    launcher = session.config.stash.get(LAUNCHER, None)
    if launcher:
        cache = getattr(session.config, "cache", None)
        took = launcher.durations()
        if cache is not None and took:
            cache.set(DURATIONS, {**cache.get(DURATIONS, {}), **took})
        launcher.close()


@pytest.fixture(scope="session")
def launcher(request: pytest.FixtureRequest) -> Launcher:
    launcher = request.config.stash[LAUNCHER]
    launcher.launch_all()
    return launcher


# ---------------------------------------------------------------- leak guard

FIX_STRAY = (
    "If the test started it, wait for it or stop it before the test ends; if a fixture"
    " starts a process that may outlive a test, claim it with owners.claim(pid, label)"
    " (gevent_guide/owners.py), as the browser fixture does (tests/browser/conftest.py)."
)


def _descendants(me: psutil.Process) -> dict[tuple[int, int | None], psutil.Process]:
    """Live descendants of the test process, keyed by (pid, owners.started(pid))."""
    alive = {}
    for child in me.children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                alive[(child.pid, owners.started(child.pid))] = child
        except psutil.Error:
            pass
    return alive


@pytest.fixture
def nothing_left_running(request: pytest.FixtureRequest):
    """Fails the test if it leaves a process or a listening port behind: the runs it
    registers must be over, with nothing left in their sessions or on their ports, and
    no unclaimed process may appear during the test and outlive it. A process is
    attributed to whoever started it for its whole life (owners.claim/owner_of): the
    background example runs, the traced runs, the session's Chromium and their
    children are their starters' business, whenever they come and go."""
    me = psutil.Process()
    with owners.CLAIMS:
        before = _descendants(me)
    started: list = []
    yield started
    problems = []
    where = f"{request.node.path.name}::{request.node.name}"
    for run in started:
        if run.proc.poll() is None:
            problems.append(f"{run.snippet.rel} is still running (pid {run.proc.pid})")
            owners.kill_group(run.proc)
            run.collect(10)
        leftovers = owners.processes_of(run.owner)
        if leftovers:
            problems += [f"{run.snippet.rel} left process {owners.describe(p)}" for p in leftovers]
            ports = owners.listening_ports({p.pid for p in leftovers})
            if run.port in ports:
                problems.append(f"{run.snippet.rel} left 127.0.0.1:{run.port} listening")
            owners.kill_group(run.proc)
            for p in leftovers:
                with contextlib.suppress(psutil.Error):
                    p.kill()
    with owners.CLAIMS:
        appeared = [p for key, p in _descendants(me).items() if key not in before]
        strays = [p for p in appeared if owners.is_stray(p)]
    ports = owners.listening_ports({p.pid for p in strays})
    problems += [f"stray child process {owners.describe(p)}" for p in strays]
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
    if not _in_worker():
        folder = tmp_path_factory.mktemp("site")
        return BuiltSite(folder, project.build_site(folder))
    # pytest-xdist: the first worker to get here builds for all of them (their temporary
    # folders share a parent); the others wait on the lock and read what it wrote.
    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = shared / "site.json"
        if not record.exists():
            result = project.build_site(shared / "site")
            record.write_text(json.dumps([result.returncode, result.stdout, result.stderr]))
        code, out, err = json.loads(record.read_text())
    return BuiltSite(shared / "site", subprocess.CompletedProcess([], code, out, err))
