"""Bilingual fixes for mkdocs-static-i18n 1.3.1 + Material 9.8.2.

Out of the box the two plugins together get these wrong; this hook makes them right:

* Search: ONE merged index for both languages, tuned for neither. Here each language
  gets its own index (Korean: search/search_index.json, English:
  en/search/search_index.json), with its own tokenizer settings (SEARCH below) and the
  extra terms of hooks/search_synonyms.yml. English pages are pointed at their index by
  setting Material's `base` to /en/.
* hreflang: relative `<link rel="alternate">` without x-default. Here they are absolute
  (site_url) with an x-default (the default language's page).
* 404: one 404.html, in the last language built, whose language switcher points at the
  last page built. Here each language gets its own (default at /404.html, others at
  /<lang>/404.html), whose switcher points at the other languages' 404 pages
  (template: overrides/404.html).
* A page that exists in one language only fails `--strict` (fallback_to_default: false)
  or is built with the wrong `lang`. Here it is built in the other languages from its
  own text, marked "not translated yet" with the `lang` of its content
  (overrides/main.html), kept out of the other language's search index, and listed in
  the alternates and the sitemap.

Event order matters: the i18n plugin builds the default language, then, from its own
on_post_build (priority -100), builds every other language with nested `build()` calls
and finally writes its merged search index. So this hook collects per build (priority
-50, before that) and writes its files once at the very end (priority -200, outer build
only).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import yaml
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.i18n_fixes")

SYNONYMS_FILE = "hooks/search_synonyms.yml"  # of the project being built

# ---------------------------------------------------------------------- search settings

# Korean particles (조사) that end a word: the Korean separator swallows them, in
# the index and in the query alike, so 큐는 / 큐를 / 큐에서 all become the token 큐
# (Material then appends `*`). `들` (plural) may come before them. A word that merely
# ends like a particle (결과, 정도) is cut the same way on both sides, so it still
# finds itself.
_PARTICLES = (  # noqa: SIM905 (as a list literal: seventy lines)
    "은 는 이 가 을 를 에 의 로 으로 와 과 도 만 에서 에게 에는 에서는 에도 에서도 "
    "까지 부터 처럼 보다 으로는 로는 으로도 로도 와는 과는 이란 이라는 라는 만으로 "
    "마다 이나 이며 이고"
).split()
# after 들 (final ㄹ) only the forms that follow a consonant or ㄹ: 들은, 들을, 들로
_AFTER_DEUL = [p for p in _PARTICLES if p[0] not in "는를가와으라"]
_PARTICLES = sorted({*_PARTICLES, "들", *("들" + p for p in _AFTER_DEUL)})


def _trie(words: list[str]) -> str:
    """One regular expression matching any of the words, as a trie: 에(?:게|서는?)?.

    The search worker runs the separator at every character of the text, and a flat
    list of ninety alternatives made building the Korean index measurably slower."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and len(branches[0]) == 1:
            body = branches[0]
        else:
            body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return emit(tree)


def korean_separator(compounds: list[str]) -> str:
    """What the Korean index adds to the shared separator (a JavaScript regular
    expression)."""
    parts = [
        # particles first: at a given position the longer (consuming) match must win
        # over the zero-width splits below, or the particle would stay glued to the next
        # token
        _trie(_PARTICLES) + "(?![가-힣])",
        # where Latin letters or digits meet Hangul: Greenlet을 -> Greenlet, gevent로 ->
        # gevent (lookahead first: it rules most positions out at once)
        "(?=[가-힣])(?<=[A-Za-z0-9])",
        "(?=[A-Za-z0-9])(?<=[가-힣])",
    ]
    # compounds written with or without a space (이벤트루프, 몽키패치): always two words
    for compound in compounds:
        left, _, right = compound.partition(" ")
        if left and right and re.fullmatch(r"[가-힣]+", left + right):
            parts.append(f"(?={right})(?<={left})")
        else:
            log.warning(f"i18n_fixes: korean_compounds: {compound!r} is not two words")
    return "|".join(parts)


