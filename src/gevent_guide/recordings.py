"""Which recorded output belongs to the gevent that is running.

`snippets/<name>.out` is what the example prints with the gevent of verified-with.json
(the newest the guide is verified with; the pages show it). Where the same example prints
something else with an older supported gevent (`make test-versions`), that output is
recorded beside it as `snippets/<name>.gevent-<major>.<minor>.out`, the run with that
gevent compares with it, and the page shows it too, saying which version prints it
(tests/test_versions.py checks that every such file is on the pages that show the
`.out`). `Snippet.out_path` (snippets.py) is `shown_path`; `gevent-guide update-output`
writes through `record`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gevent_guide.project import ROOT

VERSIONS_FILE = ROOT / "verified-with.json"
VARIANT = re.compile(r"\.gevent-(\d+\.\d+)\.out$")


def running_gevent() -> str:
    import gevent

    return gevent.__version__


def minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def primary() -> bool:
    """True when the running gevent is the one the .out files were recorded with."""
    if not VERSIONS_FILE.exists():
        return True
    recorded = json.loads(VERSIONS_FILE.read_text(encoding="utf-8")).get("gevent")
    return recorded in (None, running_gevent())


def variant_path(program: Path, version: str | None = None) -> Path:
    return program.with_suffix(f".gevent-{minor(version or running_gevent())}.out")


def shown_path(program: Path) -> Path:
    """The recording this run compares with: the variant for this gevent where one exists
    (and this is not the gevent of the .out files), else <name>.out."""
    if not primary():
        variant = variant_path(program)
        if variant.exists():
            return variant
    return program.with_suffix(".out")


def record(program: Path, printed: str) -> Path:
    """Write what this run printed where it belongs; returns the file that holds it. With
    an older gevent, an output the same as <name>.out needs no file of its own (a stale
    one is removed)."""
    base = program.with_suffix(".out")
    target = base
    if not primary():
        variant = variant_path(program)
        if base.exists() and base.read_text(encoding="utf-8") == printed:
            variant.unlink(missing_ok=True)
            return base
        target = variant
    if not target.exists() or target.read_text(encoding="utf-8") != printed:
        target.write_text(printed, encoding="utf-8")
    return target
