# /// script
# requires-python = ">=3.10"
# dependencies = []
# ///
import socket


def application(environ, start_response):  # (1)!
    body = f"socket.socket comes from {socket.socket.__module__}\n".encode()
    headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
    start_response("200 OK", headers)
    return [body]


if __name__ == "__main__":
    from wsgiref.util import setup_testing_defaults

    environ = {}
    setup_testing_defaults(environ)
    print(b"".join(application(environ, lambda *args: None)).decode(), end="")  # (2)!
