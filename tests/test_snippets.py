"""The one generic test: every program in snippets/ runs in its own interpreter under a
timeout, prints exactly what its .out file (shown on the pages) says, reaches no
public host, leaves nothing running, and passes ruff and black through pytest-examples.

    make test-examples                 # this file and the server tests
    make update-output                 # rewrite every .out after a deliberate change
    pytest tests/test_snippets.py -k queue
"""

from __future__ import annotations

import pytest
from pytest_examples import CodeExample, EvalExample

from gevent_guide import runs, snippets

SNIPPETS = snippets.all_snippets()
RUFF_RULES = ["E", "F", "W", "B", "UP", "I", "SIM"]


class SnippetExample(CodeExample):
    """A whole program file: keep black's two blank lines between top-level
    definitions (pytest-examples folds them for docstring examples in .py files)."""

    def in_py_file(self) -> bool:
        return False


def check_output(snippet: snippets.Snippet, printed: str) -> None:
    if not snippet.out_path.exists():
        pytest.fail(
            f"{snippets.rel(snippet.out_path)} is missing: run `make update-output` to record"
            f" what {snippet.rel} prints",
            pytrace=False,
        )
    shown = snippet.out_path.read_text(encoding="utf-8")
    if printed != shown:
        pytest.fail(
            f"{snippet.rel} printed something else than the page shows.\n"
            f"{runs.output_diff(snippet, shown, printed)}\n"
            "If the change is deliberate, run `make update-output` and commit the .out file.",
            pytrace=False,
        )


def run_server_briefly(snippet: snippets.Snippet, started: list) -> runs.Run:
    try:
        run = runs.start_server(snippet, starter="test_snippet (tests/test_snippets.py)")
    except snippets.SnippetError as exc:
        pytest.fail(str(exc), pytrace=False)
    started.append(run)
    return run.stop()


@pytest.mark.parametrize(
    "snippet",
    [pytest.param(s, id=s.rel, marks=[pytest.mark.network] if s.network else []) for s in SNIPPETS],
)
def test_snippet(
    snippet: snippets.Snippet,
    launcher,
    nothing_left_running: list,
    eval_example: EvalExample,
    request: pytest.FixtureRequest,
) -> None:
    online = request.config.getoption("--online") and bool(snippet.network)

    if snippet.server:
        run = run_server_briefly(snippet, nothing_left_running)
        if run.proc.returncode not in (0, -15):
            pytest.fail(
                f"{snippet.rel} exited with code {run.proc.returncode}:\n{run.output}",
                pytrace=False,
            )
    else:
        run = launcher.result(snippet)
        nothing_left_running.append(run)
        if run.orphans:
            pytest.fail(
                f"{snippet.rel} exited, but left child processes running that held its"
                f" output open: {'; '.join(run.orphans)}. Wait for them (communicate(),"
                " wait()) or stop them before the program ends.",
                pytrace=False,
            )
        if run.timed_out:
            pytest.fail(
                f"{snippet.rel} did not finish within {snippet.timeout:.0f} s and was killed"
                " (a deadlock, or a greenlet waiting forever?). It printed:\n"
                f"{run.output}",
                pytrace=False,
            )
        if run.violations:
            pytest.fail(
                f"{snippet.rel} tried to reach the internet: {'; '.join(run.violations)}.\n"
                'Declare its hosts in the PEP 723 block (network = ["host"]) so CI gives'
                " it a loopback stand-in.",
                pytrace=False,
            )
        if run.proc.returncode != 0:
            pytest.fail(
                f"{snippet.rel} exited with code {run.proc.returncode}:\n{run.output}",
                pytrace=False,
            )

    printed = runs.normalize(run.output, run.port)
    if online:
        print(f"\n--- {snippet.rel} against the real internet ---\n{printed}")
        shown = snippet.out_path.read_text(encoding="utf-8")
        if runs.network_shape(printed) != runs.network_shape(shown):
            pytest.fail(
                f"{snippet.rel} printed something else against the real hosts than the"
                " page's sample output (addresses and charsets aside):\n"
                + runs.output_diff(snippet, runs.network_shape(shown), runs.network_shape(printed)),
                pytrace=False,
            )
    else:
        check_output(snippet, printed)

    eval_example.set_config(
        line_length=88, quotes="double", target_version="py310", ruff_select=RUFF_RULES
    )
    example = SnippetExample.create(snippet.path.read_text(encoding="utf-8"), path=snippet.path)
    eval_example.lint(example)
