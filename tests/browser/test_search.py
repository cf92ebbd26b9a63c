"""Search, in headless Chromium, driven as readers drive it (tests/browser/reader.py):
the box is focused by a click, by `/` or by a tap; text comes from the keyboard, a
Korean input method, Ctrl+V or with no key at all; pages are searched while loading,
right after load and after sitting idle, on a desktop and a phone screen. Each language
searches its own pages only, and concept queries (with Korean particles,
transliterations, spacing variants, English plurals and casing) put the page that
teaches the concept first. A Korean word is found while it is still being composed, and
from its initial consonants (초성).

    make test          every query once, every way x moment x screen at least once
    make test-search   every query in every way, moment and screen (the full matrix)

The tables below are the contract. An expected page is the one that teaches the concept
(the glossary links each term to it); when a query fails, fix the ranking
(search_synonyms.yml, gevent_guide/site/search_index.py, the search worker in
overrides/assets/javascripts/workers/), not the table, unless the page that teaches the
concept has moved."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from gevent_guide.browser import chromium, hangul
from gevent_guide.browser.reader import (
    DESKTOP,
    SCREENS,
    Entry,
    Moment,
    Screen,
    SearchBox,
    Way,
    search_as,
    ways_for,
)
from gevent_guide.project import project

PROJECT = project()

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
    ("채팅", "chat", "page topic"),
    ("백프레셔", "chat", "glossary term"),
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
    ("chat", "chat", "page topic"),
    ("backpressure", "chat", "glossary term"),
    ("Running in production", "production", "page title with a stop word (in* finds install)"),
    ('"in production"', "production", "quoted phrase with a stop word (each word required)"),
]

QUERIES = {"ko": KOREAN_QUERIES, "en": ENGLISH_QUERIES}


def page_at(site, href: str) -> tuple[str, str] | None:
    return site.page_of(href.split("?")[0].split("#")[0])


def rank_of(site, hrefs: list[str], name: str, lang: str) -> int | None:
    for rank, href in enumerate(hrefs, start=1):
        if page_at(site, href) == (name, lang):
            return rank
    return None


def top(site, hrefs: list[str], n: int = 3) -> list:
    return [page_at(site, href) for href in hrefs[:n]]


# ------------------------------------------------------------------ readers, every way


@dataclass(frozen=True)
class Search:
    """One reader's search: the query, the page it should find, how and when."""

    query: str
    expected: str
    lang: str
    screen: Screen
    way: Way
    moment: Moment

    def __str__(self) -> str:
        return f"{self.query!r} ({self.screen.name}, {self.way}, {self.moment.value})"


def plan(lang: str, screen: Screen, full: bool) -> list[Search]:
    """The searches of one language on one screen. Full: every query in every way at
    every moment. Otherwise every query at least once, and every way x moment x screen
    at least once: queries and combinations are dealt out side by side, the combinations
    of both screens counted together so that each screen gets its share."""
    queries = QUERIES[lang]
    combos = [(s, way, moment) for s in SCREENS for way in ways_for(s, lang) for moment in Moment]
    if full:
        dealt = [(q, c) for q in queries for c in combos]
    else:
        count = max(len(queries), len(combos))
        dealt = [(queries[i % len(queries)], combos[i % len(combos)]) for i in range(count)]
    return [
        Search(query, expected, lang, s, way, moment)
        for (query, expected, _), (s, way, moment) in dealt
        if s == screen
    ]


