"""The server snippets, driven by real clients on 127.0.0.1 (a free port each).

Every snippet that declares `server = "http"` or `server = "websocket"` is picked up
here; the generic test only checks that it starts and prints its ready line."""

from __future__ import annotations

import http.client
import re

import pytest
import websocket

from gevent_guide import runs, snippets

SERVERS = [s for s in snippets.all_snippets() if s.server]
HTTP = [s for s in SERVERS if s.server == "http"]
WEBSOCKET = [s for s in SERVERS if s.server == "websocket"]

MESSAGES = {
    "ASCII text": "hello, gevent",
    "Korean text": "안녕하세요, 그린렛! 🌱",
    "64 KiB+ text": "가나다라마바사" * 10_000,
}
BINARY = bytes(range(256)) * 300  # 75 KiB with every byte value


def ids(snippets):
    return [s.rel for s in snippets]


@pytest.fixture
def server(request, nothing_left_running):
    snippet = request.param
    starter = "the server fixture (tests/test_servers.py)"
    with runs.serving(snippet, starter, nothing_left_running) as run:
        yield run
    for bad in ("Traceback", "Error"):
        assert bad not in run.output, f"{snippet.rel} logged an error:\n{run.output}"


# The access log line gevent.pywsgi prints per request, as the WSGI page describes it:
# client, time, request line, status, bytes sent (headers included), seconds taken.
ACCESS_LOG = re.compile(
    r'127\.0\.0\.1 - - \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] "GET / HTTP/1\.1" 200 \d+ \d+\.\d{6}'
)


# How long a client waits for a server before it counts as hung: a generous bound, not a
# speed (under load a loopback answer can take seconds).
CLIENT_TIMEOUT = snippets.DEFAULT_TIMEOUT


def http_get(port: int, path: str = "/"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheader("Content-Type", ""), body, response
    finally:
        conn.close()


def test_every_http_server_has_an_expected_answer() -> None:
    missing = [s.rel for s in HTTP if not s.answer]
    assert not missing, (
        f"{missing}: say what the server answers on GET / in its <name>.toml:"
        ' answer = {status = 200, type = "text/html", body = "..."}'
    )


@pytest.mark.parametrize("server", HTTP, ids=ids(HTTP), indirect=True)
def test_http_server_answers_get(server) -> None:
    status, content_type, body, response = http_get(server.port)
    want = server.snippet.answer
    assert (status, content_type.split(";")[0], body) == (
        want["status"],
        want["type"],
        want["body"].encode(),
    )
    assert response.getheader("Content-Length") == str(len(body))
    # gevent.pywsgi logs a request after the client has the whole answer: wait for the
    # line (not for a guessed time) before stopping the server.
    if not server.wait_for_output(ACCESS_LOG, timeout=server.snippet.timeout):
        server.stop()
        pytest.fail(
            f"{server.snippet.rel} printed no access log line like the WSGI page shows"
            f" within {server.snippet.timeout:.0f} s of answering GET /; it printed:\n"
            f"{server.output}",
            pytrace=False,
        )
    server.stop()
    logged = [line for line in server.output.splitlines() if '"GET / ' in line]
    assert len(logged) == 1 and ACCESS_LOG.fullmatch(logged[0]), (
        f"expected one access log line like the WSGI page shows, got:\n{server.output}"
    )


@pytest.mark.parametrize("server", WEBSOCKET, ids=ids(WEBSOCKET), indirect=True)
def test_websocket_server_echoes(server) -> None:
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/", timeout=CLIENT_TIMEOUT)
    try:
        for label, text in MESSAGES.items():
            ws.send(text)
            opcode, data = ws.recv_data()
            assert opcode == websocket.ABNF.OPCODE_TEXT, f"{label}: answered with opcode {opcode}"
            assert data.decode("utf-8") == text, f"{label}: the echo differs"
        ws.send_binary(BINARY)
        opcode, data = ws.recv_data()
        assert opcode == websocket.ABNF.OPCODE_BINARY, "a binary frame came back as text"
        assert data == BINARY, "the binary echo differs"
    finally:
        ws.close()
    # A second client after the first one left: the server survived the disconnect.
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/", timeout=CLIENT_TIMEOUT)
    ws.send("again")
    assert ws.recv() == "again"
    ws.close()


@pytest.mark.parametrize("server", WEBSOCKET, ids=ids(WEBSOCKET), indirect=True)
def test_plain_http_to_websocket_endpoint_is_a_clean_4xx(server) -> None:
    status, _, body, _ = http_get(server.port)
    assert 400 <= status < 500, f"plain GET got {status}: {body[:300]!r}"
