"""Claiming the session's browser processes (owners.claim), which pytest-playwright starts:
its `playwright` fixture starts Playwright's driver, its `browser` fixture has the driver
launch Chromium. Chromium starts and ends renderer and utility processes whenever it
likes; those belong to the session's browser, not to the test that happens to be running
(the leak guard in tests/conftest.py asks owners.owner_of)."""

from __future__ import annotations

import contextlib
import os

from gevent_guide import owners

LABEL = "the session's Chromium and Playwright's driver (tests/browser/conftest.py)"


class BrowserProcesses:
    """Made before Playwright starts; claim_driver() once it has started, claim_chromium()
    once Chromium is up, alive_after() once both are closed."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        with owners.CLAIMS:
            self.before = {p.pid for p in self.me.children()}
        self.drivers: list = []

    def claim_driver(self) -> None:
        """The driver is the new child that no starter claims: a snippet run started
        meanwhile was claimed as it started (runs.py starts and claims under CLAIMS)."""
        with owners.CLAIMS:
            known = self.before | set(owners.OWNERS)
            self.drivers = [p for p in self.me.children() if p.pid not in known]
            for driver in self.drivers:
                owners.claim(driver.pid, LABEL)
        if not self.drivers:
            raise RuntimeError(
                "no new Playwright driver process to claim: was the `playwright` fixture"
                " set up before BrowserProcesses was made?"
            )

    def claim_chromium(self) -> None:
        """Chromium leads a session of its own: claim it too, so that its processes stay
        attributed even if the driver goes first."""
        import psutil

        for driver in self.drivers:
            with contextlib.suppress(psutil.Error):
                for p in driver.children(recursive=True):
                    with contextlib.suppress(OSError):
                        if os.getsid(p.pid) == p.pid:
                            owners.claim(p.pid, LABEL)

    def alive_after(self, timeout: float) -> list:
        """The drivers still running `timeout` seconds after Playwright was stopped."""
        import psutil

        _gone, alive = psutil.wait_procs(self.drivers, timeout=timeout)
        return alive
