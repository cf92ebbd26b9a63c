"""Browser fixtures: the real site (built once by `built_site` in tests/conftest.py)
served on 127.0.0.1, one headless Chromium per session (Debian's package, driven by
Playwright), and hermetic browser contexts that fail the test on console errors or on
any request that would leave 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import re

import pytest

from gevent_guide import owners
from gevent_guide.browser import chromium, server


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


BROWSER = "the session's Chromium and Playwright's driver (tests/browser/conftest.py)"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session. It and Playwright's driver are claimed
    (owners.claim): Chromium starts and ends renderer and utility processes whenever it
    likes, and those belong to this fixture, not to the test that happens to be running."""
    pytest.importorskip("playwright", reason="the site's tools need Python >= 3.11.5")
    import psutil
    from playwright.sync_api import sync_playwright

    try:
        chromium.chromium_path()
    except chromium.MissingTool as missing:
        pytest.fail(str(missing), pytrace=False)
    me = psutil.Process()
    with owners.CLAIMS:  # no run starts while the new child is told apart
        before = {p.pid for p in me.children()}
        playwright = sync_playwright().start()
        drivers = [p for p in me.children() if p.pid not in before | set(owners.OWNERS)]
        for driver in drivers:
            owners.claim(driver.pid, BROWSER)
    try:
        it = chromium.launch(playwright)
        # Chromium leads a session of its own: claim it too, so that its processes stay
        # attributed even if the driver goes first.
        for driver in drivers:
            with contextlib.suppress(psutil.Error):
                for p in driver.children(recursive=True):
                    with contextlib.suppress(OSError):
                        if os.getsid(p.pid) == p.pid:
                            owners.claim(p.pid, BROWSER)
        yield it
        it.close()
    finally:
        playwright.stop()
    gone, alive = psutil.wait_procs(drivers, timeout=30)
    assert not alive, f"{BROWSER} still running 30 s after it was closed: {alive}"


def _tabs(browser, **options):
    context = chromium.new_context(browser, **options)
    tabs = chromium.watch(context)
    yield tabs
    context.close()
    problems = tabs.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def tabs(browser, site):
    """Light colour scheme. The test fails if a page logged an error or asked another
    host for anything."""
    yield from _tabs(browser, color_scheme="light")


@pytest.fixture
def dark_tabs(browser, site):
    yield from _tabs(browser, color_scheme="dark")


@pytest.fixture
def clipboard_tabs(browser, site):
    yield from _tabs(
        browser, color_scheme="light", permissions=["clipboard-read", "clipboard-write"]
    )


@pytest.fixture(scope="session")
def axe_version() -> str:
    """axe-core from node_modules (npm registry, package-lock.json); the test server
    serves it to the pages at server.AXE_PATH."""
    if not server.AXE.is_file():
        pytest.fail(f"{server.AXE} is missing: run `npm ci` (make test does)", pytrace=False)
    match = re.search(r"axe v([\d.]+)", server.AXE.read_text(encoding="utf-8")[:300])
    return match[1] if match else "?"
