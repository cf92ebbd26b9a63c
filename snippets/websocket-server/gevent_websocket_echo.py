# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1", "gevent-websocket>=0.10.1"]
# ///
import os

from gevent import pywsgi
from geventwebsocket.handler import WebSocketHandler


def websocket_app(environ, start_response):
    ws = environ.get("wsgi.websocket")  # (1)!
    if ws is None:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"This endpoint only speaks WebSocket.\n"]
    while True:
        message = ws.receive()  # (2)!
        if message is None:
            break
        ws.send(message)  # (3)!
    return []  # (4)!


port = int(os.environ.get("PORT", "8000"))
server = pywsgi.WSGIServer(
    ("127.0.0.1", port), websocket_app, handler_class=WebSocketHandler  # (5)!
)
print(f"Serving on ws://127.0.0.1:{port}/", flush=True)
server.serve_forever()
