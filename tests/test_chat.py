"""The chat server of the capstone page (snippets/chat/server.py), driven by real
WebSocket clients over real sockets on 127.0.0.1 (a free port per test).

Every wait is for a message, a close frame or the process's exit, each bounded by a
generous timeout: nothing here assumes how fast the machine is."""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
from dataclasses import dataclass

import pytest
import websocket

from gevent_guide import runs, snippets

SERVER = snippets.SNIPPETS / "chat" / "server.py"
CLIENT_TIMEOUT = snippets.DEFAULT_TIMEOUT
MAX_MESSAGE = 4096  # what the server's MAX_MESSAGE says (checked below)
SLOW_CAP = 2000  # messages sent at most before the slow client must have been dropped


@dataclass(frozen=True)
class Closed:
    code: int
    reason: str


class Client:
    """One chat participant over websocket-client (blocking, with a timeout)."""

    def __init__(self, port: int, name: str, **options):
        self.name = name
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/?name={name}", timeout=CLIENT_TIMEOUT, **options
        )

    def send(self, text: str) -> None:
        self.ws.send(text)

    def next(self) -> str | Closed:
        """The next text message, or the close frame (websocket-client answers it)."""
        opcode, data = self.ws.recv_data(control_frame=True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return Closed(int.from_bytes(data[:2], "big"), data[2:].decode())
        assert opcode == websocket.ABNF.OPCODE_TEXT, f"{self.name} got opcode {opcode}"
        return data.decode()

    def until(self, *wanted: str | Closed) -> list[str | Closed]:
        """Everything received until each of `wanted` has arrived."""
        seen: list[str | Closed] = []
        while not all(w in seen for w in wanted):
            item = self.next()
            seen.append(item)
            if isinstance(item, Closed) and item not in wanted:
                raise AssertionError(f"{self.name} was closed ({item}) waiting for {wanted}")
        return seen

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def chat(nothing_left_running):
    snippet = snippets.Snippet(SERVER, snippets.read_meta(SERVER))
    starter = "the chat fixture (tests/test_chat.py)"
    with runs.serving(snippet, starter, nothing_left_running) as run:
        yield run
    assert "Traceback" not in run.output, f"the chat server logged an error:\n{run.output}"


def join(port: int, *names: str, **options) -> list[Client]:
    """Connect clients one by one; every client has seen every join when it returns."""
    clients: list[Client] = []
    for name in names:
        clients.append(Client(port, name, **options))
        for client in clients:
            client.until(f"* {name} joined")
    return clients


def printed(run: runs.Run, line: str) -> bool:
    """Whether the server prints `line`: a client can hear the server's answer before
    the line the server printed first has reached this process, so wait for it."""
    return run.wait_for_output(re.compile(re.escape(line)), timeout=CLIENT_TIMEOUT)


def test_the_page_limit_is_the_tested_one() -> None:
    text = SERVER.read_text(encoding="utf-8")
    assert f"MAX_MESSAGE = {MAX_MESSAGE}" in text, (
        f"{snippets.rel(SERVER)}: MAX_MESSAGE changed; update MAX_MESSAGE in {__file__}"
    )


def test_three_clients_see_one_order(chat) -> None:
    clients = join(chat.port, "alice", "bob", "carol")
    count = 20
    errors: list[BaseException] = []

    def talk(client: Client) -> None:
        try:
            for n in range(count):
                client.send(f"{n}")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=talk, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(CLIENT_TIMEOUT)
    assert not errors, errors
    heard = {c.name: [c.next() for _ in range(3 * count)] for c in clients}
    first = heard["alice"]
    for name, messages in heard.items():
        assert messages == first, f"{name} heard another order than alice"
    for c in clients:
        own = [m for m in first if m.startswith(f"{c.name}: ")]
        assert own == [f"{c.name}: {n}" for n in range(count)], f"{c.name}'s messages"
    for c in clients:
        c.close()


def test_a_client_leaving_mid_stream_does_not_disturb_the_others(chat) -> None:
    alice, bob, carol = join(chat.port, "alice", "bob", "carol")
    for n in range(30):
        alice.send(f"a{n}")
    assert bob.next() == "alice: a0"
    bob.ws.shutdown()  # gone mid-stream: no close frame, unread messages left behind
    for n in range(30, 60):
        alice.send(f"a{n}")
    carol.send("still here")
    for client in (alice, carol):
        heard = client.until("carol: still here", "alice: a59", "* bob left")
        texts = [m for m in heard if m.startswith("alice: ")]
        assert texts == [f"alice: a{n}" for n in range(60)], f"{client.name} lost messages"
        assert heard.count("* bob left") == 1, heard
    alice.close()
    carol.close()


def test_a_slow_client_is_dropped_without_stalling_the_others(chat) -> None:
    alice, bob = join(chat.port, "alice", "bob")
    # A small receive buffer so that the server's limits, not the kernel's, are reached.
    slow = Client(chat.port, "slow", sockopt=[(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)])
    assert alice.until("* slow joined") == ["* slow joined"]
    assert bob.until("* slow joined") == ["* slow joined"]
    payload = "x" * 3000
    sent: list[str] = []
    for n in range(SLOW_CAP):
        alice.send(f"{n} {payload}")
        sent.append(f"alice: {n} {payload}")
        heard = alice.until(sent[-1])
        assert bob.until(sent[-1]) == heard, "bob and alice heard different things"
        if heard == ["* slow left (too slow)", sent[-1]]:
            break
        assert heard == [sent[-1]], "alice was stalled or lost a message"
    else:
        pytest.fail(f"the slow client was not dropped after {SLOW_CAP} messages", pytrace=False)
    assert printed(chat, "slow: outbox full, disconnecting (1008)")
    alice.send("after the drop")
    assert alice.next() == bob.next() == "alice: after the drop"
    # The slow client finally reads: what had reached it, in order, then 1008.
    got = []
    while not isinstance(item := slow.next(), Closed):
        got.append(item)
    assert item == Closed(1008, "too slow")
    assert got[0] == "* slow joined" and got[1:] == sent[: len(got) - 1]
    assert len(got) - 1 < len(sent), "nothing was held back from the slow client"
    for client in (alice, bob, slow):
        client.close()


def test_a_foreign_origin_is_refused(chat) -> None:
    alice, bob = join(chat.port, "alice", "bob")
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        Client(chat.port, "mallory", origin="https://evil.example")
    assert refused.value.status_code == 403
    assert printed(chat, "refused a connection from Origin https://evil.example (403)")
    local = Client(chat.port, "carol", origin=f"http://localhost:{chat.port}")
    assert local.until("* carol joined") == ["* carol joined"]
    assert alice.until("* carol joined") == bob.until("* carol joined") == ["* carol joined"]
    for client in (alice, bob, local):
        client.close()


@dataclass(frozen=True)
class Bad:
    label: str
    code: int


def send_bad(client: Client, label: str) -> None:
    if label == "oversize text":
        client.send("가" * (MAX_MESSAGE + 1))
    elif label == "invalid UTF-8":
        client.ws.send(b"\xff\xfe", opcode=websocket.ABNF.OPCODE_TEXT)
    elif label == "reserved bit":
        frame = websocket.ABNF(fin=1, rsv1=1, opcode=websocket.ABNF.OPCODE_TEXT, data="hi")
        client.ws.send_frame(frame)
    elif label == "binary":
        client.ws.send_binary(b"\x00\x01")


BAD = [
    Bad("oversize text", 1009),
    Bad("invalid UTF-8", 1007),
    Bad("reserved bit", 1002),
    Bad("binary", 1003),
]


@pytest.mark.parametrize("bad", BAD, ids=[b.label for b in BAD])
def test_a_bad_message_closes_only_its_sender(chat, bad: Bad) -> None:
    alice, bob, mallory = join(chat.port, "alice", "bob", "mallory")
    mallory.send("가" * MAX_MESSAGE)  # the limit itself is fine (characters, not bytes)
    for client in (alice, bob, mallory):
        assert client.next() == "mallory: " + "가" * MAX_MESSAGE
    send_bad(mallory, bad.label)
    closed = mallory.next()
    assert isinstance(closed, Closed) and closed.code == bad.code, closed
    for client in (alice, bob):
        assert client.next() == "* mallory left"
    alice.send("still chatting")
    assert alice.next() == bob.next() == "alice: still chatting"
    for client in (alice, bob, mallory):
        client.close()


def test_sigterm_closes_every_client_with_1001_and_exits_0(chat) -> None:
    clients = join(chat.port, "alice", "bob", "carol")
    clients[0].send("last words")
    # the signal comes once everyone has heard the last message (sent together, which
    # one the server handles first is up to the scheduler)
    for client in clients:
        assert client.until("alice: last words")[-1] == "alice: last words"
    os.kill(chat.proc.pid, signal.SIGTERM)
    for client in clients:
        assert client.until(Closed(1001, "server shutting down")) == [
            Closed(1001, "server shutting down")
        ]
    killed = chat.collect(CLIENT_TIMEOUT)
    assert not killed, f"the chat server did not exit by itself:\n{chat.output}"
    assert chat.proc.returncode == 0, chat.output
    assert chat.leftovers() == []
    assert not runs.port_is_open(chat.port)
    assert chat.output.splitlines()[-3:] == [
        "SIGTERM received: stopping",
        "closing 3 connections with 1001",
        "Chat server stopped",
    ]
    for client in clients:
        client.close()
