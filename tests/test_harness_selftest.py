"""The harness itself: break snippets on purpose in a copy of the project and check
that the generic test fails each one with the message CONTRIBUTING promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
from fnmatch import fnmatchcase

import harness
import pytest

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
        "# /// script\n# [tool.gevent-guide]\n# timeout = 2\n# ///\n"
        "import gevent\n\nwhile True:\n    gevent.sleep(0.1)\n",
        "",
        ["broken/hangs.py did not finish within 2 s and was killed*"],
    ),
    "online.py": (
        'import socket\n\nsocket.create_connection(("example.com", 80), timeout=1)\n',
        "",
        ["broken/online.py tried to reach the internet: name lookup of 'example.com'*"],
    ),
    "leaves_child.py": (
        "# /// script\n# [tool.gevent-guide]\n# timeout = 2\n# ///\n"
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
        '# /// script\n# [tool.gevent-guide]\n# server = "websocket"\n# ///\n'
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


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(
        harness.REPO / "tests",
        root / "tests",
        ignore=shutil.ignore_patterns("__pycache__", "guards_fixture", "browser"),
    )
    shutil.copy(harness.REPO / "pyproject.toml", root / "pyproject.toml")
    folder = root / "snippets" / "broken"
    folder.mkdir(parents=True)
    for name, (program, printed, _) in BROKEN.items():
        (folder / name).write_text(program)
        if printed is not None:
            (folder / name).with_suffix(".out").write_text(printed)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider"),
            *("tests/test_snippets.py", "tests/test_servers.py"),
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
