"""gevent-guide: the project's one command line (the Makefile targets call it).

gevent-guide update-output             re-run every snippet; write .out, timelines and
                                       verified-with.json (the only writer of them)
gevent-guide offline [ZIP]             build the offline copy (mkdocs.offline.yml) and zip
                                       it (default gevent-guide-offline.zip)
gevent-guide versions lowest           the lowest verified version of each distribution
                                       (the PEP 723 lower bounds: verified_runs.py)
gevent-guide translated PAGE... | --all  both languages of these pages say the same now
gevent-guide translations later|rename|forget|status ...   the rest of the record's upkeep
gevent-guide bench [--only NAME]       speed and size figures (examples, pages, search,
                                       lighthouse)
gevent-guide repeat [--runs N] [--stress N] [--cold]   hunt flaky tests on fresh clones
gevent-guide determinism [--runs N] [--no-load]        the example suite, over and over
"""

from __future__ import annotations

import subprocess
import sys

BENCHES = ["examples", "pages", "search", "lighthouse"]


def bench(argv: list[str]) -> int:
    """Every bench, or one (--only NAME) with that bench's own options after it."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="gevent-guide bench",
        description="Speed and size figures; `make bench` runs them all.",
        epilog="A bench's own options (and its --help) follow --only NAME:"
        " gevent-guide bench --only lighthouse --help",
        add_help=False,
    )
    parser.add_argument(
        "--only", choices=BENCHES, metavar="NAME", help=f"run one bench: {', '.join(BENCHES)}"
    )
    parser.add_argument("-h", "--help", action="store_true", help="show this help and exit")
    args, rest = parser.parse_known_args(argv)
    if args.only is None and (args.help or rest):
        if args.help and not rest:
            parser.print_help()
            return 0
        parser.error(f"{' '.join(rest)}: a bench's own options need --only NAME before them")
    if args.help:
        rest = ["--help", *rest]
    code = 0
    for name in [args.only] if args.only else BENCHES:
        if name == "search":  # Playwright through pytest's fixtures
            cmd = [sys.executable, "-m", "pytest", "tests/browser/bench_search.py", "-q", "-s"]
            code |= subprocess.run([*cmd, "-p", "no:cacheprovider", *rest]).returncode
            continue
        module = __import__(f"gevent_guide.bench.{name}", fromlist=["main"])
        code |= module.main(rest)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "update-output":
        from gevent_guide.outputs import update_output

        return update_output()
    if command == "offline":
        from gevent_guide import offline

        return offline.main(rest)
    if command == "versions" and rest == ["lowest"]:
        from gevent_guide import verified_runs

        for name, version in sorted(verified_runs.lowest().items()):
            print(f"{name}>={version}")
        return 0
    if command in ("translated", "translations"):
        from gevent_guide.translations import commands

        return commands.main(["mark", *rest] if command == "translated" else rest)
    if command == "bench":
        return bench(rest)
    if command in ("repeat", "determinism"):
        module = __import__(f"gevent_guide.bench.{command}", fromlist=["main"])
        return module.main(rest)
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2
