"""The example programs as published files: their PEP 723 block, the part a page shows,
whether one runs alone from a URL, and the third-party distributions its code uses.
Shared by the site plugin (site/published.py) and tests/test_published.py."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from gevent_guide.snippets import rel

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PUBLISHED_DIR = "snippets"
HEADER = re.compile(r"\A# /// script\n((?:#(?:| .*)\n)*?)# ///\n")
_APP_TARGET = re.compile(r"^(?P<module>[A-Za-z_]\w*):[A-Za-z_]\w*$")  # gunicorn's "app:application"
PROBES = {"find_spec", "import_module", "__import__"}  # importlib.util.find_spec("requests")
FIX_HEADER = (
    "start the program with a PEP 723 block: `# /// script`,"
    ' `# requires-python = ">=3.10"`, `# dependencies = ["gevent>=<oldest verified>", ...]`,'
    " `# ///` (CONTRIBUTING.md, Add an example)"
)


class ProgramError(Exception):
    """A program without a readable PEP 723 block; the message names file and line."""


@dataclass(frozen=True)
class Program:
    path: Path
    block: str  # the PEP 723 block's TOML, without the comment marks
    first_shown_line: int  # 1-based: the line after the block and the blank lines after it
    standalone: bool

    @property
    def dependencies(self) -> list[str]:
        return list(tomllib.loads(self.block).get("dependencies", []))


def published_url(site_url: str, rel_path: str) -> str:
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    return f"{site_url}{PUBLISHED_DIR}/{rel_path}"


def _names_a_sibling(path: Path, tree: ast.AST) -> bool:
    """A program needs its folder if it names another file of it (in a string, like
    run_patched.py's "plain_app.py") or imports one of its modules."""
    others = [p for p in path.parent.iterdir() if p != path]
    names = {p.name for p in others}
    modules = {p.stem for p in others if p.suffix == ".py"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            target = _APP_TARGET.match(node.value)
            if node.value in names or (target and target["module"] in modules):
                return True  # "plain_app.py", or gunicorn's "app:application"
        elif isinstance(node, ast.Import):
            if any(a.name.split(".")[0] in modules for a in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").split(".")[0] in modules
        ):
            return True
    return False


def read_program(path: Path) -> Program:
    text = path.read_text(encoding="utf-8")
    header = HEADER.match(text)
    if header is None:
        raise ProgramError(f"{rel(path)}:1: no PEP 723 block at the top; {FIX_HEADER}")
    block = "".join(
        row[2:] if row.startswith("# ") else row[1:] for row in header.group(1).splitlines(True)
    )
    lines = text.splitlines()
    first = header.group(0).count("\n")
    while first < len(lines) and not lines[first].strip():
        first += 1
    tree = ast.parse(text, filename=str(path))
    return Program(path, block, first + 1, not _names_a_sibling(path, tree))


def _named_module(node: ast.AST) -> list[str]:
    """Modules a call or a command names without an import statement:
    importlib.util.find_spec("requests") (or import_module, __import__), a command list
    [sys.executable, "-m", "gunicorn", ...], and gunicorn's "--worker-class=gevent"."""
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        first = node.args[0]
        if name in PROBES and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [first.value]
    if isinstance(node, ast.List):
        words = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        found = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "-m"]
        found += [w.split("=", 1)[1] for w in words if str(w).startswith("--worker-class=")]
        return [str(w) for w in found]
    return []


def third_party_imports(path: Path) -> dict[str, int]:
    """Top-level names of the modules the program imports (or names, see _named_module)
    that are neither in the standard library nor in its own folder, each with the line
    where it first appears."""
    local = {p.stem for p in path.parent.glob("*.py")}
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            names = _named_module(node)
        for name in names:
            top = name.split(".")[0]
            if top and top not in sys.stdlib_module_names | {"__future__"} | local:
                found.setdefault(top, getattr(node, "lineno", 1))
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def distribution_of(module: str) -> str | None:
    dists = _distributions().get(module)
    return normalize(dists[0]) if dists else None
