"""The guard self-tests' copy of a small two-language site (tests/guards_fixture/: three
pages, two snippets, with the real mkdocs.yml, search_synonyms.yml and overrides), and the
edits that break it. The self-tests beside this file import it (pytest puts a test
folder without __init__.py on the import path); CONTRIBUTING.md quotes their messages."""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
from pathlib import Path

import pytest

from gevent_guide.checks import apis, common, nav, parity, versions
from gevent_guide.translations import commands, status

FIXTURE = Path(__file__).resolve().parent.parent / "guards_fixture"


MARK = "make translated PAGE="


TOOL = ".venv/bin/gevent-guide translations"


def make_site(root: Path, docs_from: Path = FIXTURE) -> Path:
    """A copy of the fixture (or of the real docs) with the project's real tooling, in
    sync: translations.json marked, verified-with.json written by this run."""
    root.mkdir(parents=True)
    for folder in ("docs", "snippets"):
        shutil.copytree(docs_from / folder, root / folder)
    shutil.copytree(common.REPO / "overrides", root / "overrides")
    shutil.copy(common.REPO / "search_synonyms.yml", root / "search_synonyms.yml")
    config = (common.REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if docs_from == FIXTURE:
        config = config[: config.index("\nnav:\n") + 1] + (FIXTURE / "nav.yml").read_text()
        keep_synonyms_of(root, set(common.page_names(root, "ko")))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for page in set(common.page_names(root, "ko")) & set(common.page_names(root, "en")):
        with contextlib.suppress(commands.UsageError):  # pages that differ: parity says how
            commands.mark(root, [page])
    versions.write_versions(root)
    return root


def keep_synonyms_of(root: Path, names: set[str]) -> None:
    """search_synonyms.yml (gevent_guide/site/search_index.py) warns about pages that are not
    built: keep only the fixture's."""
    synonyms = root / "search_synonyms.yml"
    if not synonyms.is_file():
        return
    try:
        import yaml
    except ImportError:  # Python < 3.11.5: no site tools, nothing is built
        return
    data = yaml.safe_load(synonyms.read_text(encoding="utf-8")) or {}
    data["pages"] = {k: v for k, v in (data.get("pages") or {}).items() if k in names}
    synonyms.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    rows = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, row in enumerate(rows, start=1) if text in row)


HAVE_YAML = importlib.util.find_spec("yaml") is not None


needs_yaml = pytest.mark.skipif(
    not HAVE_YAML, reason="reading mkdocs.yml needs PyYAML (the site's tools)"
)


def all_checks(root: Path) -> list[str]:
    failures = parity.parity(root) + apis.removed_apis(root)
    failures += nav.nav(root) if HAVE_YAML else []
    failures += status.problems(root)[0] + versions.versions(root)[0]
    return failures
