"""`gevent-guide update-output`: the one writer of the committed outputs. It runs every
snippet as the tests do (its own interpreter, the stand-ins, the timeout), and writes
what it printed (<name>.out, or with an older gevent <name>.gevent-X.Y.out where that
prints something else: recordings.py), its timeline (<name>.timeline.*, gevent of the
.out files only) and, when every snippet ran cleanly, verified-with.json (gevent of the
.out files only) and this run in verified-runs.json (verified_runs.py). In the oldest
venv it is `make test-versions UPDATE=1`. The tests only compare against these files."""

from __future__ import annotations

import json
from pathlib import Path

from gevent_guide import recordings, runs, verified_runs
from gevent_guide.checks import versions
from gevent_guide.launcher import Launcher
from gevent_guide.snippets import Snippet, SnippetError, all_snippets, rel
from gevent_guide.timelines import committed


def problem(run: runs.Run) -> str | None:
    """Why a finished run's output cannot be recorded (the tests say it in more words)."""
    if run.timed_out:
        return f"did not finish within {run.snippet.timeout:.0f} s"
    if run.orphans:
        return f"left child processes running: {'; '.join(run.orphans)}"
    if run.violations:
        return f"tried to reach the internet: {'; '.join(run.violations)}"
    if run.proc.returncode not in ((0, -15) if run.snippet.server else (0,)):
        return f"exited with code {run.proc.returncode}"
    return None


def record(snippet: Snippet, run: runs.Run, trace: Path | None) -> list[Path]:
    written = []
    printed = runs.normalize(run.output, run.port)
    target = recordings.shown_path(snippet.path)
    before = target.read_text(encoding="utf-8") if target.exists() else None
    recorded = recordings.record(snippet.path, printed)
    if recorded != target or before != printed:
        written.append(recorded)
    if trace is not None and recordings.primary():
        now = committed.build(snippet, json.loads(trace.read_text(encoding="utf-8")))
        written += committed.update(snippet, now)
    return written


def update_output() -> int:
    snippets = all_snippets()
    launcher = Launcher()
    failures: list[str] = []
    written: list[Path] = []
    try:
        launcher.plan(snippets, {s.rel for s in snippets if s.timeline})
        launcher.launch_all()
        for snippet in snippets:
            trace = None
            try:
                if snippet.server:
                    run = runs.start_server(snippet, starter="gevent-guide update-output").stop()
                elif snippet.timeline:
                    run, trace = launcher.traced(snippet)
                else:
                    run = launcher.result(snippet)
            except SnippetError as exc:
                failures.append(str(exc))
                continue
            why = problem(run)
            if why:
                failures.append(f"{snippet.rel} {why}; it printed:\n{run.output}")
                continue
            written += record(snippet, run, trace)
    finally:
        launcher.close()
    for path in written:
        print(f"wrote {rel(path)}")
    if failures:
        print("\n".join(["not recorded:", *failures]))
        print(
            "verified-with.json and verified-runs.json are written once every snippet runs cleanly"
        )
        return 1
    if recordings.primary() and versions.write_versions():
        print(f"wrote verified-with.json: {versions.running_versions()}")
    if verified_runs.record_run(verified_runs.VerifiedRun(**versions.running_versions())):
        print(f"recorded this run in {verified_runs.RUNS_FILE}: {versions.running_versions()}")
    print(f"{len(snippets)} snippets ran; {len(written)} file(s) changed")
    return 0