def run_plan(browser, site, lang: str, screen: Screen, searches: list[Search]) -> None:
    tabs = chromium.watch(chromium.new_context(browser, **screen_options(screen)))
    page = tabs.new_page()
    idle = None  # one page that sat idle serves every search of that moment
    report, failures = [], []
    try:
        for search in sorted(searches, key=lambda s: s.moment is Moment.IDLE):
            if search.moment is Moment.IDLE:
                if idle is None:
                    idle = SearchBox(page, screen)
                    idle.open(site.url("index", lang), Moment.IDLE)
                box = idle
            else:
                box = SearchBox(page, screen)
                box.open(site.url("index", lang), search.moment)
            try:
                found = search_as(box, search.way, search.query, stay=box is idle)
            except (AssertionError, PlaywrightError) as exc:
                failures.append(f"{search}: {str(exc).splitlines()[0]}")
                page.close()
                page, idle = tabs.new_page(), None
                continue
            rank = rank_of(site, found, search.expected, lang)
            report.append(f"{str(search):75} -> {search.expected} at rank {rank}")
            if rank != 1:
                failures.append(
                    f"{search}: {search.expected} at rank {rank}; top: {top(site, found)}"
                )
    finally:
        tabs.context.close()
    print("\n".join(report))
    problems = tabs.problems()
    assert not failures, "\n".join(failures)
    assert not problems, "\n".join(problems)


def screen_options(screen: Screen) -> dict:
    return {**screen.context_options(), "permissions": ["clipboard-read", "clipboard-write"]}


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
@pytest.mark.parametrize("lang", PROJECT.languages)
def test_readers_find_the_teaching_page_first(browser, site, lang, screen) -> None:
    """Every query once; every way x moment x screen at least once."""
    searches = plan(lang, screen, full=False)
    assert searches
    run_plan(browser, site, lang, screen, searches)


@pytest.mark.search_matrix
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("entry", Entry, ids=lambda e: e.name.lower())
@pytest.mark.parametrize("moment", Moment, ids=lambda m: m.name.lower())
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
@pytest.mark.parametrize("lang", PROJECT.languages)
def test_every_query_every_way(browser, site, lang, screen, moment, entry) -> None:
    """The full matrix (make test-search): every query x way x moment x screen, one
    item per language, screen, moment and entry so that `-n` spreads them."""
    if entry is Entry.IME and lang != "ko":
        pytest.skip("an input method composes Hangul: Korean queries only")
    searches = [
        s for s in plan(lang, screen, full=True) if s.moment is moment and s.way.entry is entry
    ]
    assert searches
    run_plan(browser, site, lang, screen, searches)


def test_the_plans_cover_every_query_and_combination() -> None:
    """The pairwise plan of `make test` misses no query and no way x moment x screen."""
    for lang in PROJECT.languages:
        searches = [s for screen in SCREENS for s in plan(lang, screen, full=False)]
        assert {s.query for s in searches} == {q for q, _, _ in QUERIES[lang]}
        combos = {(s.screen, s.way, s.moment) for s in searches}
        wanted = {(sc, w, m) for sc in SCREENS for w in ways_for(sc, lang) for m in Moment}
        assert combos == wanted, f"{lang}: not covered: {wanted - combos}"
    assert any(s.way.entry is Entry.IME for s in plan("ko", DESKTOP, full=False))


# ------------------------------------------------------------------ one settled page


@pytest.fixture
def settled(tabs, site):
    """A settled page per language, searched with text that arrives with no key."""

    def open_(lang: str, name: str = "index", screen: Screen = DESKTOP) -> SearchBox:
        box = SearchBox(tabs.new_page(), screen)
        box.open(site.url(name, lang), Moment.LOADED)
        box.focus("click")
        return box

    return open_


def ask(box: SearchBox, query: str) -> list[str]:
    box.enter(query, Entry.NO_KEY)
    found = box.results()
    box.clear()
    return found


# English plurals that no synonym lists: they find their page through the singular form
# the search worker adds to every English query (overrides/assets/javascripts/workers/).
HELD_OUT_PLURALS = [
    ("semaphores", "coordination"),
    ("servers", "wsgi-server"),
    ("workers", "queue"),
    ("processes", "subprocess"),
    ("pipes", "subprocess"),
    ("locks", "caveats"),
    ("waiters", "event"),
    ("handlers", "lifecycle"),  # signal handlers
]


