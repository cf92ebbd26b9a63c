# /// script
# requires-python = ">=3.10"
# dependencies = ["websocket-client>=1.9.2"]
# ///
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import websocket

server = subprocess.Popen(  # (1)!
    [sys.executable, str(Path(__file__).with_name("server.py"))],
    env={**os.environ, "PORT": "0"},
    stdout=subprocess.PIPE,
    text=True,
)
ready = server.stdout.readline()
port = int(ready.rstrip("/\n").rsplit(":", 1)[1])
url = f"ws://127.0.0.1:{port}/"


def connect(name, **options):
    return websocket.create_connection(f"{url}?name={name}", timeout=10, **options)


def receive(ws):
    opcode, data = ws.recv_data(control_frame=True)  # (2)!
    if opcode == websocket.ABNF.OPCODE_CLOSE:
        code = int.from_bytes(data[:2], "big")
        return f"closed with {code} ({data[2:].decode()})"
    return data.decode()


def hear(ws, count):
    return " | ".join(receive(ws) for _ in range(count))


def hear_until(ws, last):
    before = []
    while (item := receive(ws)) != last:
        before.append(item)
    return before


alice, bob, carol = connect("alice"), connect("bob"), connect("carol")
print(f"alice heard: {hear(alice, 3)}")
print(f"bob heard:   {hear(bob, 2)}")
print(f"carol heard: {hear(carol, 1)}")

alice.send("안녕하세요")
receive(alice)
bob.send("hi, all")
print(f"bob heard:   {hear(bob, 2)}")
print(f"carol heard: {hear(carol, 2)}")
print(f"alice heard: {receive(alice)}")

try:
    connect("mallory", origin="https://evil.example")  # (3)!
except websocket.WebSocketBadStatusException as exc:
    print(f"mallory from https://evil.example: refused with HTTP {exc.status_code}")

bob.send("가" * 5000)  # (4)!
print(f"bob, after 5000 characters: {receive(bob)}")
print(f"alice heard: {receive(alice)}")
print(f"carol heard: {receive(carol)}")

dave = connect("dave")
print(f"dave heard:  {hear(dave, 1)}")
dave.send(b"\xff\xfe", opcode=websocket.ABNF.OPCODE_TEXT)  # (5)!
print(f"dave, after invalid UTF-8: {receive(dave)}")
erin = connect("erin")
print(f"erin heard:  {hear(erin, 1)}")
frame = websocket.ABNF(fin=1, rsv1=1, opcode=websocket.ABNF.OPCODE_TEXT, data="hi")
erin.send_frame(frame)  # (6)!
print(f"erin, after a reserved bit: {receive(erin)}")
print(f"alice heard: {hear(alice, 4)}")
print(f"carol heard: {hear(carol, 4)}")

slow = connect("slow", sockopt=[(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)])  # (7)!
receive(alice), receive(carol)
sent = 0
notices = []
while not notices:  # (8)!
    sent += 1
    text = f"alice: message {sent} " + "x" * 3000
    alice.send(text.removeprefix("alice: "))
    notices = hear_until(alice, text)
    hear_until(carol, text)
print(f"alice heard: {notices[0]}")
backlog = []
while not (item := receive(slow)).startswith("closed"):
    backlog.append(item)
expected = [f"alice: message {n} " + "x" * 3000 for n in range(1, len(backlog))]
if backlog[1:] != expected:
    sys.exit("the slow client's backlog arrived out of order")
print(f"slow, reading at last: its backlog in order, then {item}")

server.send_signal(signal.SIGTERM)  # (9)!
print(f"alice: {receive(alice)}")
print(f"carol: {receive(carol)}")
print(f"server exited with code {server.wait(timeout=10)}")
print("server log:")
for line in [ready, *server.stdout]:
    print(f"  {line.replace(str(port), '<port>')}", end="")
