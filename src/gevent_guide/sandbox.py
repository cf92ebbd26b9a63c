"""Run one snippet in this (fresh) interpreter, behind the test harness's guards.

Usage: python -m gevent_guide.sandbox snippets/<topic>/<name>.py

The harness starts every snippet through this file so that nothing a snippet does
(monkey patching, servers, child processes) touches the test process. Before the
snippet runs, two guards are installed from environment variables:

GUIDE_STANDINS    JSON {"host": {"address": "192.0.2.10", "port": 43123}, ...}: names
                  that resolve to stand-ins. gethostbyname() answers `address`;
                  getaddrinfo() answers 127.0.0.1 and `port`, where the harness
                  runs a loopback HTTPS stand-in for that host.
GUIDE_VIOLATIONS  a file; every attempt to resolve an unknown public name or to
                  connect to a non-loopback address is appended to it and refused.
GUIDE_NO_GUARD=1  run the snippet unguarded (used by `pytest --online`).
GUIDE_TRACE       a file: record a timeline of greenlet switches (timelines/recorder.py).

The snippet's own file is left untouched: what CI runs is what readers copy.
"""

from __future__ import annotations

import ipaddress
import json
import os
import runpy
import sys
import traceback

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def install_guards(standins: dict[str, dict], violations_file: str) -> None:
    import _socket

    def refuse(what: str) -> None:
        with open(violations_file, "a", encoding="utf-8") as f:
            f.write(what + "\n")
        raise ConnectionRefusedError(f"hermetic test: {what} refused")

    real_getaddrinfo = _socket.getaddrinfo
    real_gethostbyname = _socket.gethostbyname
    real_gethostbyname_ex = _socket.gethostbyname_ex

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in standins:
            return real_getaddrinfo("127.0.0.1", standins[name]["port"], *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    def gethostbyname(host):
        if host in standins:
            return standins[host]["address"]
        return real_gethostbyname(host)

    def gethostbyname_ex(host):
        if host in standins:
            return host, [], [standins[host]["address"]]
        return real_gethostbyname_ex(host)

    _socket.getaddrinfo = getaddrinfo
    _socket.gethostbyname = gethostbyname
    _socket.gethostbyname_ex = gethostbyname_ex

    def audit(event: str, args: tuple) -> None:
        if event in ("socket.getaddrinfo", "socket.gethostbyname"):
            host = args[0]
            if isinstance(host, bytes):
                host = host.decode()
            if host and not _is_loopback(host) and not _is_address(host):
                refuse(f"name lookup of {host!r}")
        elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            address = args[1] if len(args) > 1 else None
            if (
                isinstance(address, tuple)
                and address
                and isinstance(address[0], str)
                and not _is_loopback(address[0])
            ):
                refuse(f"connection to {address[0]}:{address[1]}")

    sys.addaudithook(audit)


def main() -> None:
    path = os.path.abspath(sys.argv[1])
    if os.environ.get("GUIDE_NO_GUARD") != "1":
        install_guards(
            json.loads(os.environ.get("GUIDE_STANDINS", "{}")),
            os.environ.get("GUIDE_VIOLATIONS", os.devnull),
        )
    if os.environ.get("GUIDE_TRACE"):
        from gevent_guide.timelines import recorder

        recorder.start_recording(os.environ["GUIDE_TRACE"])
    sys.argv = [path, *sys.argv[2:]]
    try:
        runpy.run_path(path, run_name="__main__")
    except Exception as exc:
        # Show the traceback as `python snippet.py` would: from the snippet down,
        # without this file's and runpy's frames.
        tb = exc.__traceback__
        while tb and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb or exc.__traceback__)
        sys.exit(1)


if __name__ == "__main__":
    main()
