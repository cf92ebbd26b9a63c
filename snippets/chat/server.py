# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1", "simple-websocket>=1.1.0", "wsproto>=1.3.2"]
# ///
import os
import re
import signal
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs

import gevent
import simple_websocket
from gevent.event import AsyncResult, Event
from gevent.pool import Group, Pool
from gevent.pywsgi import WSGIHandler, WSGIServer
from gevent.queue import Full, Queue
from wsproto.events import TextMessage

MAX_MESSAGE = 4096  # (1)!
OUTBOX_SIZE = 100
SEND_TIMEOUT = 30
SEND_BUFFER = 64 * 1024
MAX_CLIENTS = 1000
NAME = re.compile(r"\w{1,16}")
allowed_origins = set()


@dataclass
class Close:
    code: int
    reason: str


class Connection(simple_websocket.Server):
    def send(self, data):  # (2)!
        if not self.connected:
            raise simple_websocket.ConnectionClosed(
                self.close_reason, self.close_message
            )
        self.sock.sendall(self.ws.send(TextMessage(data=data)))


class Client:
    def __init__(self, name, ws):
        self.name = name
        self.ws = ws
        self.outbox = Queue(OUTBOX_SIZE)  # (3)!
        self.closing = False
        self.done = Event()

    def write(self):
        try:
            while True:
                item = self.outbox.get()
                with gevent.Timeout(SEND_TIMEOUT):  # (4)!
                    if isinstance(item, Close):
                        self.ws.close(item.code, item.reason)
                        self.done.wait()
                        return
                    self.ws.send(item)
        except (gevent.Timeout, simple_websocket.ConnectionClosed, OSError):
            pass
        finally:
            self.ws.sock.close()

    def close(self, code, reason):
        if self.closing:
            return
        self.closing = True
        while not self.outbox.empty():
            self.outbox.get_nowait()
        self.outbox.put_nowait(Close(code, reason))  # (5)!


class Room:
    def __init__(self):
        self.clients = []
        self.writers = Group()  # (6)!

    def join(self, client):
        self.clients.append(client)
        self.writers.spawn(client.write)
        self.broadcast(f"* {client.name} joined")

    def leave(self, client, why=""):
        if client in self.clients:
            self.clients.remove(client)
            self.broadcast(f"* {client.name} left{why}")

    def broadcast(self, text):
        too_slow = []
        for client in self.clients:
            try:
                client.outbox.put_nowait(text)  # (7)!
            except Full:
                too_slow.append(client)
        for client in too_slow:
            print(f"{client.name}: outbox full, disconnecting (1008)", flush=True)
            client.close(1008, "too slow")
            self.leave(client, " (too slow)")

    def close_all(self, code, reason):
        for client in self.clients:
            client.close(code, reason)
        self.clients.clear()


room = Room()


class ChatHandler(WSGIHandler):
    def run_application(self):
        super().run_application()
        self.close_connection = True  # (8)!


def greenlet_thread(target):
    return gevent.Greenlet(target)


def refuse(start_response, status, text):
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode() + b"\n"]


def chat_app(environ, start_response):
    if environ.get("HTTP_UPGRADE", "").lower() != "websocket":
        return refuse(
            start_response, "400 Bad Request", "This endpoint only speaks WebSocket."
        )
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None and origin not in allowed_origins:  # (9)!
        print(f"refused a connection from Origin {origin} (403)", flush=True)
        return refuse(start_response, "403 Forbidden", "Origin not allowed.")
    name = parse_qs(environ.get("QUERY_STRING", "")).get("name", [""])[0]
    if not NAME.fullmatch(name):
        return refuse(start_response, "400 Bad Request", "Add ?name= (1-16 letters).")
    ws = Connection(
        environ,
        max_message_size=MAX_MESSAGE,  # (10)!
        thread_class=greenlet_thread,
        event_class=Event,
    )
    ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
    client = Client(name, ws)
    room.join(client)
    try:
        while True:
            text = ws.receive()  # (11)!
            if not isinstance(text, str):
                client.close(1003, "text messages only")
                break
            room.broadcast(f"{name}: {text}")
            gevent.sleep(0)  # (12)!
    except simple_websocket.ConnectionClosed:
        pass
    finally:
        room.leave(client)
        client.done.set()
        client.close(1000, "")
    return []


stop_signal = AsyncResult()
handlers = [
    gevent.signal_handler(signum, stop_signal.set, signum)  # (13)!
    for signum in (signal.SIGTERM, signal.SIGINT)
]
port = int(os.environ.get("PORT", "8000"))
server = WSGIServer(
    ("127.0.0.1", port),
    chat_app,
    handler_class=ChatHandler,
    spawn=Pool(MAX_CLIENTS),
    log=None,  # (14)!
)
server.start()
port = server.server_port
allowed_origins.update({f"http://127.0.0.1:{port}", f"http://localhost:{port}"})
print(f"Chat server on ws://127.0.0.1:{port}/", flush=True)
signum = stop_signal.get()
print(f"{signal.Signals(signum).name} received: stopping", flush=True)
server.close()  # (15)!
print(f"closing {len(room.clients)} connections with 1001", flush=True)
room.close_all(1001, "server shutting down")
room.writers.join(timeout=5)
server.stop(timeout=1)
print("Chat server stopped", flush=True)