# Per-language search configuration written into each index (Material's worker reads
# it). `lang` picks the lunr language support to load: Korean needs none (lunr.ko only
# adds a trimmer and stop words that an empty pipeline removes again), and `pipeline`
# removes lunr's English functions. The English stemmer is left out on purpose: Material
# appends `*` to every query term and lunr skips the pipeline for wildcard terms, so
# with a stemmed index "greenlets*" would never meet the stored token "greenlet". Plural
# and singular forms that a page does not contain come from search_synonyms.yml instead.
# `expand` names what the site's search worker (overrides/assets/javascripts/workers/
# guide-search.js) adds to this language's queries: Korean words found from their first
# letters (jamo) or initial consonants, English plurals found through their singular.
SEARCH = {
    "ko": {"lang": ["en"], "pipeline": [], "korean": True, "expand": ["hangul"]},
    "en": {
        "lang": ["en"],
        "pipeline": ["stopWordFilter", "trimmer"],
        "korean": False,
        "expand": ["plurals"],
    },
}
SEARCH_WORKER = "guide-search.js"  # beside Material's worker in assets/javascripts/workers/
SYNONYMS_FIELD = "synonyms"

# -------------------------------------------------------------------------------- state


class _State:
    """What the builds of one `mkdocs build` collect, by language."""

    def __init__(self) -> None:
        self.entries: dict[str, list[dict]] = {}  # search entries of its build
        self.foreign: dict[str, set[str]] = {}  # urls of pages in another language
        self.page_names: dict[str, dict[str, str]] = {}  # page url -> page name
        self.not_found: dict[str, str] = {}  # the rendered 404 page
        self.original_files: dict[str, list[File]] = {}  # doc files before i18n


_state = _State()


def _i18n(config):
    return config.plugins.get("i18n")


def _lang(config) -> str:
    plugin = _i18n(config)
    return plugin.current_language if plugin else config.theme.get("language", "en")


def _default_lang(config) -> str:
    plugin = _i18n(config)
    return plugin.default_language if plugin else _lang(config)


def _languages(config) -> list[str]:
    plugin = _i18n(config)
    return list(plugin.build_languages) if plugin else [_lang(config)]


def _nested(config) -> bool:
    """True inside the i18n plugin's nested build of a non-default language."""
    plugin = _i18n(config)
    return bool(plugin and plugin.building)


def _site_path(config) -> str:
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def _lang_prefix(lang: str, config) -> str:
    return "" if lang == _default_lang(config) else f"{lang}/"


# -------------------------------------------------------------------------- build start


def on_pre_build(config) -> None:
    global _state
    if not _nested(config):
        _state = _State()


# ----------------------------------------------------------- pages in one language only


@event_priority(100)  # before the i18n plugin replaces the file list
def _remember_files(files: Files, config):
    _state.original_files[_lang(config)] = [f for f in files if f.is_documentation_page()]
    return files


def _norm(file: File, languages: list[str]) -> tuple[str | None, str]:
    parts = PurePosixPath(file.src_uri).parts
    if parts and parts[0] in languages:
        return parts[0], PurePosixPath(*parts[1:]).as_posix()
    return None, file.src_uri


def _copy_for(source: File, lang: str, plugin, config) -> File:
    """The file `source` (docs/<its language>/...) as built in `lang`'s site."""
    from mkdocs_static_i18n import folder

    default = plugin.default_language
    copy_ = folder.create_i18n_file(source, lang, default, plugin.all_languages, config)
    if lang == default and copy_.dest_path.startswith(f"{lang}/"):
        # the plugin only ever falls back towards the default language, never from it:
        # the default language's pages have no folder prefix
        copy_.dest_path = copy_.dest_path[len(lang) + 1 :]
        copy_.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, copy_.dest_path))
        copy_.url = copy_._get_url(config.use_directory_urls)
    return copy_


