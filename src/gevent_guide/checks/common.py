"""What every check shares: where a page of a language is, and how messages name files.

Each check is a function of a repository-like folder `root` (docs/, snippets/,
mkdocs.yml, translations.json, verified-with.json), so the same code checks the real
site (tests/test_guards.py) and deliberately broken copies of a small site
(tests/guards/). Each returns messages of the form

    docs/en/queue.md:12: <what is wrong>; fix: <what to do>"""

from __future__ import annotations

from pathlib import Path

from gevent_guide.project import ENGLISH_NAMES, ROOT
from gevent_guide.translations import sections

REPO = ROOT
LANGUAGE_NAMES = ENGLISH_NAMES
VERSIONS_FILE = "verified-with.json"
REMOVED_API_OK = "<!-- removed-api -->"


def _md(root: Path, language: str, page: str) -> Path:
    return root / "docs" / language / f"{page}.md"


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def page_names(root: Path, language: str) -> list[str]:
    return sections.page_names(root / "docs", language)
