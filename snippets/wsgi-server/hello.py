# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import os

from gevent.pywsgi import WSGIServer


def application(environ, start_response):  # (1)!
    status = "200 OK"
    headers = [("Content-Type", "text/html")]
    start_response(status, headers)  # (2)!
    return [b"<h1>Hello World</h1>"]  # (3)!


port = int(os.environ.get("PORT", "8000"))  # (4)!
server = WSGIServer(("127.0.0.1", port), application)  # (5)!
print(f"Serving on http://127.0.0.1:{port}", flush=True)
server.serve_forever()  # (6)!