@event_priority(-110)  # after the i18n plugin built this language's file list
def add_missing_translations(files: Files, config):
    """Build a page that has no version in this language from another's text."""
    plugin = _i18n(config)
    if plugin is None:
        return files
    lang, default, languages = (
        plugin.current_language,
        plugin.default_language,
        _languages(config),
    )
    present = {getattr(f, "norm_src_uri", f.src_uri) for f in files.documentation_pages()}
    by_norm: dict[str, dict[str, File]] = {}
    for f in _state.original_files.get(lang, []):
        src_lang, norm = _norm(f, languages)
        if src_lang:
            by_norm.setdefault(norm, {})[src_lang] = f
    added = []
    for norm, versions in sorted(by_norm.items()):
        source_lang = default if default in versions else sorted(versions)[0]
        source = versions[source_lang]
        if norm in present:
            # this language has the page: point its alternates at the other languages'
            # copies
            own = next(f for f in files.documentation_pages() if f.norm_src_uri == norm)
            for other in languages:
                if other not in versions:
                    own.alternates[other] = _copy_for(source, other, plugin, config)
            continue
        copy_ = _copy_for(source, lang, plugin, config)
        # the navigation looks pages up as <lang>/<name>.md: give the copy that name,
        # while it keeps reading (and editing) the other language's file
        copy_.abs_src_path = source.abs_src_path
        copy_.edit_uri = source.src_uri
        copy_.src_uri = f"{lang}/{norm}"
        copy_.alternates = {lang: copy_}
        for other in languages:
            if other != lang:
                real = versions.get(other)
                copy_.alternates[other] = _copy_for(real or source, other, plugin, config)
        files.append(copy_)
        added.append(copy_)
        log.info(f"i18n_fixes: no '{lang}' {norm}; building it from '{source_lang}'")
    if added:
        plugin.i18n_files_per_language[lang] = files.documentation_pages()
    return files


on_files = CombinedEvent(_remember_files, add_missing_translations)


# -------------------------------------------------------------------------- page output


_SVG = re.compile(r"<svg(?![^>]*data-search-exclude)")


def on_page_content(html: str, page: Page, config, files) -> str:
    """Keep drawings out of the search index: an inline SVG's labels and description are
    there for eyes and screen readers, and as search text they only add weight and
    noise. (Material's search skips elements marked data-search-exclude, then drops the
    mark.)"""
    return _SVG.sub('<svg data-search-exclude="svg"', html)


def on_page_context(context, page: Page, config, nav):
    lang = _lang(config)
    locale = getattr(page.file, "locale", lang)
    if locale != lang:
        _state.foreign.setdefault(lang, set()).add(page.url)
    _state.page_names.setdefault(lang, {})[page.url] = getattr(
        page.file, "norm_src_uri", page.file.src_uri
    ).removesuffix(".md")
    return context


_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _absolute_alternates(page: Page, config) -> list[tuple[str, str]]:
    site = config.site_url
    alternates = getattr(page.file, "alternates", {}) or {}
    links = []
    for lang in _languages(config):
        file = alternates.get(lang)
        if file is not None:
            links.append((lang, urljoin(site, file.url)))
    default = dict(links).get(_default_lang(config))
    if default:
        links.append(("x-default", default))
    return links


def _configure_search(html: str, lang: str, config) -> str:
    """Point Material's `base` (where it fetches search/search_index.json and against
    which it resolves result links) at this language's root, and its search worker at
    the site's own, which imports Material's (named in the query string)."""
    prefix = _lang_prefix(lang, config)

    def fix(match):
        data = json.loads(match.group(2))
        base = data["base"]
        if prefix:
            data["base"] = (
                posixpath.join(base, prefix) if base.endswith("/") else f"{base}/{prefix}"
            )
        folder, material = posixpath.split(data["search"])
        data["search"] = f"{posixpath.join(folder, SEARCH_WORKER)}?material={material}"
        return match.group(1) + json.dumps(data, ensure_ascii=False) + match.group(3)

    html, count = _CONFIG.subn(fix, html)
    if count != 1:
        log.warning("i18n_fixes: no Material __config script found; search would mix languages")
    return html


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_INPUT_LABEL = re.compile(
    r'<input type="text" class="md-search__input"[^>]*? aria-label="([^"]*)"'
)


def _label_search_dialog(html: str) -> str:
    """Material's search dialog has no accessible name (axe: aria-dialog-name, serious):
    give it the search box's own label ("검색", "Search")."""
    label = _SEARCH_INPUT_LABEL.search(html)
    if label and _SEARCH_DIALOG in html:
        html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label[1]}">', 1)
    return html


def on_post_page(output: str, page: Page, config) -> str:
    if config.site_url:
        links = _absolute_alternates(page, config)
        block = "".join(
            f'<link rel="alternate" href="{href}" hreflang="{lang}">\n' for lang, href in links
        )
        first = _ALTERNATE.search(output)
        if first is None:
            log.warning(f"i18n_fixes: no hreflang links in {page.file.src_uri}")
        else:
            output = _ALTERNATE.sub("", output)
            output = output[: first.start()] + block + output[first.start() :]
    return _label_search_dialog(_configure_search(output, _lang(config), config))