def test_english_plurals_find_their_page_without_synonyms(settled, site) -> None:
    listed = (PROJECT.root / "search_synonyms.yml").read_text(encoding="utf-8")
    synonyms = set(re.findall(r"[\w-]+", listed))
    box = settled("en")
    failures = []
    for query, expected in HELD_OUT_PLURALS:
        assert query not in synonyms, f"{query!r} is a listed synonym: not held out"
        found = ask(box, query)
        rank = rank_of(site, found, expected, "en")
        if rank != 1:
            failures.append(
                f"{query!r}: {expected} is at rank {rank}; first three: {top(site, found)}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("lang", "queries"),
    [
        # words in both languages' indexes, and words of the other language
        ("ko", ["gevent", "greenlet", "Queue", "spawn", "pywsgi", "patch_all"]),
        ("en", ["gevent", "greenlet", "Queue", "spawn", "pywsgi", "그린렛", "몽키"]),
    ],
)
def test_each_language_searches_its_own_pages(settled, site, lang, queries) -> None:
    box = settled(lang, "greenlets")
    foreign, empty = [], []
    for query in queries:
        found = ask(box, query)
        pages = [page_at(site, href) for href in found]
        if not found and re.search(r"[A-Za-z]", query):
            empty.append(query)
        foreign += [
            f"{query!r} -> {href}" for href, p in zip(found, pages, strict=False) if p is None
        ]
        foreign += [f"{query!r} -> {p}" for p in pages if p is not None and p[1] != lang]
    assert not foreign, f"results outside the {lang} pages:\n" + "\n".join(foreign)
    assert not empty, f"no {lang} results for {empty}"


def test_each_language_has_its_own_index(site) -> None:
    """The files themselves: two indexes, each listing only its language's pages, each
    with the settings of its language."""
    indexes = {}
    for lang in PROJECT.languages:
        prefix = "" if lang == PROJECT.default_language else f"{lang}/"
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
        names = {PROJECT.page_path(name, "ko") for name, page_lang in built if page_lang == lang}
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
    assert ko["config"]["expand"] == ["hangul"] and en["config"]["expand"] == ["plurals"]
    # the Korean separator (a JavaScript regular expression; Python's re reads this one
    # the same way) drops particles and splits Latin letters from Hangul
    separator = re.compile(ko["config"]["separator"])
    for text, tokens in [
        ("Greenlet을", ["Greenlet"]),
        ("큐에서는", ["큐"]),
        ("gevent로", ["gevent"]),
    ]:
        assert [t for t in separator.split(text) if t] == tokens, text


@pytest.mark.parametrize(
    ("lang", "query", "expected"), [("ko", "큐는", "queue"), ("en", "pools", "pool")]
)
def test_search_opens_from_the_keyboard_and_goes_to_the_result(
    tabs, site, lang, query, expected
) -> None:
    """`/`, the query typed key by key (Hangul arrives as text, with no key going up),
    then ArrowDown and Enter to the first result."""
    box = SearchBox(tabs.new_page(), DESKTOP)
    box.open(site.url("introduction", lang), Moment.IDLE)
    box.focus("slash")
    box.enter(query, Entry.KEYS_FAST)
    found = box.results()
    assert page_at(site, found[0]) == (expected, lang), top(site, found)
    box.page.keyboard.press("ArrowDown")
    box.page.keyboard.press("Enter")
    box.page.wait_for_url(re.compile(re.escape(site.url(expected, lang))))
    assert urlsplit(box.page.url).path == urlsplit(site.url(expected, lang)).path


def glossary_queries(lang: str) -> list[tuple[str, set[str]]]:
    """(term, pages it links to) for every term of docs/<lang>/glossary.md, and for each
    other spelling it lists ("다른 표기:", "also written:", "also called:", "also:")."""
    text = (PROJECT.root / "docs" / lang / "glossary.md").read_text(encoding="utf-8")
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


@pytest.mark.parametrize("lang", PROJECT.languages)
def test_every_glossary_term_finds_the_page_that_teaches_it(settled, site, lang) -> None:
    """The glossary links each term to where it is taught: that page comes first (when
    a term links to two pages, either one)."""
    queries = glossary_queries(lang)
    assert len(queries) >= 20, f"only {len(queries)} terms found in the {lang} glossary"
    box = settled(lang, "glossary")
    failures = []
    for query, pages in queries:
        first = top(site, ask(box, query), 1)
        if not first or first[0] is None or first[0][0] not in pages:
            failures.append(f"{query!r}: expected one of {sorted(pages)} first, got {first}")
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------ Korean as it is typed


