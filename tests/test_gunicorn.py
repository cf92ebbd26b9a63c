"""A real `gunicorn --worker-class gevent` serving the production page's WSGI app
(snippets/production/app.py) on a free 127.0.0.1 port, hit by a real HTTP client, then
stopped with SIGTERM: it must exit with status 0 and leave nothing running."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys

import pytest

from gevent_guide import owners, runs, snippets

APP = snippets.SNIPPETS / "production" / "app.py"
# One worker: its answer proves it has booted. A SIGTERM that reaches a worker still
# booting (before it installs its own signal handlers) is lost, and the master then waits
# --graceful-timeout before killing it; with two workers, the test could not tell when
# both are ready.
WORKERS = 1
CLIENT_TIMEOUT = snippets.DEFAULT_TIMEOUT
# gunicorn waits up to --graceful-timeout (30 s by default) for its workers
STOP_TIMEOUT = 40


def start_gunicorn(port: int) -> runs.Run:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--worker-class=gevent",
        f"--workers={WORKERS}",
        f"--bind=127.0.0.1:{port}",
        "--no-control-socket",  # no socket in $HOME or $XDG_RUNTIME_DIR
        "app:application",
    ]
    with owners.CLAIMS:
        proc = subprocess.Popen(
            command,
            cwd=APP.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        owner = owners.claim(proc.pid, "gunicorn, started by tests/test_gunicorn.py")
    snippet = snippets.Snippet(APP, {"timeout": CLIENT_TIMEOUT})
    return runs.Run(snippet, proc, owner, port=port)


@pytest.fixture
def gunicorn(nothing_left_running):
    for _ in range(runs.PORT_ATTEMPTS):
        run = start_gunicorn(runs.free_port())
        nothing_left_running.append(run)
        try:
            runs.wait_until_listening(run, timeout=CLIENT_TIMEOUT)
            break
        except runs.PortTaken:
            continue
        except snippets.SnippetError as exc:
            run.stop()
            pytest.fail(f"gunicorn: {exc}\n{run.output}", pytrace=False)
    else:
        pytest.fail("gunicorn: every free port was taken before it bound it", pytrace=False)
    yield run
    run.stop()


def get(port: int) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", "/")
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_gunicorn_gevent_worker_serves_and_stops_on_sigterm(gunicorn) -> None:
    for _ in range(5):
        assert get(gunicorn.port) == (200, b"socket.socket comes from gevent._socket3\n")
    os.kill(gunicorn.proc.pid, signal.SIGTERM)  # the master, as a process manager does
    killed = gunicorn.collect(STOP_TIMEOUT)
    log = gunicorn.output
    assert not killed, f"gunicorn did not exit within {STOP_TIMEOUT} s of SIGTERM:\n{log}"
    assert gunicorn.proc.returncode == 0, log
    assert gunicorn.leftovers() == [], log
    assert not runs.port_is_open(gunicorn.port)
    assert "[INFO] Using worker: gevent" in log
    assert log.count("[INFO] Booting worker with pid:") == WORKERS, log
    assert log.count("[INFO] Worker exiting (pid:") == WORKERS, log
    assert "[INFO] Shutting down: Master" in log
    assert "Traceback" not in log and "[ERROR]" not in log, log
