"""Runs every selected non-server snippet at once, a few at a time, and hands each caller
its finished run: the tests (tests/conftest.py) and `gevent-guide update-output`."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from gevent_guide import runs
from gevent_guide.owners import kill_group
from gevent_guide.snippets import Snippet, all_snippets
from gevent_guide.standins import Standins

STARTER = "the background launcher (gevent_guide/launcher.py)"
AT_ONCE = 3 * (os.cpu_count() or 2)  # background runs going at the same time


class Launcher:
    """Starts every selected non-server snippet as soon as collection ends (they mostly
    sleep and wait, so they overlap each other and the rest of the session), and hands
    each test its run. A snippet with a timeline (tests/test_timelines.py) runs once,
    traced: its generic test and its timeline test share that one run."""

    def __init__(self, online: bool = False):
        self.folder = Path(tempfile.mkdtemp(prefix="gevent-guide-runs-"))
        self.runs: dict[str, runs.Run] = {}
        self.traces: dict[str, Path] = {}
        self.online = online
        self.standins: Standins | None = None
        # Runs wait here for a slot: a few at a time, so that an example's own timers
        # (timeouts, "took less than half as long") do not race forty interpreters
        # starting at once. A test that needs a waiting run starts it at once.
        self.waiting: list[tuple[Snippet, bool]] = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.closed = False
        self.thread = threading.Thread(target=self._feed, daemon=True)

    def env_for(self, snippet: Snippet) -> dict[str, str]:
        if not snippet.network:
            return {}
        if self.online:
            return {"GUIDE_NO_GUARD": "1"}
        if self.standins is None:
            hosts = sorted({host for s in all_snippets() for host in s.network})
            self.standins = Standins(self.folder, hosts)
        return self.standins.env_for(snippet)

    def launch(self, snippet: Snippet, traced: bool = False) -> runs.Run:
        name = snippet.rel.replace("/", "__")
        env = self.env_for(snippet)
        if traced:
            self.traces[snippet.rel] = self.folder / (name + ".trace.json")
            env = {**env, "GUIDE_TRACE": str(self.traces[snippet.rel])}
        violations = self.folder / (name + ".violations")
        return runs.start(snippet, env=env, violations_file=violations, starter=STARTER)

    def plan(
        self, snippets: list[Snippet], traced: set[str], last: dict[str, float] | None = None
    ) -> None:
        """Queue the runs, the longest first by `last` (seconds each took last time,
        from pytest's cache; a snippet never timed goes first), so that the slowest
        example does not start behind the others and the suite ends soon after it."""
        last = last or {}
        with self.lock:
            for snippet in snippets:
                if not snippet.server and snippet.rel not in self.runs:
                    self.env_for(snippet)  # a host without a stand-in fails the session now
                    self.waiting.append((snippet, snippet.rel in traced))
            self.waiting.sort(key=lambda w: -last.get(w[0].rel, float("inf")))

    def durations(self) -> dict[str, float]:
        """Seconds each finished run took, for the next session's plan."""
        with self.lock:
            return {
                rel: run.output_closed - run.started
                for rel, run in self.runs.items()
                if run.output_closed is not None
            }

    def launch_all(self) -> None:
        """Start the planned runs, a few at a time (once)."""
        with self.lock:
            if not self.thread.is_alive() and not self.thread.ident:
                self.thread.start()

    def _start(self, snippet: Snippet, traced: bool) -> None:
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

    def result(self, snippet: Snippet) -> runs.Run:
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

    def traced(self, snippet: Snippet) -> tuple[runs.Run, Path]:
        """The finished traced run and its trace file."""
        with self.lock:
            waiting = [w for w in self.waiting if w[0].rel == snippet.rel]
            if waiting:
                self.waiting.remove(waiting[0])
                self.runs[snippet.rel] = self.launch(snippet, traced=True)
            elif snippet.rel not in self.traces:
                old = self.runs.pop(snippet.rel, None)  # launched untraced: start again
                if old is not None:
                    kill_group(old.proc)
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
                kill_group(run.proc)
            run.collect(10)
        if self.standins:
            self.standins.close()
        shutil.rmtree(self.folder, ignore_errors=True)
