"""Browser fixtures: the real site (built once by `built_site` in tests/conftest.py)
served on 127.0.0.1, one headless Chromium per session (Debian's package, driven by
Playwright through pytest-playwright's fixtures), and hermetic browser contexts that fail
the test on console errors or on any request that would leave 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from gevent_guide.browser import chromium, claims, server


@pytest.fixture(scope="session")
def site(built_site):
    result = built_site.result
    if result.returncode != 0:
        log = (result.stdout + result.stderr)[-3000:]
        pytest.fail(f"the site did not build, so there is nothing to browse:\n{log}")
    httpd, it = server.serve(built_site.folder)
    yield it
    httpd.shutdown()
    httpd.server_close()


# pytest-playwright (a plugin) provides `playwright`, `browser_type`, `browser` and
# `new_context`; the overrides below give them Debian's Chromium, hermetic, and claim its
# processes. Its other options (--headed, --tracing, --screenshot, --video) work on the
# tabs below; their files go to test-results/ (gitignored).


@pytest.fixture(scope="session")
def _browser_processes():
    """Set up before pytest-playwright's `playwright` (the override below asks for it
    first) and so torn down after it: Playwright's driver must have exited by then."""
    pytest.importorskip("playwright", reason="the site's tools need Python >= 3.11.5")
    processes = claims.BrowserProcesses()
    yield processes
    alive = processes.alive_after(timeout=30)
    assert not alive, f"{claims.LABEL} still running 30 s after it was closed: {alive}"


@pytest.fixture(scope="session")
def playwright(_browser_processes, playwright):
    _browser_processes.claim_driver()
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    """pytest-playwright's launch options (--headed, --slowmo) on Debian's Chromium."""
    if browser_name != "chromium":
        pytest.fail(f"--browser {browser_name}: these tests drive Chromium only", pytrace=False)
    try:
        return {**browser_type_launch_args, **chromium.launch_args()}
    except chromium.MissingTool as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture(scope="session")
def browser(_browser_processes, browser):
    """One Chromium for the session (pytest-playwright's), its processes claimed."""
    _browser_processes.claim_chromium()
    return browser


def _tabs(new_context, **options):
    context = chromium.open_context(new_context, **options)
    tabs = chromium.watch(context)
    yield tabs
    context.close()
    problems = tabs.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def tabs(new_context, site):
    """Light colour scheme. The test fails if a page logged an error or asked another
    host for anything."""
    yield from _tabs(new_context, color_scheme="light")


@pytest.fixture
def dark_tabs(new_context, site):
    yield from _tabs(new_context, color_scheme="dark")


@pytest.fixture
def clipboard_tabs(new_context, site):
    yield from _tabs(
        new_context, color_scheme="light", permissions=["clipboard-read", "clipboard-write"]
    )


@pytest.fixture(scope="session")
def axe_version() -> str:
    """axe-core from node_modules (npm registry, package-lock.json); the test server
    serves it to the pages at server.AXE_PATH."""
    if not server.AXE.is_file():
        pytest.fail(f"{server.AXE} is missing: run `npm ci` (make test does)", pytrace=False)
    match = re.search(r"axe v([\d.]+)", server.AXE.read_text(encoding="utf-8")[:300])
    return match[1] if match else "?"
