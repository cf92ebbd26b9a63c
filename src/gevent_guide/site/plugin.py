"""The MkDocs plugin `gevent-guide-i18n` (entry point in pyproject.toml): bilingual fixes
for mkdocs-static-i18n 1.3.1 + Material 9.8.2, which out of the box get these wrong:

* Search: ONE merged index for both languages, tuned for neither. Here each language
  gets its own index (default: search/search_index.json, others:
  <lang>/search/search_index.json), with its own tokenizer settings and the extra terms
  of search_synonyms.yml (search_index.py).
* hreflang: relative `<link rel="alternate">` without x-default. Here they are absolute
  (site_url) with an x-default (page_html.py).
* 404: one 404.html, in the last language built, whose language switcher points at the
  last page built. Here each language gets its own (default at /404.html, others at
  /<lang>/404.html), whose switcher points at the other languages' 404 pages.
* A page in one language only (missing_pages.py).

Event order matters: the i18n plugin builds the default language, then, from its own
on_post_build (priority -100), builds every other language with nested `build()` calls
and finally writes its merged search index. So this plugin collects per build (priority
-50, before that) and writes its files once at the very end (priority -200, outer build
only). It is listed after `i18n` in mkdocs.yml.
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from gevent_guide.site import page_html
from gevent_guide.site.missing_pages import add_missing_translations
from gevent_guide.site.search_index import (
    Built,
    check_synonyms,
    configure_search,
    load_synonyms,
    search_index,
)

log = logging.getLogger("mkdocs.plugins.gevent_guide")


class I18nFixes(BasePlugin):
    def __init__(self) -> None:
        self.built = Built()

    # ------------------------------------------------------------ the i18n plugin's view

    def _i18n(self, config):
        return config.plugins.get("i18n")

    def _lang(self, config) -> str:
        plugin = self._i18n(config)
        return plugin.current_language if plugin else config.theme.get("language", "en")

    def _default(self, config) -> str:
        plugin = self._i18n(config)
        return plugin.default_language if plugin else self._lang(config)

    def _languages(self, config) -> list[str]:
        plugin = self._i18n(config)
        return list(plugin.build_languages) if plugin else [self._lang(config)]

    def _nested(self, config) -> bool:
        """True inside the i18n plugin's nested build of a non-default language."""
        plugin = self._i18n(config)
        return bool(plugin and plugin.building)

    def _prefix(self, lang: str, config) -> str:
        return "" if lang == self._default(config) else f"{lang}/"

    def _configured(self, html: str, config) -> str:
        prefix = self._prefix(self._lang(config), config)
        return page_html.label_search_dialog(configure_search(html, prefix))

    # ------------------------------------------------------------------------ the events

    def on_pre_build(self, config) -> None:
        if not self._nested(config):
            self.built = Built()

    @event_priority(100)  # before the i18n plugin replaces the file list
    def _remember_files(self, files: Files, config):
        pages = [f for f in files if f.is_documentation_page()]
        self.built.original_files[self._lang(config)] = pages
        return files

    @event_priority(-110)  # after the i18n plugin built this language's file list
    def _add_missing(self, files: Files, config):
        plugin = self._i18n(config)
        if plugin is None:
            return files
        originals = self.built.original_files.get(plugin.current_language, [])
        return add_missing_translations(files, config, plugin, originals)

    on_files = CombinedEvent(_remember_files, _add_missing)

    def on_page_content(self, html: str, page: Page, config, files) -> str:
        return page_html.reserve_annotation_markers(page_html.exclude_drawings(html))

    def on_page_context(self, context, page: Page, config, nav):
        lang = self._lang(config)
        if getattr(page.file, "locale", lang) != lang:
            self.built.foreign.setdefault(lang, set()).add(page.url)
        name = getattr(page.file, "norm_src_uri", page.file.src_uri).removesuffix(".md")
        self.built.page_names.setdefault(lang, {})[page.url] = name
        return context

    def on_post_page(self, output: str, page: Page, config) -> str:
        if config.site_url:
            links = page_html.absolute_alternates(
                page, config.site_url, self._languages(config), self._default(config)
            )
            output = page_html.replace_alternates(output, links, page.file.src_uri)
        return self._configured(output, config)

    def on_template_context(self, context, template_name: str, config):
        if template_name == "404.html":
            # the i18n plugin leaves the switcher pointing at the last page it rendered:
            # point it at each language's own 404 page instead
            alternates = copy.deepcopy(config.extra.get("alternate") or [])
            path = urlsplit(config.site_url or "/").path or "/"
            path = path if path.endswith("/") else path + "/"
            for alternate in alternates:
                alternate["link"] = f"{path}{self._prefix(alternate['lang'], config)}404.html"
            config.extra["alternate"] = alternates
            if "alternate" in vars(config.extra):
                # the i18n plugin sets it as an attribute too, which templates read first
                config.extra.alternate = alternates
        if template_name == "sitemap.xml":
            context["i18n_default_language"] = self._default(config)
        return context

    def on_post_template(self, output: str, template_name: str, config) -> str:
        if template_name == "404.html":
            # a 404 page has no translations to announce
            output = self._configured(page_html.ALTERNATE.sub("", output), config)
            self.built.not_found[self._lang(config)] = output
        return output

    # after Material's search plugin, before the i18n plugin's nested builds
    @event_priority(-50)
    def _collect_search_entries(self, config) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None and hasattr(search, "search_index"):
            entries = copy.deepcopy(search.search_index.entries)
            self.built.entries[self._lang(config)] = entries

    @event_priority(-200)  # after the i18n plugin's nested builds and merged index
    def _write_outputs(self, config) -> None:
        if self._nested(config):
            return
        site = Path(config.site_dir)
        search = config.plugins.get("material/search") or config.plugins.get("search")
        synonyms = load_synonyms(Path(config.config_file_path).resolve().parent)
        check_synonyms(self.built, synonyms)
        if search is not None and search.config.enabled and self.built.entries:
            for lang in self._languages(config):
                prefix = self._prefix(lang, config)
                index = search_index(self.built, lang, prefix, dict(search.config), synonyms)
                path = site / prefix / "search" / "search_index.json"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(
                    json.dumps(index, ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8",
                )
        for lang, html in self.built.not_found.items():
            path = site / self._prefix(lang, config) / "404.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")

    on_post_build = CombinedEvent(_collect_search_entries, _write_outputs)
