"""The guards on the real site: both languages stay together, every link resolves, no
removed gevent API is taught, and the pages name the versions their examples ran with.
The logic and its messages live in gevent_guide/checks/ and gevent_guide/translations/;
tests/guards/ breaks copies of a small site on purpose to pin every message down.

    pytest tests/test_guards.py
    gevent-guide translations status        # the staleness report alone
"""

from __future__ import annotations

import warnings

import pytest

from gevent_guide.checks import apis, common, links, nav, parity, versions
from gevent_guide.translations import status


def report(problems: list[str], what: str) -> None:
    """Fail with one message per line (each names its file, line and fix)."""
    if problems:
        pytest.fail(f"{len(problems)} {what}:\n" + "\n".join(problems), pytrace=False)


def test_both_languages_have_the_same_pages_sections_snippets_and_notes() -> None:
    problems = parity.parity()
    report(problems, "difference(s) between the languages")


def test_nav_lists_every_page_in_both_languages() -> None:
    pytest.importorskip("yaml", reason="reading mkdocs.yml needs PyYAML (the site's tools)")
    problems = nav.nav()
    report(problems, "nav problem(s) in mkdocs.yml")


def test_no_section_is_behind_in_either_language() -> None:
    failures, notes = status.problems(common.REPO)
    for note in notes:  # `translations.py later`: published with a notice on purpose
        warnings.warn(note, stacklevel=1)
    report(failures, "translation problem(s)")


def test_every_internal_link_and_anchor_resolves(built_site, capsys) -> None:
    assert built_site.result.returncode == 0, "the site did not build (see test_build.py)"
    result = links.site_links(built_site.folder)
    with capsys.disabled():
        print(f"\nexternal links on the site (listed, not fetched): {len(result.external)}")
        for url in sorted(result.external):
            print(f"  {url}")
    report(result.problems, "broken or insecure link(s)")


def test_no_removed_or_missing_gevent_api() -> None:
    problems = apis.removed_apis()
    report(problems, "use(s) of gevent APIs that do not exist")


def test_pages_name_the_versions_the_examples_ran_with() -> None:
    failures, notes = versions.versions()
    for note in notes:
        warnings.warn(note, stacklevel=1)
    report(failures, "version problem(s)")


# One distinctive part of every message the guards print (gevent_guide/checks/ and
# gevent_guide/translations/); CONTRIBUTING shows each with its fix, in both languages.
GUARD_MESSAGES = [
    # parity
    "has no English counterpart",
    "has no explicit anchor",
    "is already used on line",
    "the title has",
    "is missing (",
    "comes where",
    "does not include",
    "; fix: include the snippets in the same order",
    "annotation marker(s) but",
    "annotation markers are (",
    "this code block has",
    # nav
    "is not in the nav of mkdocs.yml",
    "nav entry",
    "has no English title",
    # staleness
    "which changed after the last translation",
    "changed in both languages since the last translation",
    "is not in translations.json",
    "(its text matches)",
    "(its sections match)",
    "any more; fix:",
    "matches no section of",
    "translations.json:1: missing",
    "not valid JSON",
    # links in the built HTML
    "has no anchor #",
    "does not exist; fix: link to a page that the site has",
    "points outside the site's folder",
    "is not https",
    # links in the Markdown: MkDocs' own validation (mkdocs.yml), shown the same way
    "does not contain an anchor",
    "there is no such anchor on this page",
    "is not found among documentation files",
    "contains an unrecognized relative link",
    "contains an absolute link",
    # removed APIs
    "was removed (gevent",
    "does not exist in gevent",
    "has no argument",
    "calls a module in gevent",
    "not valid Python",
    # versions
    "the examples were last verified with",
    "verified-with.json:1: missing",
    "the outputs were recorded with Python",
]


@pytest.mark.parametrize("name", ["CONTRIBUTING.md", "CONTRIBUTING.ko.md"])
def test_contributing_shows_every_guard_message(name: str) -> None:
    path = common.REPO / name
    if not path.exists():
        pytest.skip(f"no {name}")
    text = path.read_text(encoding="utf-8")
    report(
        [
            f"{name}: does not show the guard message {phrase!r}; fix: add the message and"
            " its fix to the guards section (the exact texts are in"
            " tests/guards/)"
            for phrase in GUARD_MESSAGES
            if phrase not in text
        ],
        "guard message(s) missing from " + name,
    )
