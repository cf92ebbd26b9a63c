"""Search, in headless Chromium, through the site's own search box: each language
searches its own pages only, and concept queries (with Korean particles,
transliterations, spacing variants, English plurals and casing) put the page that
teaches the concept first.

The tables below are the contract. An expected page is the one that teaches the concept
(the glossary links each term to it); when a query fails, fix the ranking
(hooks/search_synonyms.yml, hooks/i18n_fixes.py), not the table, unless the page that
teaches the concept has moved."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import browsing
import pytest

pytestmark = pytest.mark.browser

# (query, expected page, what the query exercises)
KOREAN_QUERIES = [
    ("그린렛", "greenlets", "the term as the pages write it"),
    ("그린렛은", "greenlets", "particle 은"),
    ("Greenlet을", "greenlets", "Latin word followed by a particle"),
    ("그린릿", "greenlets", "other transliteration"),
    ("허브", "greenlets", "glossary term"),
    ("컨텍스트 스위치", "greenlets", "glossary's other spelling"),
    ("협력적 멀티태스킹", "greenlets", "glossary term"),
    ("코루틴", "introduction", "glossary term"),
    ("이벤트루프", "introduction", "compound written without a space"),
    ("libev", "introduction", "glossary term, Latin"),
    ("I/O 바운드", "introduction", "glossary term"),
    ("몽키패치", "monkey-patching", "transliteration written without a space"),
    ("패치는", "monkey-patching", "particle 는"),
    ("몽키 패칭", "monkey-patching", "glossary's other spelling"),
    ("쓰레드", "threadpool", "other transliteration of 스레드"),
    ("스레드 풀에서", "threadpool", "particle 에서"),
    ("큐는", "queue", "particle 는 after one syllable"),
    ("Queue를", "queue", "API name followed by a particle"),
    ("LoopExit", "queue", "glossary term, camel case"),
    ("풀", "pool", "one-syllable word that is also in 스레드 풀"),
    ("타임아웃", "timeout", "glossary term"),
    ("시간 제한", "timeout", "glossary's other spelling"),
    ("이벤트를", "event", "particle 를"),
    ("하위 프로세스", "subprocess", "glossary's other spelling"),
    ("DNS 조회", "sockets", "glossary term"),
    ("비차단", "caveats", "glossary's other spelling"),
    ("CPU 바운드", "caveats", "glossary term"),
    ("비동기", "sync-async", "glossary term"),
    ("웹소켓으로", "websocket-server", "particle 으로"),
    ("가상환경", "installation", "compound written without a space"),
]

ENGLISH_QUERIES = [
    ("greenlets", "greenlets", "plural"),
    ("Greenlet", "greenlets", "capitalised singular"),
    ("Monkey patching", "monkey-patching", "capitalised, two words"),
    ("monkey-patch", "monkey-patching", "hyphenated verb"),
    ("queues", "queue", "plural the text never uses"),
    ("pools", "pool", "plural the text never uses"),
    ("timeouts", "timeout", "plural the text never uses"),
    ("monkey patches", "monkey-patching", "plural of the noun"),
    ("Event", "event", "one word of the query 'event loop', capitalised"),
    ("events", "event", "plural"),
    ("event loop", "introduction", "two words, the first one another page's title"),
    ("Coroutines", "introduction", "capitalised plural"),
    ("HUB", "greenlets", "upper case"),
    ("LoopExit", "queue", "camel case"),
    ("context switch", "greenlets", "glossary term"),
    ("cooperative multitasking", "greenlets", "glossary term"),
    ("thread pool", "threadpool", "two words, the second one another page's title"),
    ("ThreadPool", "threadpool", "class name"),
    ("subprocesses", "subprocess", "plural"),
    ("child process", "subprocess", "other wording"),
    ("DNS lookup", "sockets", "glossary term"),
    ("WebSockets", "websocket-server", "capitalised plural"),
    ("venv", "installation", "glossary's other spelling"),
    ("non-blocking", "caveats", "hyphenated glossary term"),
    ("CPU-bound", "caveats", "hyphenated glossary term"),
    ("asynchronous", "sync-async", "glossary term"),
]

QUERIES = {"ko": KOREAN_QUERIES, "en": ENGLISH_QUERIES}


def ranks(site, items) -> list[tuple[str, str] | None]:
    return [site.page_of(item["href"].split("?")[0].split("#")[0]) for item in items]


def rank_of(site, items, name: str, lang: str) -> int | None:
    for rank, page in enumerate(ranks(site, items), start=1):
        if page == (name, lang):
            return rank
    return None


@pytest.mark.parametrize("lang", browsing.LANGUAGES)
def test_concept_queries_put_the_teaching_page_first(tabs, site, lang) -> None:
    page = tabs.new_page()
    page.goto(site.url("index", lang))
    report, failures = [], []
    for query, expected, why in QUERIES[lang]:
        result = browsing.search(page, query)
        rank = rank_of(site, result["items"], expected, lang)
        top = ranks(site, result["items"][:3])
        report.append(f"{query!r:28} -> {expected:17} rank {rank}  (top: {top})")
        if rank != 1:
            failures.append(f"{query!r} ({why}): {expected} is at rank {rank}; first three: {top}")
    print("\n".join(report))
    assert len(QUERIES[lang]) >= 20
    assert not failures, "\n".join(failures)


# English plurals that no synonym lists: they find their page through the singular form
# the page adds to every English query (overrides/main.html).
HELD_OUT_PLURALS = [
    ("semaphores", "caveats"),
    ("servers", "wsgi-server"),
    ("workers", "queue"),
    ("processes", "subprocess"),
    ("pipes", "subprocess"),
    ("locks", "caveats"),
    ("waiters", "event"),
    ("handlers", "websocket-server"),
]


def test_english_plurals_find_their_page_without_synonyms(tabs, site) -> None:
    listed = (browsing.REPO / "hooks" / "search_synonyms.yml").read_text(encoding="utf-8")
    synonyms = set(re.findall(r"[\w-]+", listed))
    page = tabs.new_page()
    page.goto(site.url("index", "en"))
    failures = []
    for query, expected in HELD_OUT_PLURALS:
        assert query not in synonyms, f"{query!r} is a listed synonym: not held out"
        result = browsing.search(page, query)
        rank = rank_of(site, result["items"], expected, "en")
        if rank != 1:
            top = ranks(site, result["items"][:3])
            failures.append(f"{query!r}: {expected} is at rank {rank}; first three: {top}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("lang", "queries"),
    [
        # words in both languages' indexes, and words of the other language
        ("ko", ["gevent", "greenlet", "Queue", "spawn", "pywsgi", "patch_all"]),
        ("en", ["gevent", "greenlet", "Queue", "spawn", "pywsgi", "그린렛", "몽키"]),
    ],
)
def test_each_language_searches_its_own_pages(tabs, site, lang, queries) -> None:
    page = tabs.new_page()
    page.goto(site.url("greenlets", lang))
    foreign, empty = [], []
    for query in queries:
        items = browsing.search(page, query)["items"]
        found = ranks(site, items)
        if not items and re.search(r"[A-Za-z]", query):
            empty.append(query)
        foreign += [
            f"{query!r} -> {item['href']}"
            for item, p in zip(items, found, strict=True)
            if p is None
        ]
        foreign += [f"{query!r} -> {p}" for p in found if p is not None and p[1] != lang]
    assert not foreign, f"results outside the {lang} pages:\n" + "\n".join(foreign)
    assert not empty, f"no {lang} results for {empty}"


def test_each_language_has_its_own_index(site) -> None:
    """The files themselves: two indexes, each listing only its language's pages, each
    with the settings of its language."""
    indexes = {}
    for lang in browsing.LANGUAGES:
        prefix = "" if lang == browsing.DEFAULT_LANGUAGE else f"{lang}/"
        path = site.folder / prefix / "search" / "search_index.json"
        assert path.is_file(), f"no search index at {path.relative_to(site.folder)}"
        indexes[lang] = json.loads(path.read_text(encoding="utf-8"))
    ko, en = indexes["ko"], indexes["en"]
    # locations are relative to each language's root (Material resolves them against
    # `base`)
    assert not [d["location"] for d in ko["docs"] if d["location"].startswith("en/")]
    assert not [d["location"] for d in en["docs"] if d["location"].startswith("en/")]
    built = {(name, lang) for name, lang in site.pages()}
    for lang, index in indexes.items():
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        # each page's path below its language's root ("", "greenlets/", ...)
        names = {browsing.page_path(name, "ko") for name, page_lang in built if page_lang == lang}
        assert pages == names, f"{lang} index pages differ from the built {lang} pages"

    def hangul_share(index: dict) -> float:
        text = "".join(doc["title"] + doc["text"] for doc in index["docs"])
        letters = re.findall(r"[가-힣A-Za-z]", text)
        return sum("가" <= c <= "힣" for c in letters) / len(letters)

    # code is Latin in both; the English index quotes Korean words (its glossary does)
    assert hangul_share(ko) > 0.25, f"the Korean index is {hangul_share(ko):.0%} Hangul"
    assert hangul_share(en) < 0.05, f"the English index is {hangul_share(en):.0%} Hangul"
    assert ko["config"]["pipeline"] == [], "lunr's English pipeline must not touch Korean"
    assert "stemmer" not in en["config"]["pipeline"]
    # the Korean separator (a JavaScript regular expression; Python's re reads this one
    # the same way) drops particles and splits Latin letters from Hangul
    separator = re.compile(ko["config"]["separator"])
    for text, tokens in [
        ("Greenlet을", ["Greenlet"]),
        ("큐에서는", ["큐"]),
        ("gevent로", ["gevent"]),
    ]:
        assert [t for t in separator.split(text) if t] == tokens, text


def test_search_opens_from_the_keyboard_and_goes_to_the_result(tabs, site) -> None:
    for lang, query, expected in [("ko", "큐는", "queue"), ("en", "pools", "pool")]:
        page = tabs.new_page()
        page.goto(site.url("introduction", lang))
        browsing.wait_until_ready(page)
        page.locator("body").click(position={"x": 5, "y": 300})  # focus the page, not a field
        page.locator("input.md-search__input").evaluate("el => el.value = ''")
        page.keyboard.press("/")
        focused = page.evaluate("document.activeElement.matches('input.md-search__input')")
        assert focused, "'/' did not focus the search box"
        page.keyboard.type(query)
        # Playwright types Hangul as inserted text, without the key events an input
        # method sends; Material reads the box on keyup, so give it one (End moves
        # nothing here)
        page.keyboard.press("End")
        # Results arrive for each prefix typed ("p", "po", ...): wait for the answer to
        # the whole query, whose first result is the expected page, before choosing it.
        page.wait_for_function(
            """([query, path]) => {
                const box = document.querySelector("input.md-search__input")
                const first = document.querySelector(".md-search-result__item a")
                return box.value === query && first && new URL(first.href).pathname === path
            }""",
            arg=[query, urlsplit(site.url(expected, lang)).path],
            timeout=8000,
        )
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(site.url(expected, lang))))
        assert urlsplit(page.url).path == urlsplit(site.url(expected, lang)).path


def glossary_queries(lang: str) -> list[tuple[str, set[str]]]:
    """(term, pages it links to) for every term of docs/<lang>/glossary.md, and for each
    other spelling it lists ("다른 표기:", "also written:", "also called:", "also:")."""
    text = (browsing.REPO / "docs" / lang / "glossary.md").read_text(encoding="utf-8")
    found = []
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        term = re.sub(r"\{.*?\}", "", title).strip()
        pages = set(re.findall(r"\]\(([\w-]+)\.md", body))
        if not pages:
            continue
        spellings = [term]
        for match in re.finditer(r"(?:다른 표기|also written|also called|also):\s*([^·\n]+)", body):
            spellings += [s.strip(" `") for s in match.group(1).split(",")]
        found += [(spelling, pages) for spelling in spellings if spelling]
    return list({query: (query, pages) for query, pages in found}.values())


@pytest.mark.parametrize("lang", browsing.LANGUAGES)
def test_every_glossary_term_finds_the_page_that_teaches_it(tabs, site, lang) -> None:
    """The glossary links each term to where it is taught: that page comes first (when
    a term links to two pages, either one)."""
    queries = glossary_queries(lang)
    assert len(queries) >= 20, f"only {len(queries)} terms found in the {lang} glossary"
    page = tabs.new_page()
    page.goto(site.url("glossary", lang))
    failures = []
    for query, pages in queries:
        items = browsing.search(page, query)["items"]
        first = ranks(site, items[:1])
        if not first or first[0] is None or first[0][0] not in pages:
            top = ranks(site, items[:3])
            failures.append(f"{query!r}: expected one of {sorted(pages)} first, got {top}")
    assert not failures, "\n".join(failures)
