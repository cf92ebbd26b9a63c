"""The harness itself: break snippets on purpose in a copy of the project and check
that the generic test fails each one with the message CONTRIBUTING promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
from fnmatch import fnmatchcase

import psutil
import pytest

from gevent_guide import owners, snippets

BROKEN = {
    # name: (program, what it printed last time (.out), expected lines in the report)
    "printed_else.py": (
        'print("Task 1 finished")\n',
        "Task 1 done\n",
        [
            "broken/printed_else.py printed something else than the page shows.",
            "-Task 1 done",
            "+Task 1 finished",
        ],
    ),
    "raises.py": (
        'raise ValueError("boom")\n',
        "",
        ["broken/raises.py exited with code 1:", "ValueError: boom"],
    ),
    "hangs.py": (
        "import gevent\n\nwhile True:\n    gevent.sleep(0.1)\n",
        "",
        ["broken/hangs.py did not finish within 2 s and was killed*"],
    ),
    "online.py": (
        'import socket\n\nsocket.create_connection(("example.com", 80), timeout=1)\n',
        "",
        ["broken/online.py tried to reach the internet: name lookup of 'example.com'*"],
    ),
    # timeout: long enough for the program to have exited even on a loaded machine (the
    # check needs it gone and its child, sleep 30, still there), not so long it sleeps on
    "leaves_child.py": (
        'import subprocess\n\nsubprocess.Popen(["sleep", "30"])\nprint("bye")\n',
        "bye\n",
        [
            "broken/leaves_child.py exited, but left child processes running that held"
            " its output open: * sleep 30*"
        ],
    ),
    "unformatted.py": (
        "x=1\nprint( x )\n",
        "1\n",
        ["black failed:*", "*-x=1", "*+x = 1"],
    ),
    "lint_error.py": (
        'import os\n\nprint("hi")\n',
        "hi\n",
        ["ruff failed:*", "*snippets/broken/lint_error.py:1:8: F401*"],
    ),
    "answers_500.py": (
        "import os\n\nfrom gevent.pywsgi import WSGIServer\n\n\n"
        "def app(environ, start_response):\n"
        '    start_response("500 Internal Server Error", [("Content-Type", "text/plain")])\n'
        '    return [b"oops"]\n\n\n'
        'port = int(os.environ.get("PORT", "8000"))\n'
        'server = WSGIServer(("127.0.0.1", port), app, log=None)\n'
        'print(f"Serving on ws://127.0.0.1:{port}/", flush=True)\n'
        "server.serve_forever()\n",
        "Serving on ws://127.0.0.1:8000/\n",
        ["*AssertionError: plain GET got 500: b'oops'"],
    ),
    "no_output_file.py": (
        'print("hi")\n',
        None,
        ["snippets/broken/no_output_file.out is missing: run `make update-output`*"],
    ),
}


# What the tests know about a broken snippet: its <name>.toml
SIDECARS = {
    "hangs.py": "timeout = 2\n",
    "leaves_child.py": "timeout = 5\n",
    "answers_500.py": 'server = "websocket"\n',
}


# The leak guard (nothing_left_running in tests/conftest.py), run in the same copy: a
# process is its starter's for its whole life, and only an unclaimed one that outlives
# the test that started it is a leak. Steps hand over through pipes, never timing.
GUARD_CASES = r'''
import subprocess
import sys

import pytest

from gevent_guide import owners

STARTER = """
import subprocess, sys
child = None
for line in sys.stdin:
    if line.strip() == "start" and child is None:
        child = subprocess.Popen(["sleep", "60"])
        print(child.pid, flush=True)
    elif line.strip() == "end" and child is not None:
        child.kill()
        child.wait()
        child = None
        print("ended", flush=True)
"""


@pytest.fixture(scope="module")
def starter():
    """Like the browser fixture: a claimed process that starts and ends children of
    its own whenever it likes (here: when told)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", STARTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, start_new_session=True,
    )
    owners.claim(proc.pid, "the starter fixture")
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


def tell(starter, what):
    starter.stdin.write(what + "\n")
    starter.stdin.flush()
    return starter.stdout.readline().strip()


def test_claimed_child_appears_during_one_test(starter, nothing_left_running):
    assert tell(starter, "start").isdigit()  # alive when this test ends


def test_and_ends_during_the_next(starter, nothing_left_running):
    assert tell(starter, "end") == "ended"


@pytest.fixture
def clock():
    """Moves the boot time psutil adds to every process's start (its create_time()), as an
    adjustment of the wall clock (NTP) does; put back after the leak guard has looked."""
    import psutil

    platform = psutil._psplatform  # psutil's own per-OS module: psutil has no hook for this
    real = platform.boot_time
    moves = []
    platform.boot_time = lambda: real() + sum(moves)
    yield moves
    platform.boot_time = real