# ----------------------------------------------------------------------------- 404 page


def on_template_context(context, template_name: str, config):
    if template_name == "404.html":
        # the i18n plugin leaves the switcher pointing at the last page it rendered:
        # point it at each language's own 404 page instead
        alternates = copy.deepcopy(config.extra.get("alternate") or [])
        for alternate in alternates:
            prefix = _lang_prefix(alternate["lang"], config)
            alternate["link"] = f"{_site_path(config)}{prefix}404.html"
        config.extra["alternate"] = alternates
        if "alternate" in vars(config.extra):
            # the i18n plugin sets it as an attribute too, which templates read first
            config.extra.alternate = alternates
    if template_name == "sitemap.xml":
        context["i18n_default_language"] = _default_lang(config)
    return context


def on_post_template(output: str, template_name: str, config) -> str:
    if template_name == "404.html":
        lang = _lang(config)
        # a 404 page has no translations to announce
        output = _ALTERNATE.sub("", output)
        output = _label_search_dialog(_configure_search(output, lang, config))
        _state.not_found[lang] = output
    return output


# ------------------------------------------------------------------------------ the end


# after Material's search plugin, before the i18n plugin's nested builds
@event_priority(-50)
def _collect_search_entries(config) -> None:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and hasattr(search, "search_index"):
        _state.entries[_lang(config)] = copy.deepcopy(search.search_index.entries)


def _load_synonyms(config) -> dict:
    data = {}
    path = Path(config.config_file_path).resolve().parent / SYNONYMS_FILE
    if path.is_file():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.setdefault("boost", 10000)
    data.setdefault("korean_compounds", [])
    data["pages"] = data.get("pages") or {}
    return data


def _search_index(lang: str, config, search_config: dict, data: dict) -> dict:
    prefix = _lang_prefix(lang, config)
    foreign = _state.foreign.get(lang, set())
    names = _state.page_names.get(lang, {})
    settings = SEARCH.get(lang, SEARCH["en"])
    docs = []
    for entry in _state.entries.get(lang, []):
        entry = dict(entry)
        path = entry["location"].split("#", 1)[0]
        if path in foreign:
            continue  # shown here in another language: it is in that language's index
        if prefix and entry["location"].startswith(prefix):
            entry["location"] = entry["location"][len(prefix) :]
        if "#" not in entry["location"] and path in names:
            terms = (data["pages"].get(names[path]) or {}).get(lang) or []
            if terms:
                entry[SYNONYMS_FIELD] = [str(term) for term in terms]
        docs.append(entry)
    separator = search_config.get("separator") or r"[\s\-]+"
    if settings["korean"]:
        separator = f"{korean_separator(data['korean_compounds'])}|{separator}"
    fields = dict(search_config.get("fields") or {})
    fields[SYNONYMS_FIELD] = {"boost": float(data["boost"])}
    return {
        "config": {
            "lang": settings["lang"],
            "separator": separator,
            "pipeline": settings["pipeline"],
            "fields": fields,
            "expand": settings["expand"],
            "phrases": data["korean_compounds"] if settings["korean"] else [],
        },
        "docs": docs,
    }


def _check_synonyms(data: dict) -> None:
    known = {name for names in _state.page_names.values() for name in names.values()}
    for name in data["pages"]:
        if name not in known:
            log.warning(f"i18n_fixes: {Path(SYNONYMS_FILE).name}: no page '{name}' was built")


@event_priority(-200)  # after the i18n plugin's nested builds and merged index
def _write_outputs(config) -> None:
    if _nested(config):
        return
    site = Path(config.site_dir)
    search = config.plugins.get("material/search") or config.plugins.get("search")
    synonyms = _load_synonyms(config)
    _check_synonyms(synonyms)
    if search is not None and search.config.enabled and _state.entries:
        for lang in _languages(config):
            index = _search_index(lang, config, dict(search.config), synonyms)
            path = site / _lang_prefix(lang, config) / "search" / "search_index.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                json.dumps(index, ensure_ascii=False, separators=(",", ":")),
                encoding="utf-8",
            )
    for lang, html in _state.not_found.items():
        path = site / _lang_prefix(lang, config) / "404.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")


on_post_build = CombinedEvent(_collect_search_entries, _write_outputs)
