# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent import socket
from gevent.event import Event
from gevent.server import StreamServer

lines_echoed = 0
slow_said_hello = Event()
slow_may_finish = Event()


def echo(conn, address):  # (1)!
    global lines_echoed
    with conn.makefile("rb") as reader:
        for line in reader:  # (2)!
            lines_echoed += 1
            conn.sendall(line)  # (3)!


def talk(sock, reader, text):
    sock.sendall(f"{text}\n".encode())
    reply = reader.readline().decode().rstrip("\n")
    return f"sent {text!r}, got {reply!r}"


def connect():
    sock = socket.socket()
    sock.connect(("127.0.0.1", port))  # (4)!
    return sock


def slow_client():
    with connect() as sock, sock.makefile("rb") as reader:
        print(f"slow: {talk(sock, reader, 'hello')}")
        slow_said_hello.set()
        slow_may_finish.wait()  # (5)!
        print(f"slow: {talk(sock, reader, 'bye')}")


def quick_client(n):
    with connect() as sock, sock.makefile("rb") as reader:
        return f"quick-{n}: {talk(sock, reader, f'hi from {n}')}"


server = StreamServer(("127.0.0.1", 0), echo)  # (6)!
server.start()
port = server.server_port

slow = gevent.spawn(slow_client)
slow_said_hello.wait()
quick = [gevent.spawn(quick_client, n) for n in (1, 2, 3)]
gevent.joinall(quick, raise_error=True)  # (7)!
for greenlet in quick:
    print(greenlet.value)
print(f"slow client still connected: {not slow.ready()}")
slow_may_finish.set()
slow.get()
server.stop()
print(f"server: echoed {lines_echoed} lines")
