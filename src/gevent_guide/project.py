"""The project's facts, read from mkdocs.yml once: where it is, its languages (with the
default one and their names), the pages of its nav and the site's URL. Nothing else in
the package keeps a list of languages or pages."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder (from the working directory up) with a
    pyproject.toml and snippets/ (a test's copy of the project counts too), or else
    the checkout this package is installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "snippets").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


ROOT = find_root()
# How messages name a language (the interface names are in mkdocs.yml).
ENGLISH_NAMES = {"ko": "Korean", "en": "English"}


def load_mkdocs_yml(root: Path) -> dict:
    """mkdocs.yml as plain data, without building the Python objects some settings name
    (`!!python/object/apply:` for the slug function)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    Loader.add_multi_constructor("!", lambda *_: None)
    path = root / "mkdocs.yml"
    if not path.is_file():  # a test's copy of the examples alone
        return {}
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}


def nav_pages(nav) -> list[str]:
    """The page names of a nav, in order: index, introduction, ..."""
    if isinstance(nav, str):
        return [nav.removesuffix(".md")] if nav.endswith(".md") else []
    items = nav.values() if isinstance(nav, dict) else (nav or [])
    return [name for item in items for name in nav_pages(item)]


@dataclass(frozen=True)
class Project:
    root: Path
    languages: tuple[str, ...]  # default first
    default_language: str
    names: dict[str, str]  # locale -> name in that language ("한국어", "English")
    pages: tuple[str, ...]  # nav pages, in order
    site_url: str

    @classmethod
    def load(cls, root: Path) -> Project:
        config = load_mkdocs_yml(root)
        i18n = next(
            (p["i18n"] for p in config.get("plugins", []) if isinstance(p, dict) and "i18n" in p),
            {},
        )
        listed = i18n.get("languages") or [{"locale": "ko", "default": True}, {"locale": "en"}]
        default = next((lang["locale"] for lang in listed if lang.get("default")), "ko")
        locales = [default, *(lang["locale"] for lang in listed if lang["locale"] != default)]
        return cls(
            root=root,
            languages=tuple(locales),
            default_language=default,
            names={lang["locale"]: lang.get("name", lang["locale"]) for lang in listed},
            pages=tuple(nav_pages(config.get("nav"))),
            site_url=config.get("site_url") or "/",
        )

    def other(self, language: str) -> str:
        """The other language of a two-language site."""
        return next(lang for lang in self.languages if lang != language)

    @property
    def site_path(self) -> str:
        """The path part of site_url ("/gevent-guide/"): the site is served under it."""
        path = urlsplit(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def page_path(self, name: str, lang: str) -> str:
        """A page below the site path: "", "greenlets/", "en/", "en/greenlets/"."""
        prefix = "" if lang == self.default_language else f"{lang}/"
        return prefix + ("" if name == "index" else f"{name}/")


@functools.cache
def project(root: Path = ROOT) -> Project:
    return Project.load(root)


try:
    LANGUAGES = project().languages
except ImportError:  # Python < 3.11.5 runs the examples without the site's tools (PyYAML)
    LANGUAGES = ("ko", "en")


def other(language: str) -> str:
    """The other language of the two."""
    return next(lang for lang in LANGUAGES if lang != language)


def build_site(site_dir: Path, root: Path = ROOT) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the project at `root` into `site_dir`."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
