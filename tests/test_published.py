"""Every example is published as a file and runs with one command (the
`gevent-guide-published` plugin, src/gevent_guide/site/published.py).

* The built site has each snippets/<topic>/<name>.py at snippets/<topic>/<name>.py,
  byte for byte.
* Each program's PEP 723 block names exactly the third-party distributions its code
  uses (found by AST, gevent_guide/programs.py; the standard library by
  sys.stdlib_module_names; import names mapped to distributions by the installed
  packages' metadata), each as `name>=version` with the LOWEST version the guide verified
  (gevent_guide/verified_runs.py: verified-runs.json and requirements-oldest.lock, the
  same source as the pages' "verified with" range).
* Each page shows a program without its PEP 723 block, and right above it a
  `uv run <site_url>snippets/...` line, for exactly the standalone programs.
* Online only (`--online`, marker `network`): `uv run` on a served copy of the built
  site prints the recorded output.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from gevent_guide import programs, runs, verified_runs
from gevent_guide.programs import ProgramError, read_program
from gevent_guide.project import LANGUAGES, project
from gevent_guide.snippets import DEFAULT_TIMEOUT, SNIPPETS, Snippet, read_meta
from gevent_guide.strings import strings

PROGRAMS = sorted(SNIPPETS.glob("*/*.py"))
IDS = [p.relative_to(SNIPPETS).as_posix() for p in PROGRAMS]
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[\w,-]+\])?\s*>=\s*(?P<version>[\w.]+)$"
)
LABELS = {lang: strings(lang)["uv"]["title"] for lang in LANGUAGES}
SITE_URL = project().site_url


def published_url(rel: str) -> str:
    return programs.published_url(SITE_URL, rel)


def program(path: Path) -> programs.Program:
    try:
        return read_program(path)
    except ProgramError as exc:
        pytest.fail(str(exc), pytrace=False)


def shown_lines(path: Path) -> list[str]:
    """The program as a page shows it: from the line after its PEP 723 block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[program(path).first_shown_line - 1 :]


def standalone(path: Path) -> bool:
    return program(path).standalone


# ------------------------------------------------------------------- published files


def test_every_program_is_published_byte_for_byte(built_site) -> None:
    assert built_site.result.returncode == 0, "the site did not build (see test_build.py)"
    folder = built_site.folder / "snippets"
    for path, rel in zip(PROGRAMS, IDS, strict=True):
        published = folder / rel
        assert published.is_file(), (
            f"the build did not publish snippets/{rel} at {published_url(rel)}"
        )
        assert published.read_bytes() == path.read_bytes(), (
            f"site/snippets/{rel} differs from snippets/{rel}: src/gevent_guide/site/published.py"
            " must copy it unchanged"
        )
    extra = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not (SNIPPETS / p.relative_to(folder)).is_file()
    )
    assert not extra, f"the site publishes files that are not snippets: {extra}"


# ------------------------------------------------------------------ PEP 723 blocks


@functools.cache
def lowest() -> dict[str, str]:
    return verified_runs.lowest()


@pytest.mark.parametrize("path", PROGRAMS, ids=IDS)
def test_block_names_exactly_the_imported_distributions(path: Path) -> None:
    rel = path.relative_to(SNIPPETS).as_posix()
    dependencies = program(path).dependencies
    assert isinstance(dependencies, list), (
        f"snippets/{rel}:1: the PEP 723 block has no dependencies list"
    )
    declared: dict[str, str] = {}
    for requirement in dependencies:
        match = REQUIREMENT.match(requirement)
        assert match, (
            f"snippets/{rel}:1: dependency {requirement!r}: write it as"
            ' "name>=version", the lowest version the guide verified'
        )
        declared[programs.normalize(match["name"])] = match["version"]

    imported: dict[str, int] = {}
    for module, line in programs.third_party_imports(path).items():
        dist = programs.distribution_of(module)
        assert dist, (
            f"snippets/{rel}:{line}: imports {module!r}, which no installed distribution"
            " provides: add the package to pyproject.toml (make lock) or fix the import"
        )
        imported.setdefault(dist, line)

    missing = {d: line for d, line in imported.items() if d not in declared}
    unused = sorted(set(declared) - set(imported))
    assert not missing, "; ".join(
        f"snippets/{rel}:{line}: imports a module of {d!r}, which the PEP 723 block does not"
        f' name: add "{d}>={lowest().get(d, "<version>")}" to its dependencies'
        for d, line in missing.items()
    )
    assert not unused, (
        f"snippets/{rel}:1: the PEP 723 block names {unused}, which the program never"
        " imports: remove them from its dependencies"
    )
    for dist, version in declared.items():
        expected = lowest().get(dist)
        assert expected, (
            f"snippets/{rel}:1: no recorded run installed {dist}: add it to"
            " requirements-oldest.in, `make lock`, then `make test-versions UPDATE=1`"
        )
        assert version == expected, (
            f'snippets/{rel}:1: "{dist}>={version}": the oldest version the guide verified'
            f" is {dist} {expected} (verified-runs.json, requirements-oldest.lock);"
            f' write "{dist}>={expected}"'
        )


# -------------------------------------------------------------- the pages' uv lines


@dataclass
class Block:
    classes: list[str]
    title: str = ""
    code: str = ""


