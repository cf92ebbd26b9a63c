"""Loopback stand-ins for the internet: one HTTPS server on 127.0.0.1 that answers for
every public host the snippets declare (network = [...] in their PEP 723 block), with a
certificate from a throwaway CA that the snippet's process trusts."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
from pathlib import Path

from gevent_guide.snippets import Snippet


class _StandinHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = f"<!doctype html><title>stand-in for {self.headers['Host']}</title>\n"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


class Standins:
    """The HTTPS server, for `hosts`; env_for(snippet) is what a snippet's process needs."""

    def __init__(self, folder: Path, hosts: list[str]):
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert(*hosts)
        ca_file = folder / "standin-ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StandinHandler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.port = self.server.server_address[1]
        self.ca_file = ca_file

    def env_for(self, snippet: Snippet) -> dict[str, str]:
        hosts = {
            host: {"address": snippet.standin_address(host), "port": self.port}
            for host in snippet.network
        }
        return {
            "GUIDE_STANDINS": json.dumps(hosts),
            "REQUESTS_CA_BUNDLE": str(self.ca_file),
            "SSL_CERT_FILE": str(self.ca_file),
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