def counted_states(query: str) -> list[hangul.Step]:
    """The input method's steps of `query` from the first key of its second Hangul
    syllable on: every prefix of two or more syllables, in every composition state of
    its last syllable (글 on the way to 그린, 그린ㄹ and 그린레 on the way to 그린렛)."""
    syllables = [c for c in query if hangul.is_syllable(c)]
    if len(syllables) < 2:
        return []
    first = len(hangul.keys(syllables[0]))
    return [
        step
        for step in hangul.ime_steps(query)
        if len(hangul.keys("".join(c for c in step.shown if "ㄱ" <= c <= "힣"))) > first
    ]


def korean_concepts(full: bool) -> list[tuple[str, str]]:
    """(query, page) of the Korean concept queries with two syllables or more; without
    `full`, one per page, the longest (the most states)."""
    found = [(q, page) for q, page, _ in KOREAN_QUERIES if counted_states(q)]
    if full:
        return found
    longest = {}
    for query, page in found:
        if len(counted_states(query)) > len(counted_states(longest.get(page, ""))):
            longest[page] = query
    return [(q, page) for page, q in sorted(longest.items())]


def sweep_compositions(box: SearchBox, site, concepts) -> tuple[list[str], int, int, int]:
    report, failures, states, first = [], [], 0, 0
    for query, expected in concepts:
        wanted = {step.shown for step in counted_states(query)}

        def check(shown: str, query=query, expected=expected, wanted=wanted) -> None:
            nonlocal states, first
            if shown not in wanted:
                return
            found = box.results()
            rank = rank_of(site, found, expected, "ko")
            states += 1
            first += rank == 1
            report.append(f"{shown!r:24} -> {expected} at rank {rank}")
            if rank is None or rank > 3:
                failures.append(
                    f"{shown!r} (typing {query!r}): {expected} at rank {rank};"
                    f" top: {top(site, found)}"
                )

        box.compose(query, each=check)
        box.clear()
    return report, failures, states, first


@pytest.mark.parametrize(
    "full", [pytest.param(True, marks=pytest.mark.search_matrix), False], ids=["all", "each-page"]
)
def test_korean_words_are_found_while_they_are_composed(settled, site, full) -> None:
    """Typed through the input method, every state with two syllables or more (the last
    one possibly still composing) ranks the concept's page in the top 3."""
    concepts = korean_concepts(full)
    assert concepts
    box = settled("ko")
    report, failures, states, first = sweep_compositions(box, site, concepts)
    print("\n".join(report))
    print(
        f"{states} composition states of {len(concepts)} queries: {first} ranked first, "
        f"{states - len(failures)} in the top 3"
    )
    assert states >= len(concepts)
    assert not failures, "\n".join(failures)


def test_initial_consonants_find_the_glossary_terms(settled, site) -> None:
    """초성 검색: a Korean glossary term of two syllables or more, typed as its initial
    consonants (ㄱㄹㄹ for 그린렛, ㅌㅇㅇㅇ for 타임아웃; Latin words as they are), finds
    its page first."""
    queries = [
        (hangul.initials(word), word, pages)
        for heading, pages in glossary_queries("ko")
        # a heading of two terms (동기와 비동기) is searched one term at a time
        for word in re.split(r"(?<=[가-힣A-Za-z])[와과] ", heading)
        # a single consonant stands for every word that begins with it: not a query
        if sum(hangul.is_syllable(c) for c in word) >= 2
    ]
    assert len(queries) >= 15
    box = settled("ko", "glossary")
    failures = []
    for query, term, pages in queries:
        first = top(site, ask(box, query), 1)
        print(f"{query!r:24} ({term}) -> {first}")
        if not first or first[0] is None or first[0][0] not in pages:
            failures.append(
                f"{query!r} ({term}): expected one of {sorted(pages)} first, got {first}"
            )
    assert not failures, "\n".join(failures)
