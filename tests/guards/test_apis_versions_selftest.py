"""The gevent API guard (removed or renamed APIs in snippets and pages, snippets that do
not parse) and the verified-versions guard."""

from __future__ import annotations

from pathlib import Path

from gevent_guide.checks import apis, versions

OLD_SNIPPET = """\
import signal

import gevent
import gevent.queue as q
from gevent import coros, socket
from gevent.wsgi import WSGIServer

gevent.signal(signal.SIGTERM, gevent.kill)
lock = coros.Semaphore()
queue = q.Qeueu()
gevent.spawn_link_exception(print)
gevent.sleep(secs=1)
gevent.run()
socket.wait_read(0)
gevent.shutdown()
gevent.pool()
"""


def test_removed_and_missing_apis_in_a_snippet(site: Path) -> None:
    (site / "snippets/queue/old.py").write_text(OLD_SNIPPET, encoding="utf-8")
    v = apis.installed_gevent()
    assert apis.removed_apis(site) == [
        f"snippets/queue/old.py:5: gevent.coros was removed (gevent {v} does not have it);"
        " fix: use gevent.lock (Semaphore, BoundedSemaphore, RLock) or gevent.event"
        " (Event, AsyncResult)",
        f"snippets/queue/old.py:6: gevent.wsgi was removed (gevent {v} does not have it);"
        " fix: use gevent.pywsgi (from gevent.pywsgi import WSGIServer)",
        f"snippets/queue/old.py:8: gevent.signal() was removed (gevent {v} does not have"
        " it); fix: use gevent.signal_handler(signalnum, handler) (gevent.signal is a"
        " module now)",
        f"snippets/queue/old.py:10: gevent.queue.Qeueu does not exist in gevent {v}; fix:"
        f" use a name that gevent {v} has (https://www.gevent.org/api/)",
        f"snippets/queue/old.py:11: gevent.spawn_link_exception() was removed (gevent {v}"
        " does not have it); fix: spawn, then link: g = gevent.spawn(...);"
        " g.link(callback) (or g.link_value, g.link_exception)",
        f"snippets/queue/old.py:12: gevent.sleep() has no argument 'secs' in gevent {v};"
        " fix: use one of its arguments (ref, seconds)",
        f"snippets/queue/old.py:13: gevent.run() was removed (gevent {v} does not have"
        " it); fix: use gevent.wait() (or gevent.joinall(greenlets))",
        f"snippets/queue/old.py:15: gevent.shutdown() was removed (gevent {v} does not"
        " have it); fix: nothing replaces it: let the program end, or stop your servers"
        " (server.stop()) and join your greenlets (gevent.joinall)",
        f"snippets/queue/old.py:16: gevent.pool(...) calls a module in gevent {v}; fix:"
        " call a function or class of that module",
    ]


def test_removed_and_missing_apis_on_a_page(site: Path) -> None:
    page = site / "docs/en/queue.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nOld tutorials import `gevent.wsgi`. <!-- removed-api -->\n"  # allowed: a warning
        + "Serve it with `gevent.wsgi.WSGIServer`.\n"
        + "Use `gevent.queue.JoinableQueue` and `gevent.pool.Pool.size`; see www.gevent.org.\n"
        + "A `gevent.queue.PriorityQueu` sorts its items.\n",
        encoding="utf-8",
    )
    v = apis.installed_gevent()
    assert apis.removed_apis(site) == [
        f"docs/en/queue.md:38: gevent.wsgi was removed (gevent {v} does not have it); fix:"
        " use gevent.pywsgi (from gevent.pywsgi import WSGIServer) (or, if the line only"
        " warns about the old name, end it with <!-- removed-api -->)",
        f"docs/en/queue.md:40: `gevent.queue.PriorityQueu` does not exist in gevent {v};"
        f" fix: name an API that gevent {v} has (https://www.gevent.org/api/), or end the"
        " line with <!-- removed-api --> if it only warns about an old name",
    ]


def test_versions_recorded_by_another_gevent(site: Path) -> None:
    v = versions.running_versions()
    (site / "verified-with.json").write_text(
        f'{{\n  "gevent": "1.4.0",\n  "greenlet": "{v["greenlet"]}",\n'
        f'  "python": "{v["python"]}"\n}}\n',
        encoding="utf-8",
    )
    assert versions.versions(site) == (
        [
            "verified-with.json:2: the examples were last verified with gevent 1.4.0, but this"
            f" run uses gevent {v['gevent']}; fix: run `make update-output` (it re-runs every"
            " example and records the versions), review the changed .out files and commit"
            " them with verified-with.json"
        ],
        [],
    )


def test_versions_recorded_by_another_python_are_a_note(site: Path) -> None:
    v = versions.running_versions()
    (site / "verified-with.json").write_text(
        f'{{\n  "gevent": "{v["gevent"]}",\n  "greenlet": "{v["greenlet"]}",\n'
        '  "python": "2.7"\n}\n',
        encoding="utf-8",
    )
    assert versions.versions(site) == (
        [],
        [
            "verified-with.json:4: the outputs were recorded with Python 2.7 and this run uses"
            f" Python {v['python']}; the pages keep showing Python 2.7 (only a run on Python"
            " 2.7 can re-check it; the examples job runs every supported Python)"
        ],
    )


def test_versions_file_missing(site: Path) -> None:
    (site / "verified-with.json").unlink()
    assert versions.versions(site) == (
        [
            "verified-with.json:1: missing; fix: run `make update-output` (it re-runs every"
            " example and records the versions), review the changed .out files and commit"
            " them with verified-with.json"
        ],
        [],
    )
    assert versions.write_versions(site) is True
    assert versions.write_versions(site) is False  # unchanged: not rewritten
    assert versions.versions(site) == ([], [])


def test_a_snippet_that_does_not_parse(site: Path) -> None:
    (site / "snippets/queue/broken.py").write_text("import gevent\nprint(\n", encoding="utf-8")
    assert apis.removed_apis(site) == [
        "snippets/queue/broken.py:2: not valid Python ('(' was never closed); fix: make it"
        " parse (the examples test shows the full error)"
    ]
