"""Translation staleness notices and verified-with versions on each page.

1. translations.json (kept by `gevent-guide translated`) says, for each section of each
   page, what both languages said when they were last in sync. When a section has
   changed in one language only, the other language's page gets a short notice at the
   top, in its own language, linking to the up-to-date sections of the other version.
2. verified-runs.json (appended by `gevent-guide update-output`, in the newest and the
   oldest venv: verified_runs.py) holds every recorded run of the examples; every page that
   includes a snippet gives under its title the range those runs covered ("gevent
   25.4–26.9, greenlet 3.2–3.5 and Python 3.10–3.13"), never a version no run used.
   Without it, verified-with.json (the last run) is named instead.

Both notes are added to the rendered HTML (on_page_content), so MkDocs does not try
to validate their cross-language links; tests/test_guards.py checks every link of the
built site instead.
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

from gevent_guide import project, verified_runs
from gevent_guide.project import LANGUAGES
from gevent_guide.strings import strings
from gevent_guide.translations.record import RECORD_NAME
from gevent_guide.translations.status import compute_status

log = logging.getLogger("mkdocs.plugins.gevent_guide")

VERSIONS_FILE = "verified-with.json"
# a program's include, also as gevent-guide-published rewrites it ("queue/boss_workers.py:6:")
SNIPPET_INCLUDE = re.compile(r'^\s*--8<--\s+"[^"]+\.py(?::\d*){0,2}"\s*$', re.M)


class Notices(BasePlugin):
    """The MkDocs plugin `gevent-guide-notices` (entry point in pyproject.toml)."""

    status = None  # which sections are behind (translations.status.Status)
    versions: dict | None = None  # verified-with.json

    def on_pre_build(self, config) -> None:
        self.status, self.versions = _read(Path(config.config_file_path).resolve().parent)

    def on_page_content(self, content: str, page, config, files) -> str:
        return _add_notes(content, page, self.status, self.versions)


def _read(root: Path):
    status = versions_read = None
    if not (root / RECORD_NAME).exists():
        log.info("no %s yet: no translation notices", RECORD_NAME)
    else:
        try:
            status = compute_status(root)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            log.warning(
                "%s is not valid (%s): restore it from git",
                RECORD_NAME,
                exc,
            )
    versions = root / VERSIONS_FILE
    if versions.exists():
        try:
            versions_read = json.loads(versions.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            log.warning(
                "%s is not valid JSON (%s): run `make update-output`",
                VERSIONS_FILE,
                exc,
            )
    else:
        log.info(
            "no %s yet: pages do not show the versions their examples ran with",
            VERSIONS_FILE,
        )
    if (root / verified_runs.RUNS_FILE).exists():
        try:
            versions_read = verified_runs.ranges(verified_runs.read_runs(root))
        except verified_runs.RunsError as exc:
            log.warning(str(exc))
    return status, versions_read


def _where(page) -> tuple[str, str] | None:
    """(language, page name) for docs/<language>/<name>.md."""
    parts = page.file.src_uri.split("/", 1)
    if len(parts) != 2 or parts[0] not in LANGUAGES or not parts[1].endswith(".md"):
        return None
    return parts[0], parts[1][: -len(".md")]


def _other_url(page, language: str) -> str:
    """The page's address in the other language (the default one is at the site root)."""
    url, other = page.url, project.other(language)
    default = language == LANGUAGES[0]
    target = f"{other}/{url}" if default else url.removeprefix(f"{language}/")
    relative = get_relative_url(target, page.url)
    if (target == "" or target.endswith("/")) and not relative.endswith("/"):
        relative += "/"
    return relative


def _titles(toc) -> dict[str, str]:
    found = {}
    for item in toc:
        found[item.id] = item.title
        found.update(_titles(item.children))
    return found


def _notice(page, language: str, behind: list) -> str:
    words = strings(language)["notice"]
    other = _other_url(page, language)
    titles = _titles(page.toc)
    links = []
    for s in behind:
        if s.anchor.startswith("_"):
            links.append(f'<a href="{html.escape(other)}">{words["top"]}</a>')
        else:
            title = titles.get(s.anchor) or s.current[language].title or s.anchor
            links.append(
                f'<a href="{html.escape(other)}#{html.escape(s.anchor)}">{html.escape(title)}</a>'
            )
    body = words["body"].format(
        sections=words["and"].join(links),
        page=f'<a href="{html.escape(other)}">{words["page"]}</a>',
    )
    return (
        '<div class="admonition warning translation-behind" data-search-exclude>\n'
        f'<p class="admonition-title">{words["title"]}</p>\n'
        f"<p>{body}</p>\n</div>\n"
    )


def _verified(language: str, versions: dict | None) -> str:
    v = versions or {}
    if not all(v.get(k) for k in ("gevent", "greenlet", "python")):
        return ""
    text = strings(language)["verified"].format(**{k: html.escape(str(v[k])) for k in v})
    return f'<p class="verified-with" data-search-exclude><small>{text}</small></p>\n'


def _add_notes(content: str, page, status, versions: dict | None) -> str:
    where = _where(page)
    if where is None:
        return content
    language, name = where
    added = ""
    if status is not None:
        behind = status.behind_in(name, language)
        if behind:
            added += _notice(page, language, behind)
    if SNIPPET_INCLUDE.search(page.markdown or ""):
        added += _verified(language, versions)
    if not added:
        return content
    stripped = content.lstrip()
    if stripped.startswith("<h1"):
        end = stripped.find("</h1>")
        if end != -1:
            end += len("</h1>")
            return stripped[:end] + "\n" + added + stripped[end:]
    return added + content