@pytest.fixture
def claimed_child():
    """Like Playwright's driver: claimed, in pytest's own session, alive for long."""
    proc = subprocess.Popen(["sleep", "60"])
    owners.claim(proc.pid, "the claimed_child fixture")
    yield proc
    proc.kill()
    proc.wait()


def test_the_wall_clock_moves_under_a_claimed_child(clock, claimed_child, nothing_left_running):
    clock.append(1.0)


def test_unclaimed_child_that_ends_in_its_test(nothing_left_running):
    subprocess.run(["sleep", "0"], check=True)


def test_unclaimed_child_left_running(nothing_left_running):
    subprocess.Popen(["sleep", "30"])
'''

# test name in the copy: expected outcome, expected lines in the report
GUARD_EXPECTED = {
    "test_claimed_child_appears_during_one_test": ("PASSED", []),
    "test_and_ends_during_the_next": ("PASSED", []),
    "test_the_wall_clock_moves_under_a_claimed_child": ("PASSED", []),
    "test_unclaimed_child_that_ends_in_its_test": ("PASSED", []),
    "test_unclaimed_child_left_running": (
        "ERROR",
        [
            "*left behind: stray child process * sleep 30*",
            "*test_guard_cases.py::test_unclaimed_child_left_running started it and no"
            " starter claims it*owners.claim(pid, label) (gevent_guide/owners.py)*",
        ],
    ),
}


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(
        snippets.REPO / "tests",
        root / "tests",
        ignore=shutil.ignore_patterns("__pycache__", "guards_fixture", "browser"),
    )
    shutil.copy(snippets.REPO / "pyproject.toml", root / "pyproject.toml")
    folder = root / "snippets" / "broken"
    folder.mkdir(parents=True)
    for name, (program, printed, _) in BROKEN.items():
        (folder / name).write_text(program)
        if printed is not None:
            (folder / name).with_suffix(".out").write_text(printed)
        if name in SIDECARS:
            (folder / name).with_suffix(".toml").write_text(SIDECARS[name])
    (root / "tests" / "test_guard_cases.py").write_text(GUARD_CASES)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA"),
            *("tests/test_snippets.py", "tests/test_servers.py", "tests/test_guard_cases.py"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_snippet_fails_with_a_clear_message(broken_run: str, name: str) -> None:
    lines = [line.strip() for line in broken_run.splitlines()]
    test_id = f"[broken/{name}]"
    assert any(line.startswith(("FAILED ", "ERROR ")) and test_id in line for line in lines), (
        f"no test of broken/{name} failed:\n{broken_run[-6000:]}"
    )
    for pattern in BROKEN[name][2]:
        assert any(fnmatchcase(line, pattern) for line in lines), (
            f"expected a line like {pattern!r} in the report:\n{broken_run[-6000:]}"
        )


@pytest.mark.parametrize("name", sorted(GUARD_EXPECTED))
def test_the_leak_guard_blames_only_the_starter(broken_run: str, name: str) -> None:
    outcome, patterns = GUARD_EXPECTED[name]
    lines = [line.strip() for line in broken_run.splitlines()]
    node = f"tests/test_guard_cases.py::{name}"
    # -rA lists a test that passed and then failed at teardown twice: PASSED and ERROR
    reported = {line.split()[0] for line in lines if line.endswith(node) or f"{node} " in line}
    reported &= {"PASSED", "FAILED", "ERROR"}
    expected = {outcome} | ({"PASSED"} if outcome == "ERROR" else set())
    assert reported == expected, (
        f"expected {outcome} {node}, got {sorted(reported)}:\n{broken_run[-6000:]}"
    )
    for pattern in patterns:
        assert any(fnmatchcase(line, pattern) for line in lines), (
            f"expected a line like {pattern!r} in the report:\n{broken_run[-6000:]}"
        )


def test_a_process_that_ended_while_the_guard_looked_is_no_stray() -> None:
    """The guard lists the processes that appeared, then asks who owns each: one that
    ends in between (a background run finishing) must not be blamed, and one that is
    still running and unclaimed must be."""
    ended = subprocess.Popen(["sleep", "30"])
    running = subprocess.Popen(["sleep", "30"])
    try:
        seen_ended, seen_running = psutil.Process(ended.pid), psutil.Process(running.pid)
        ended.kill()
        ended.wait()
        assert not owners.is_stray(seen_ended)
        assert owners.is_stray(seen_running)
    finally:
        running.kill()
        running.wait()
