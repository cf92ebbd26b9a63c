"""No removed or renamed gevent API in a snippet or a page, and every gevent name a
snippet uses exists in the installed gevent."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
import types
from pathlib import Path

from gevent_guide.checks.common import REMOVED_API_OK, REPO, _rel
from gevent_guide.project import LANGUAGES

# ---------------------------------------------------------------- 4. removed APIs

_NAME = r"(?<![\w./-])"  # not part of a longer name, path or host (www.gevent.org)


def _removed(
    api: str, fix: str, pattern: str | None = None, module: bool = False
) -> tuple[re.Pattern, str, str]:
    """A gevent API that is gone: `api` as messages name it ("gevent.run()" for a function),
    found as a whole name (or by `pattern`); a `module` also in `from gevent import <it>`."""
    name = api.removesuffix("()")
    regex = pattern or re.escape(name) + r"\b"
    if module:
        last = name.rsplit(".", 1)[1]
        regex += rf"|\bfrom\s+gevent\s+import\s+([\w\s,]*,\s*)?{last}\b"
    return re.compile(_NAME + regex), f"{api} was removed", fix


# (pattern, what is wrong with it in today's gevent, what to use instead);
# {0} in the middle part is the text that matched.
REMOVED_APIS: list[tuple[re.Pattern, str, str]] = [
    _removed(
        "gevent.wsgi", "use gevent.pywsgi (from gevent.pywsgi import WSGIServer)", module=True
    ),
    _removed(
        "gevent.coros",
        "use gevent.lock (Semaphore, BoundedSemaphore, RLock) or gevent.event (Event, AsyncResult)",
        module=True,
    ),
    _removed(
        "gevent.shutdown()",
        "nothing replaces it: let the program end, or stop your servers (server.stop())"
        " and join your greenlets (gevent.joinall)",
    ),
    _removed("gevent.run()", "use gevent.wait() (or gevent.joinall(greenlets))"),
    _removed(
        "gevent.signal()",
        "use gevent.signal_handler(signalnum, handler) (gevent.signal is a module now)",
        pattern=r"gevent\.signal\s*\(",
    ),
    _removed(
        "gevent.httplib",
        "use gevent.pywsgi for servers; for clients, monkey-patch and use http.client or requests",
    ),
    _removed("gevent.http", "use gevent.pywsgi (WSGIServer)", pattern=r"gevent\.http\b(?!s)"),
    _removed("gevent.rawgreenlet", "use gevent.spawn_raw() or greenlet.greenlet"),
    _removed(
        "gevent.dns",
        "use gevent.socket.getaddrinfo() or gethostbyname() (gevent.config.resolver"
        " chooses the resolver)",
    ),
    _removed(
        "{0}()",
        "spawn, then link: g = gevent.spawn(...); g.link(callback) (or g.link_value,"
        " g.link_exception)",
        pattern=r"gevent\.spawn_link(?:_value|_exception)?\b",
    ),
    (
        re.compile(_NAME + r"gevent\.greenlet\.GreenletExit\b"),
        "gevent.greenlet.GreenletExit does not exist",
        "use gevent.GreenletExit",
    ),
    (
        re.compile(r"\bpatch_all\s*\([^)]*\bhttplib\s*="),
        "patch_all(httplib=...) was removed",
        "drop the argument (gevent no longer patches httplib)",
    ),
]


def installed_gevent() -> str:
    import gevent

    return gevent.__version__


def resolve(chain: list[str], stop_at_class: bool = False):
    """Follow gevent.a.b.c in the installed gevent. Returns (object, None) or
    (None, the first dotted prefix that does not exist, why)."""
    try:
        obj = importlib.import_module(chain[0])
    except ImportError as exc:
        return None, (chain[0], str(exc))
    for i, name in enumerate(chain[1:], start=1):
        prefix = ".".join(chain[: i + 1])
        if isinstance(obj, types.ModuleType):
            if hasattr(obj, name):
                obj = getattr(obj, name)
                continue
            try:
                obj = importlib.import_module(prefix)
            except ModuleNotFoundError:
                return None, (prefix, "")
            except ImportError as exc:
                return None, (prefix, str(exc))
        else:
            if stop_at_class and isinstance(obj, type):
                return obj, None
            if not hasattr(obj, name):
                return None, (prefix, "")
            obj = getattr(obj, name)
    return obj, None


def _removed_index(name: str) -> int | None:
    for i, (pattern, _wrong, _fix) in enumerate(REMOVED_APIS):
        if pattern.search(name) or pattern.search(name + "("):
            return i
    return None


def _replacement(name: str) -> str | None:
    i = _removed_index(name)
    return None if i is None else REMOVED_APIS[i][2]


class _ApiVisitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.bound: dict[str, list[str]] = {}  # local name -> dotted gevent path
        self.uses: list[tuple[int, list[str], str]] = []  # (line, chain, "attr"|"import")
        self.calls: list[tuple[int, list[str], list[str]]] = []  # (line, chain, keywords)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] != "gevent":
                self.bound.pop(alias.asname or parts[0], None)  # import socket after
                continue  # from gevent import socket: the name is the standard one now
            self.uses.append((node.lineno, parts, "import"))
            if alias.asname:
                self.bound[alias.asname] = parts
            else:
                self.bound[parts[0]] = parts[:1]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module or node.module.split(".")[0] != "gevent":
            for alias in node.names:
                self.bound.pop(alias.asname or alias.name, None)
            return
        base = node.module.split(".")
        self.uses.append((node.lineno, base, "import"))
        for alias in node.names:
            if alias.name == "*":
                continue
            self.uses.append((node.lineno, base + [alias.name], "import"))
            self.bound[alias.asname or alias.name] = base + [alias.name]

    def chain(self, node: ast.AST) -> list[str] | None:
        names = []
        while isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.bound:
            return self.bound[node.id] + names[::-1]
        return None


def _snippet_api_problems(root: Path, path: Path, version: str) -> list[tuple[int, str, str]]:
    """(line, dotted name, message) for gevent names a snippet uses that do not exist."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    visitor = _ApiVisitor()
    visitor.visit(tree)  # imports anywhere in the file bind names
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            if id(node) in inner:
                continue  # part of a longer chain, which is checked as a whole
            chain = visitor.chain(node)
            if chain:
                visitor.uses.append((node.lineno, chain, "attr"))
        if isinstance(node, ast.Call):
            chain = visitor.chain(node.func)
            if chain:
                visitor.calls.append((node.lineno, chain, [k.arg for k in node.keywords if k.arg]))
    found: dict[tuple[int, str], str] = {}
    where = _rel(root, path)
    for line, chain, _kind in sorted(visitor.uses, key=lambda u: (u[0], len(u[1]))):
        _obj, missing = resolve(chain)
        if missing:
            name, why = missing
            if any(key[0] == line and name.startswith(key[1]) for key in found):
                continue
            fix = _replacement(name) or (
                f"use a name that gevent {version} has (https://www.gevent.org/api/)"
            )
            detail = f" ({why})" if why else ""
            found[(line, name)] = (
                f"{where}:{line}: {name} does not exist in gevent {version}{detail}; fix: {fix}"
            )
    for line, chain, keywords in visitor.calls:
        obj, missing = resolve(chain)
        name = ".".join(chain)
        if missing:
            continue
        if isinstance(obj, types.ModuleType):
            fix = _replacement(name) or "call a function or class of that module"
            found.setdefault(
                (line, name),
                f"{where}:{line}: {name}(...) calls a module in gevent {version}; fix: {fix}",
            )
            continue
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            continue
        params = signature.parameters.values()
        if any(p.kind is p.VAR_KEYWORD for p in params):
            continue
        allowed = {p.name for p in params if p.kind is not p.POSITIONAL_ONLY}
        for keyword in keywords:
            if keyword not in allowed:
                found.setdefault(
                    (line, f"{name}.{keyword}"),
                    f"{where}:{line}: {name}() has no argument {keyword!r} in gevent"
                    f" {version}; fix: use one of its arguments"
                    f" ({', '.join(sorted(allowed)) or 'none'})",
                )
    return [(line, name, msg) for (line, name), msg in found.items()]


