"""Search in each language: its own index, tokenizer settings (Korean particles, Hangul
next to Latin letters), the synonyms of search_synonyms.yml, and Material pointed at
that index and at the site's own search worker."""

from __future__ import annotations

import json
import logging
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.plugins.gevent_guide")

SYNONYMS_FILE = "search_synonyms.yml"  # beside mkdocs.yml
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


@dataclass
class Built:
    """What the builds of one `mkdocs build` collect, by language."""

    entries: dict[str, list[dict]] = field(default_factory=dict)  # search entries
    foreign: dict[str, set[str]] = field(default_factory=dict)  # urls of other-language pages
    page_names: dict[str, dict[str, str]] = field(default_factory=dict)  # url -> page name
    not_found: dict[str, str] = field(default_factory=dict)  # the rendered 404 page
    original_files: dict[str, list[File]] = field(default_factory=dict)  # before i18n


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
            log.warning(f"gevent-guide-i18n: korean_compounds: {compound!r} is not two words")
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


def load_synonyms(root: Path) -> dict:
    data = {}
    path = root / SYNONYMS_FILE
    if path.is_file():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.setdefault("boost", 10000)
    data.setdefault("korean_compounds", [])
    data["pages"] = data.get("pages") or {}
    return data


def check_synonyms(built: Built, data: dict) -> None:
    known = {name for names in built.page_names.values() for name in names.values()}
    for name in data["pages"]:
        if name not in known:
            log.warning(f"gevent-guide-i18n: {SYNONYMS_FILE}: no page '{name}' was built")


def search_index(built: Built, lang: str, prefix: str, search_config: dict, data: dict) -> dict:
    """The search index of one language: its own pages only, page synonyms, and its
    tokenizer settings."""
    foreign = built.foreign.get(lang, set())
    names = built.page_names.get(lang, {})
    settings = SEARCH.get(lang, SEARCH["en"])
    docs = []
    for entry in built.entries.get(lang, []):
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


def configure_search(html: str, prefix: str) -> str:
    """Point Material's `base` (where it fetches search/search_index.json and against
    which it resolves result links) at this language's root, and its search worker at
    the site's own, which imports Material's (named in the query string)."""

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
        log.warning("gevent-guide-i18n: no Material __config script; search would mix languages")
    return html
