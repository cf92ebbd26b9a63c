"""Every example is published as a file and runs with one command (hooks/published_snippets.py).

* The built site has each snippets/<topic>/<name>.py at snippets/<topic>/<name>.py,
  byte for byte.
* Each program's PEP 723 block names exactly the third-party distributions its code
  imports (found by AST; the standard library by sys.stdlib_module_names; import names
  mapped to distributions by the installed packages' metadata), each as `name>=version`
  with the version the guide's examples ran with.
* Each page shows a program without its PEP 723 block, and right above it a
  `uv run <site_url>snippets/...` line, for exactly the standalone programs.
* Online only (`--online`, marker `network`): `uv run` on a served copy of the built
  site prints the recorded output.
"""

from __future__ import annotations

import ast
import functools
import html.parser
import http.server
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import harness
import pytest
import yaml

PROGRAMS = sorted(harness.SNIPPETS.glob("*/*.py"))
IDS = [p.relative_to(harness.SNIPPETS).as_posix() for p in PROGRAMS]
HEADER = re.compile(r"\A# /// script\n((?:#(?:| .*)\n)*?)# ///\n")
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[\w,-]+\])?\s*>=\s*(?P<version>[\w.]+)$"
)
PROBES = {"find_spec", "import_module", "__import__"}  # importlib.util.find_spec("requests")
LABELS = {"ko": "uv로 바로 실행", "en": "Run it with uv"}
FIX_HEADER = (
    "start the program with a PEP 723 block: `# /// script`,"
    ' `# requires-python = ">=3.10"`, `# dependencies = ["gevent>=26.9.0", ...]`, `# ///`'
    " (CONTRIBUTING.md, Add an example)"
)


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
MKDOCS = yaml.load((harness.REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
SITE_URL = MKDOCS["site_url"] if MKDOCS["site_url"].endswith("/") else MKDOCS["site_url"] + "/"


def published_url(rel: str) -> str:
    return f"{SITE_URL}snippets/{rel}"


def header_of(path: Path) -> re.Match:
    text = path.read_text(encoding="utf-8")
    match = HEADER.match(text)
    if match is None:
        pytest.fail(f"snippets/{path.relative_to(harness.SNIPPETS)}:1: {FIX_HEADER}", pytrace=False)
    return match


def shown_lines(path: Path) -> list[str]:
    """The program as a page shows it: without its PEP 723 block and the blank lines after."""
    text = path.read_text(encoding="utf-8")
    lines = text[header_of(path).end() :].splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def standalone(path: Path) -> bool:
    """A program runs alone from a URL unless it names another file of its folder (as a
    string, e.g. "plain_app.py") or imports a module of its folder."""
    others = [p for p in path.parent.iterdir() if p != path]
    names = {p.name for p in others}
    modules = {p.stem for p in others if p.suffix == ".py"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
            return False
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] in modules for a in node.names
        ):
            return False
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").split(".")[0] in modules
        ):
            return False
    return True


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
            f"site/snippets/{rel} differs from snippets/{rel}: hooks/published_snippets.py"
            " must copy it unchanged"
        )
    extra = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not (harness.SNIPPETS / p.relative_to(folder)).is_file()
    )
    assert not extra, f"the site publishes files that are not snippets: {extra}"


# ------------------------------------------------------------------ PEP 723 blocks


def probed_module(node: ast.AST) -> str | None:
    """ "requests" in importlib.util.find_spec("requests") (or import_module, __import__)."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    first = node.args[0]
    if name in PROBES and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def third_party_imports(path: Path) -> dict[str, int]:
    """Top-level names of the modules the program imports (or probes for by name, as
    installation/check.py does) that are not in the standard library nor its own folder,
    each with the line of its first import."""
    local = {p.stem for p in path.parent.glob("*.py")}
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif probed := probed_module(node):
            names = [probed]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top != "__future__" and top not in local:
                found.setdefault(top, node.lineno)
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def distributions_of() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@functools.cache
def verified_versions() -> dict[str, str]:
    """The version each distribution ran with: verified-with.json first, else the
    installed one (the venv is installed from requirements.lock, which the examples ran on)."""
    data = json.loads((harness.REPO / "verified-with.json").read_text(encoding="utf-8"))
    return {normalize(k): str(v) for k, v in data.items() if k != "python"}


def verified_version(dist: str) -> str:
    return verified_versions().get(normalize(dist)) or importlib.metadata.version(dist)


@pytest.mark.parametrize("path", PROGRAMS, ids=IDS)
def test_block_names_exactly_the_imported_distributions(path: Path) -> None:
    rel = path.relative_to(harness.SNIPPETS).as_posix()
    header = header_of(path)
    body = "".join(
        row[2:] if row.startswith("# ") else row[1:] for row in header.group(1).splitlines(True)
    )
    data = harness.tomllib.loads(body)
    dependencies = data.get("dependencies")
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
        declared[normalize(match["name"])] = match["version"]

    imported: dict[str, int] = {}
    for module, line in third_party_imports(path).items():
        dists = distributions_of().get(module)
        assert dists, (
            f"snippets/{rel}:{line}: imports {module!r}, which no installed distribution"
            " provides: add the package to pyproject.toml (make lock) or fix the import"
        )
        imported.setdefault(normalize(dists[0]), line)

    missing = {d: line for d, line in imported.items() if d not in declared}
    unused = sorted(set(declared) - set(imported))
    assert not missing, "; ".join(
        f"snippets/{rel}:{line}: imports a module of {d!r}, which the PEP 723 block does not"
        f' name: add "{d}>={verified_version(d)}" to its dependencies'
        for d, line in missing.items()
    )
    assert not unused, (
        f"snippets/{rel}:1: the PEP 723 block names {unused}, which the program never"
        " imports: remove them from its dependencies"
    )
    for dist, version in declared.items():
        expected = verified_version(dist)
        assert version == expected, (
            f'snippets/{rel}:1: "{dist}>={version}": the guide verified {dist} {expected}'
            f' (verified-with.json or requirements.lock); write "{dist}>={expected}"'
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
    seen = {lang: set() for lang in harness.LANGUAGES}
    problems = []
    for lang in harness.LANGUAGES:
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
    """The rule keeps the uv line off production/run_patched.py, which runs plain_app.py
    from its own folder; every other example here stands alone."""
    needing = [rel for rel, path in zip(IDS, PROGRAMS, strict=True) if not standalone(path)]
    assert needing == ["production/run_patched.py"]


# ------------------------------------------------------------- online: uv run a URL


ONLINE = [
    pytest.param(path, id=rel, marks=pytest.mark.network)
    for path, rel in zip(PROGRAMS, IDS, strict=True)
    if standalone(path) and not harness.read_meta(path).get("server")
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
    rel = path.relative_to(harness.SNIPPETS).as_posix()
    meta = harness.read_meta(path)
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
        timeout=300 + float(meta.get("timeout", harness.DEFAULT_TIMEOUT)),
    )
    assert result.returncode == 0, f"uv run {rel} exited with {result.returncode}:\n{result.stdout}"
    expected = path.with_suffix(".out").read_text(encoding="utf-8")
    # uv saves the downloaded program under a temporary name (monitor.py as
    # monitorAB12CD.py), which a traceback line shows
    printed = re.sub(rf"\b{re.escape(path.stem)}\w{{6}}\.py\b", path.name, result.stdout)
    if meta.get("network"):
        expected, printed = harness.network_shape(expected), harness.network_shape(printed)
    assert printed == expected, harness.output_diff(harness.Snippet(path, meta), expected, printed)
