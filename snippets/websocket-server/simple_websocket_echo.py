# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1", "simple-websocket>=1.1.0"]
# ///
import os

import gevent
import simple_websocket
from gevent.event import Event
from gevent.pywsgi import WSGIServer


def greenlet_thread(target):  # (1)!
    return gevent.Greenlet(target)


def echo_app(environ, start_response):
    if environ.get("HTTP_UPGRADE", "").lower() != "websocket":  # (2)!
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"This endpoint only speaks WebSocket.\n"]
    ws = simple_websocket.Server(  # (3)!
        environ, thread_class=greenlet_thread, event_class=Event
    )
    try:
        while True:
            ws.send(ws.receive())  # (4)!
    except simple_websocket.ConnectionClosed:  # (5)!
        pass
    return []  # (6)!


port = int(os.environ.get("PORT", "8000"))
server = WSGIServer(("127.0.0.1", port), echo_app)
print(f"Serving on ws://127.0.0.1:{port}/", flush=True)
server.serve_forever()
