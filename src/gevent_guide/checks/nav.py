"""mkdocs.yml's nav lists every page, and every nav title is translated."""

from __future__ import annotations

from pathlib import Path

from gevent_guide.checks.common import LANGUAGE_NAMES, REPO, _md, page_names
from gevent_guide.project import LANGUAGES, load_mkdocs_yml


def _nav_items(nav, titles: list[str], pages: list[str]) -> None:
    for item in nav or []:
        if isinstance(item, str):
            pages.append(item)
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    if title is not None:
                        titles.append(str(title))
                    pages.append(value)
                else:
                    titles.append(str(title))
                    _nav_items(value, titles, pages)


def _config_line(root: Path, text: str, after: str = "nav:") -> int:
    rows = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    start = next((i for i, r in enumerate(rows) if r.startswith(after)), 0)
    for i in range(start, len(rows)):
        if text in rows[i]:
            return i + 1
    return start + 1


def nav(root: Path = REPO) -> list[str]:
    config = load_mkdocs_yml(root)
    problems: list[str] = []
    plugin = next(
        (p["i18n"] for p in config.get("plugins", []) if isinstance(p, dict) and "i18n" in p),
        {},
    )
    languages = {lang["locale"]: lang for lang in plugin.get("languages", [])}
    for lang in LANGUAGES:
        own = languages.get(lang, {}).get("nav")
        titles: list[str] = []
        entries: list[str] = []
        _nav_items(own or config.get("nav"), titles, entries)
        entries = [e for e in entries if "://" not in e]
        listed = {e.removesuffix(".md") for e in entries}
        for page in page_names(root, lang):
            default = LANGUAGES[0]
            if page not in listed and (lang == default or page not in page_names(root, default)):
                problems.append(
                    f"docs/{lang}/{page}.md:1: is not in the nav of mkdocs.yml; fix: add"
                    f" `- {page}.md` to nav: in mkdocs.yml, under the section it belongs to"
                    " (one entry serves both languages)"
                )
        for entry in entries:
            if not _md(root, lang, entry.removesuffix(".md")).is_file():
                problems.append(
                    f"mkdocs.yml:{_config_line(root, entry)}: nav entry {entry} has no"
                    f" page docs/{lang}/{entry}; fix: add docs/{lang}/{entry}, or remove"
                    " the entry from nav:"
                )
        if lang != LANGUAGES[0] and not own:
            translated = languages.get(lang, {}).get("nav_translations") or {}
            for title in titles:
                if title not in translated:
                    problems.append(
                        f"mkdocs.yml:{_config_line(root, title)}: nav title {title!r} has"
                        f" no {LANGUAGE_NAMES[lang]} title; fix: add `{title}: <"
                        f"{LANGUAGE_NAMES[lang]} title>` to nav_translations: of the"
                        f" {lang} language in mkdocs.yml"
                    )
    return problems