class _Blocks(html.parser.HTMLParser):
    """The code blocks of a built page, in order: classes, title, code text."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self._depth = 0  # div depth inside the current block, 0 outside
        self._in = ""  # "title", "code" or ""

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and self._depth:
            self._depth += 1
        elif tag == "div" and "highlight" in classes:
            self.blocks.append(Block(classes))
            self._depth = 1
        elif self._depth and tag == "span" and "filename" in classes:
            self._in = "title"
        elif self._depth and tag == "code":
            self._in = "code"

    def handle_endtag(self, tag) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1
        elif (tag == "span" and self._in == "title") or (tag == "code" and self._in == "code"):
            self._in = ""

    def handle_data(self, data) -> None:
        if self._in == "title":
            self.blocks[-1].title += data
        elif self._in == "code":
            self.blocks[-1].code += data


def page_blocks(page: Path) -> list[Block]:
    parser = _Blocks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.blocks


def test_pages_offer_uv_run_above_each_standalone_program(built_site) -> None:
    assert built_site.result.returncode == 0, "the site did not build (see test_build.py)"
    by_rel = dict(zip(IDS, PROGRAMS, strict=True))
    seen = {lang: set() for lang in LANGUAGES}
    problems = []
    for lang in LANGUAGES:
        root = built_site.folder if lang == "ko" else built_site.folder / lang
        for page in sorted(root.rglob("index.html")):
            if lang == "ko" and page.is_relative_to(built_site.folder / "en"):
                continue
            blocks = page_blocks(page)
            where = page.relative_to(built_site.folder).as_posix()
            for i, block in enumerate(blocks):
                rel = block.title.strip()
                if "uv-run" in block.classes:
                    after = blocks[i + 1].title.strip() if i + 1 < len(blocks) else None
                    if after not in by_rel:
                        problems.append(f"{where}: a uv line that no program follows")
                    continue
                if rel not in by_rel:
                    continue
                seen[lang].add(rel)
                path = by_rel[rel]
                code = block.code.rstrip("\n").split("\n")
                markers = re.compile(r"\s*#\s*\(\d+\)!?\s*$")
                expected = [markers.sub("", s) for s in shown_lines(path)]
                if [markers.sub("", s) for s in code] != expected:
                    problems.append(
                        f"{where}: {rel} is not shown as the program less its PEP 723 block"
                    )
                before = blocks[i - 1] if i else None
                has_uv = before is not None and "uv-run" in before.classes
                if standalone(path):
                    want = f"uv run {published_url(rel)}"
                    if not has_uv:
                        problems.append(f"{where}: no uv line above {rel}")
                    elif before.code.strip() != want or before.title.strip() != LABELS[lang]:
                        problems.append(
                            f"{where}: the uv line above {rel} reads"
                            f" {before.title.strip()!r} / {before.code.strip()!r};"
                            f" expected {LABELS[lang]!r} / {want!r}"
                        )
                elif has_uv:
                    problems.append(
                        f"{where}: {rel} needs another file of its folder, so it cannot run"
                        " from a URL, yet has a uv line"
                    )
    assert not problems, "\n".join(problems)
    for lang, rels in seen.items():
        assert rels == set(IDS), f"{lang}: programs shown on no page: {sorted(set(IDS) - rels)}"


def test_the_standalone_rule_finds_a_program_that_needs_its_neighbour() -> None:
    """The rule keeps the uv line off the programs that run another file of their folder:
    chat/demo.py starts server.py, run_gunicorn.py serves app:application, run_patched.py
    runs plain_app.py; every other example here stands alone."""
    needing = [rel for rel, path in zip(IDS, PROGRAMS, strict=True) if not standalone(path)]
    assert needing == [
        "chat/demo.py",
        "production/run_gunicorn.py",
        "production/run_patched.py",
    ]


# ------------------------------------------------------------- online: uv run a URL


ONLINE = [
    pytest.param(path, id=rel, marks=pytest.mark.network)
    for path, rel in zip(PROGRAMS, IDS, strict=True)
    if standalone(path) and not read_meta(path).get("server")
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served_site(built_site):
    assert built_site.result.returncode == 0, "the site did not build (see test_build.py)"
    handler = functools.partial(_Quiet, directory=str(built_site.folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("path", ONLINE)
def test_uv_runs_the_published_file(
    path: Path, request: pytest.FixtureRequest, served_site, tmp_path: Path
) -> None:
    """`uv run <url>` of the served copy prints what the page shows. It needs the
    internet (uv installs the dependencies from PyPI), so it runs only with --online."""
    if not request.config.getoption("--online"):
        pytest.skip("uv run installs packages from PyPI: run with --online (make test-online)")
    uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv is None:
        pytest.skip("uv is not installed: pip install uv (or see https://docs.astral.sh/uv/)")
    rel = path.relative_to(SNIPPETS).as_posix()
    meta = read_meta(path)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [uv, "run", "--no-config", "--quiet", f"{served_site}snippets/{rel}"],
        cwd=tmp_path,  # no project around: uv runs the script in an environment of its own
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # as the harness records it
        text=True,
        timeout=300 + float(meta.get("timeout", DEFAULT_TIMEOUT)),
    )
    assert result.returncode == 0, f"uv run {rel} exited with {result.returncode}:\n{result.stdout}"
    expected = path.with_suffix(".out").read_text(encoding="utf-8")
    # uv saves the downloaded program under a temporary name (monitor.py as
    # monitorAB12CD.py), which a traceback line shows
    printed = re.sub(rf"\b{re.escape(path.stem)}\w{{6}}\.py\b", path.name, result.stdout)
    if meta.get("network"):
        expected, printed = runs.network_shape(expected), runs.network_shape(printed)
    assert printed == expected, runs.output_diff(Snippet(path, meta), expected, printed)