INLINE_CODE = re.compile(r"(`+)(?P<code>.+?)\1")
DOTTED = re.compile(_NAME + r"gevent(?:\.[A-Za-z_]\w*)+")


def removed_apis(root: Path = REPO) -> list[str]:
    version = installed_gevent()
    problems: list[tuple[str, int, str]] = []
    files = sorted((root / "snippets").rglob("*.py")) + [
        p for lang in LANGUAGES for p in sorted((root / "docs" / lang).rglob("*.md"))
    ]
    for path in files:
        where = _rel(root, path)
        rows = path.read_text(encoding="utf-8").splitlines()
        is_page = path.suffix == ".md"
        flagged: set[int] = set()
        for number, row in enumerate(rows, start=1):
            if is_page and REMOVED_API_OK in row:
                continue
            for pattern, wrong, fix in REMOVED_APIS:
                m = pattern.search(row)
                if m:
                    flagged.add(number)
                    extra = (
                        f" (or, if the line only warns about the old name, end it with"
                        f" {REMOVED_API_OK})"
                        if is_page
                        else ""
                    )
                    problems.append(
                        (
                            where,
                            number,
                            f"{where}:{number}: {wrong.format(m.group(0))}"
                            f" (gevent {version} does not have it); fix: {fix}{extra}",
                        )
                    )
            if not is_page or number in flagged:
                continue
            for span in INLINE_CODE.finditer(row):
                for m in DOTTED.finditer(span.group("code")):
                    _obj, missing = resolve(m.group(0).split("."), stop_at_class=True)
                    if missing:
                        problems.append(
                            (
                                where,
                                number,
                                f"{where}:{number}: `{missing[0]}` does not exist"
                                f" in gevent {version}; fix: name an API that gevent {version}"
                                f" has (https://www.gevent.org/api/), or end the line with"
                                f" {REMOVED_API_OK} if it only warns about an old name",
                            )
                        )
        if not is_page:
            try:
                seen = {
                    i
                    for i, (pattern, _w, _f) in enumerate(REMOVED_APIS)
                    if any(pattern.search(row) for row in rows)
                }
                reported: set[str] = set()
                for line, name, message in sorted(_snippet_api_problems(root, path, version)):
                    known = _removed_index(name)
                    if line in flagged or name in reported or known in seen:
                        continue  # said once, by the more helpful message
                    reported.add(name)
                    problems.append((where, line, message))
            except SyntaxError as exc:
                problems.append(
                    (
                        where,
                        exc.lineno or 1,
                        f"{where}:{exc.lineno or 1}: not valid Python ({exc.msg}); fix: make it"
                        " parse (the examples test shows the full error)",
                    )
                )
    return [m for _w, _n, m in sorted(problems, key=lambda p: (p[0], p[1]))]
