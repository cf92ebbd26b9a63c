"""Translation staleness notices and verified-with versions on each page.

1. translations.json (kept by scripts/translations.py) says, for each section of each
   page, what both languages said when they were last in sync. When a section has
   changed in one language only, the other language's page gets a short notice at the
   top, in its own language, linking to the up-to-date sections of the other version.
2. verified-with.json (written by `make update-output`, checked by tests/test_guards.py)
   names the gevent, greenlet and Python versions the examples last ran with; every page
   that includes a snippet says so under its title.

Both notes are added to the rendered HTML (on_page_content), so MkDocs does not try
to validate their cross-language links; tests/test_guards.py checks every link of the
built site instead.
"""

from __future__ import annotations

import html
import importlib.util
import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.translation_status")

DEFAULT_LANGUAGE = "ko"
VERSIONS_FILE = "verified-with.json"
# every recorded run of the examples suite (tests/test_versions.py): pages show their range
RUNS_FILE = "verified-runs.json"
SNIPPET_INCLUDE = re.compile(r'^\s*--8<--\s+"[^"]+\.py"\s*$', re.M)

NOTICE = {
    "ko": {
        "title": "번역이 최신이 아닙니다",
        "body": "영어판이 바뀐 뒤로 이 페이지의 다음 부분은 아직 번역하지 못했습니다: {sections}."
        " 최신 내용은 {page}에서 볼 수 있습니다.",
        "page": "영어판",
        "top": "도입부",
        "and": ", ",
    },
    "en": {
        "title": "This translation is behind",
        "body": "These parts of the page changed in the Korean version and are not"
        " translated yet: {sections}. The {page} is up to date.",
        "page": "Korean version",
        "top": "introduction",
        "and": ", ",
    },
}
VERIFIED = {
    "ko": "이 페이지의 예제는 gevent {gevent}, greenlet {greenlet}, Python {python}에서"
    " 검증했습니다.",
    "en": "The examples on this page were verified with gevent {gevent}, greenlet"
    " {greenlet} and Python {python}.",
}

_state: dict = {}


def _translations(root: Path):
    """scripts/translations.py of the site being built (also for copies in tests)."""
    path = root / "scripts" / "translations.py"
    cached = _state.get("module")
    if cached is not None and cached.__file__ == str(path):
        return cached
    spec = importlib.util.spec_from_file_location("gevent_guide_translations", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    _state["module"] = module
    return module


def on_pre_build(config) -> None:
    root = Path(config.config_file_path).resolve().parent
    _state["root"] = root
    _state["status"] = None
    _state["versions"] = None
    translations = _translations(root)
    if not (root / translations.RECORD_NAME).exists():
        log.info("no %s yet: no translation notices", translations.RECORD_NAME)
    else:
        try:
            _state["status"] = translations.compute_status(root)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            log.warning(
                "%s is not valid (%s): restore it from git",
                translations.RECORD_NAME,
                exc,
            )
    runs = root / RUNS_FILE
    _state["ranges"] = None
    if runs.exists():
        _state["ranges"] = _ranges(json.loads(runs.read_text(encoding="utf-8"))["runs"])
    versions = root / VERSIONS_FILE
    if versions.exists():
        try:
            _state["versions"] = json.loads(versions.read_text(encoding="utf-8"))
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


def _where(page) -> tuple[str, str] | None:
    """(language, page name) for docs/<language>/<name>.md."""
    parts = page.file.src_uri.split("/", 1)
    if len(parts) != 2 or parts[0] not in NOTICE or not parts[1].endswith(".md"):
        return None
    return parts[0], parts[1][: -len(".md")]


def _other_url(page, language: str) -> str:
    url = page.url
    if language == DEFAULT_LANGUAGE:
        target = "en/" + url
    else:
        target = url[len("en/") :] if url.startswith("en/") else url
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
    words = NOTICE[language]
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


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:2])


def _ranges(runs: list[dict]) -> dict[str, str]:
    """For each package "25.4–26.9": the oldest and newest major.minor that recorded runs used."""
    found = {}
    for key in ("gevent", "greenlet", "python"):
        used = sorted({_minor(run[key]) for run in runs})
        low, high = (".".join(map(str, v)) for v in (used[0], used[-1]))
        found[key] = low if low == high else f"{low}\u2013{high}"
    return found


def _verified(language: str) -> str:
    v = _state.get("ranges") or _state.get("versions") or {}
    if not all(v.get(k) for k in ("gevent", "greenlet", "python")):
        return ""
    text = VERIFIED[language].format(**{k: html.escape(str(v[k])) for k in v})
    return f'<p class="verified-with" data-search-exclude><small>{text}</small></p>\n'


def on_page_content(content: str, page, config, files) -> str:
    where = _where(page)
    if where is None:
        return content
    language, name = where
    added = ""
    status = _state.get("status")
    if status is not None:
        behind = status.behind_in(name, language)
        if behind:
            added += _notice(page, language, behind)
    if SNIPPET_INCLUDE.search(page.markdown or ""):
        added += _verified(language)
    if not added:
        return content
    stripped = content.lstrip()
    if stripped.startswith("<h1"):
        end = stripped.find("</h1>")
        if end != -1:
            end += len("</h1>")
            return stripped[:end] + "\n" + added + stripped[end:]
    return added + content
