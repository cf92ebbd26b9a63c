"""The MkDocs plugin `gevent-guide-offline` (entry point in pyproject.toml): the offline
copy (`gevent-guide offline`, mkdocs.offline.yml), the whole bilingual site as files that
work from file:// with no server and no network. It acts only in a build with
`use_directory_urls: false`, which mkdocs.offline.yml sets (its INHERIT keeps mkdocs.yml's
plugin list, so the plugin is listed there and idle in the normal build).

Why not Material's `offline` plugin. Material 9.8's plugin does three things, and with
this site each falls short:

* it turns off directory URLs, so links end in .html and resolve on a file system: this
  copy does the same, in mkdocs.offline.yml (`use_directory_urls: false`);
* it adds `https://unpkg.com/iframe-worker/shim` to every page, a script that runs web
  workers in an iframe, because Chromium refuses `new Worker(file://...)`: a request to
  the internet, which a closed network (망분리) cannot answer, so search would never start;
* at priority -100 of on_post_build it copies `search/search_index.json` into
  `search/search_index.js` (`var __index = {...}`), which Material's bundle loads with a
  <script> tag when the page is a file:// page. Only that one folder: with
  mkdocs-static-i18n the English pages look for `en/search/search_index.js`, which it never
  writes. And at -100 the file still holds the i18n plugin's merged index (English
  pages, lunr `lang: [en, ko]`), not the per-language indexes that gevent-guide-i18n
  writes at -200 (Korean tokenizer settings, synonyms, `expand`).

So this plugin, after gevent-guide-i18n has written every language's index:

* writes `search_index.js` beside each language's `search_index.json`;
* writes `assets/javascripts/offline-search.js`, loaded in every page's head (Material's
  `extra.polyfills`), which on a file:// page replaces `Worker` for the site's search
  worker only: the worker runs from a blob: URL made from the site's worker
  (guide-search.js) with Material's worker inlined where it imports it. So search runs in
  a real worker, with the same Korean and English query rewriting as the online site.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from gevent_guide.site.search_index import SEARCH_WORKER

log = logging.getLogger("mkdocs.plugins.gevent_guide")

SHIM = "assets/javascripts/offline-search.js"
WORKERS = "assets/javascripts/workers"

# Run inside the worker before guide-search.js: its one importScripts() call (Material's
# worker, named in the worker URL's query string, which a blob: URL has not) runs the
# inlined copy instead. Material's worker would import more only for lunr languages other
# than English, which this site's indexes do not use (site/search_index.py).
_WORKER_PRELUDE = """\
"use strict";
const __materialWorker = function () {
%(material)s
};
let __materialLoaded = false;
self.importScripts = function (...urls) {
  if (__materialLoaded || urls.length !== 1)
    throw new Error("offline copy: importScripts(" + urls.join(", ") + ") is not inlined;"
      + " only Material's search worker is (gevent_guide/site/offline.py)");
  __materialLoaded = true;
  __materialWorker.call(self);
};
"""

# In each page's head, before Material's bundle creates its worker.
_PAGE_SHIM = """\
/* The offline copy's search worker (written by gevent_guide/site/offline.py). Chromium
   does not start a web worker from a file:// address; it does from a blob: address made
   by the page. */
(function () {
  if (location.protocol !== "file:" || !window.Worker || !window.Blob) return
  var source = %(source)s
  var Native = window.Worker
  window.Worker = function Worker(url, options) {
    if (String(url).indexOf("/%(guide)s") < 0 && String(url).indexOf("%(guide)s") !== 0)
      return new Native(url, options)
    var blob = new Blob([source], { type: "text/javascript" })
    return new Native(URL.createObjectURL(blob), options)
  }
})()
"""


def _material_worker(site: Path) -> Path:
    found = sorted((site / WORKERS).glob("search.*.min.js"))
    if len(found) != 1:
        raise PluginError(
            f"gevent-guide-offline: expected one Material search worker in {site / WORKERS},"
            f" found {[p.name for p in found]}; fix: check the Material version"
        )
    return found[0]


def worker_source(site: Path) -> str:
    """guide-search.js with Material's worker inlined where it imports it."""
    material = _material_worker(site).read_text(encoding="utf-8")
    guide = (site / WORKERS / SEARCH_WORKER).read_text(encoding="utf-8")
    return _WORKER_PRELUDE % {"material": material} + guide


def _language_roots(config) -> list[Path]:
    site = Path(config.site_dir)
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return [site]
    default = plugin.default_language
    return [site if lang == default else site / lang for lang in plugin.build_languages]


class Offline(BasePlugin):
    def _active(self, config) -> bool:
        return not config.use_directory_urls

    def on_config(self, config):
        if not self._active(config):
            return config
        polyfills = list(config.extra.get("polyfills") or [])
        if SHIM not in polyfills:
            polyfills.append(SHIM)
        config.extra["polyfills"] = polyfills
        return config

    @event_priority(-300)  # after gevent-guide-i18n wrote each language's index (-200)
    def on_post_build(self, config) -> None:
        plugin = config.plugins.get("i18n")
        if not self._active(config) or (plugin and plugin.building):
            return
        site = Path(config.site_dir)
        roots = _language_roots(config)
        for root in roots:
            index = root / "search" / "search_index.json"
            if not index.is_file():
                raise PluginError(
                    f"gevent-guide-offline: {index} is missing, so this language could not be"
                    " searched offline; fix: keep the search plugin and gevent-guide-i18n on"
                )
            script = index.with_suffix(".js")
            text = "var __index = " + index.read_text(encoding="utf-8")
            script.write_text(text, encoding="utf-8")
        source = json.dumps(worker_source(site), ensure_ascii=False)
        shim = _PAGE_SHIM % {"source": source, "guide": SEARCH_WORKER}
        (site / SHIM).write_text(shim, encoding="utf-8")
        log.info(f"offline: search_index.js for {len(roots)} languages, {SHIM}")
