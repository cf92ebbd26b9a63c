# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import os
import signal

import gevent
from gevent.event import Event
from gevent.pywsgi import WSGIServer

stop_requested = Event()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"Still serving.\n"]


def on_signal(signum):  # (1)!
    print(f"{signal.Signals(signum).name} received: stopping the server", flush=True)
    stop_requested.set()


handlers = [
    gevent.signal_handler(signum, on_signal, signum)  # (2)!
    for signum in (signal.SIGTERM, signal.SIGINT)
]
port = int(os.environ.get("PORT", "8000"))
server = WSGIServer(("127.0.0.1", port), application, spawn=100)  # (3)!
print(f"Serving on http://127.0.0.1:{port}", flush=True)
server.start()  # (4)!
stop_requested.wait()  # (5)!
server.stop(timeout=5)  # (6)!
print("Server stopped cleanly", flush=True)
