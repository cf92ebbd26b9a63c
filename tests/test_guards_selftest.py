"""The guards catch what they promise to, with the exact message a contributor sees.

Each test copies a small two-language site (tests/guards_fixture/: three pages, two
snippets, with the real mkdocs.yml, search_synonyms.yml and overrides), breaks it on purpose the way
an edit in one language breaks it, and asserts every message of gevent_guide/checks/ word
for word. CONTRIBUTING.md quotes these messages; change both together.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
from pathlib import Path

import pytest

from gevent_guide import project
from gevent_guide.checks import apis, common, links, nav, parity, versions
from gevent_guide.translations import commands, sections, status

FIXTURE = Path(__file__).resolve().parent / "guards_fixture"
MARK = "make translated PAGE="
TOOL = ".venv/bin/gevent-guide translations"


def make_site(root: Path, docs_from: Path = FIXTURE) -> Path:
    """A copy of the fixture (or of the real docs) with the project's real tooling, in
    sync: translations.json marked, verified-with.json written by this run."""
    root.mkdir(parents=True)
    for folder in ("docs", "snippets"):
        shutil.copytree(docs_from / folder, root / folder)
    shutil.copytree(common.REPO / "overrides", root / "overrides")
    shutil.copy(common.REPO / "search_synonyms.yml", root / "search_synonyms.yml")
    if (common.REPO / "hooks").is_dir():  # MkDocs hook files that mkdocs.yml names
        shutil.copytree(common.REPO / "hooks", root / "hooks")
    config = (common.REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if docs_from == FIXTURE:
        config = config[: config.index("\nnav:\n") + 1] + (FIXTURE / "nav.yml").read_text()
        keep_synonyms_of(root, set(common.page_names(root, "ko")))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for page in set(common.page_names(root, "ko")) & set(common.page_names(root, "en")):
        with contextlib.suppress(commands.UsageError):  # pages that differ: parity says how
            commands.mark(root, [page])
    versions.write_versions(root)
    return root


def keep_synonyms_of(root: Path, names: set[str]) -> None:
    """search_synonyms.yml (gevent_guide/site/search_index.py) warns about pages that are not
    built: keep only the fixture's."""
    synonyms = root / "search_synonyms.yml"
    if not synonyms.is_file():
        return
    try:
        import yaml
    except ImportError:  # Python < 3.11.5: no site tools, nothing is built
        return
    data = yaml.safe_load(synonyms.read_text(encoding="utf-8")) or {}
    data["pages"] = {k: v for k, v in (data.get("pages") or {}).items() if k in names}
    synonyms.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    rows = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, row in enumerate(rows, start=1) if text in row)


HAVE_YAML = importlib.util.find_spec("yaml") is not None
needs_yaml = pytest.mark.skipif(
    not HAVE_YAML, reason="reading mkdocs.yml needs PyYAML (the site's tools)"
)


def all_checks(root: Path) -> list[str]:
    failures = parity.parity(root) + apis.removed_apis(root)
    failures += nav.nav(root) if HAVE_YAML else []
    failures += status.problems(root)[0] + versions.versions(root)[0]
    return failures


def test_the_unbroken_fixture_passes_every_check(site: Path) -> None:
    assert all_checks(site) == []
    assert status.problems(site) == ([], [])


# ---------------------------------------------------------------- 1. parity


@needs_yaml
def test_a_page_removed_from_one_language(site: Path) -> None:
    (site / "docs/en/glossary.md").unlink()
    assert parity.parity(site) == [
        "docs/ko/glossary.md:1: has no English counterpart docs/en/glossary.md; fix: add"
        " docs/en/glossary.md with the same sections (or, if the page was deleted or"
        " renamed, delete or rename docs/ko/glossary.md too)"
    ]
    nav_line = line_of(site / "mkdocs.yml", "- glossary.md")
    assert nav.nav(site) == [
        f"mkdocs.yml:{nav_line}: nav entry glossary.md has no page docs/en/glossary.md;"
        " fix: add docs/en/glossary.md, or remove the entry from nav:"
    ]
    assert status.problems(site) == ([], [])  # one message is enough: parity's


def test_a_page_only_in_english(site: Path) -> None:
    (site / "docs/en/faq.md").write_text("# FAQ\n", encoding="utf-8")
    assert parity.parity(site) == [
        "docs/en/faq.md:1: has no Korean counterpart docs/ko/faq.md; fix: add"
        " docs/ko/faq.md with the same sections (or, if the page was deleted or renamed,"
        " delete or rename docs/en/faq.md too)"
    ]


def test_snippets_reordered_in_one_language(site: Path) -> None:
    en = site / "docs/en/queue.md"
    edit(en, '--8<-- "queue/basic.py"', "SWAP")
    edit(en, '--8<-- "queue/timeout.py"', '--8<-- "queue/basic.py"')
    edit(en, "SWAP", '--8<-- "queue/timeout.py"')
    assert parity.parity(site) == [
        'docs/en/queue.md:10: includes "queue/timeout.py" where docs/ko/queue.md:10'
        ' includes "queue/basic.py"; fix: include the snippets in the same order in both'
        " languages (ko: queue/basic.py, queue/basic.out, queue/timeout.py,"
        " queue/timeout.out; en: queue/timeout.py, queue/basic.out, queue/basic.py,"
        " queue/timeout.out)",
        'docs/en/queue.md:25: the code block including "queue/basic.py" has 2 annotation'
        " marker(s) but 0 numbered note(s) right after it; fix: follow the block with"
        " exactly 2 notes (1.  …), one per marker, as in the other language",
    ]


def test_a_snippet_missing_in_one_language(site: Path) -> None:
    edit(
        site / "docs/ko/queue.md",
        '```text title="출력"\n--8<-- "queue/timeout.out"\n```\n',
        "",
    )
    assert parity.parity(site) == [
        'docs/ko/queue.md:21: does not include "queue/timeout.out" (docs/en/queue.md:29'
        ' does); fix: add a code block with --8<-- "queue/timeout.out" in section #timeout,'
        " where docs/en/queue.md has it"
    ]


def test_an_anchor_renamed_in_one_language(site: Path) -> None:
    edit(site / "docs/en/queue.md", "{ #timeout }", "{ #timeouts }")
    assert parity.parity(site) == [
        "docs/ko/queue.md:33: section #timeouts is missing (docs/en/queue.md:21 has it);"
        " fix: add it here, translated, with a heading that ends in { #timeouts } (or"
        " remove it from docs/en/queue.md)",
        "docs/en/queue.md:33: section #timeout is missing (docs/ko/queue.md:21 has it);"
        " fix: add it here, translated, with a heading that ends in { #timeout } (or remove"
        " it from docs/ko/queue.md)",
    ]


def test_sections_in_another_order(site: Path) -> None:
    en = site / "docs/en/queue.md"
    text = en.read_text(encoding="utf-8")
    timeouts, further = text.index("## Timeouts"), text.index("## Further reading")
    en.write_text(text[:timeouts] + text[further:] + "\n" + text[timeouts:further])
    assert parity.parity(site) == [
        "docs/en/queue.md:21: section #more comes where docs/ko/queue.md:21 has #timeout;"
        " fix: order the sections the same in both languages (ko: #put-get, #timeout,"
        " #more; en: #put-get, #more, #timeout)"
    ]


def test_a_heading_without_an_anchor(site: Path) -> None:
    edit(site / "docs/en/queue.md", "## Timeouts { #timeout }", "## Timeouts")
    assert parity.parity(site) == [
        "docs/en/queue.md:21: heading ## Timeouts has no explicit anchor; fix: end it with"
        " { #some-id }, the same id as the matching heading of docs/ko/queue.md",
        "docs/en/queue.md:33: section #timeout is missing (docs/ko/queue.md:21 has it);"
        " fix: add it here, translated, with a heading that ends in { #timeout } (or remove"
        " it from docs/ko/queue.md)",
    ]


def test_an_anchor_used_twice(site: Path) -> None:
    edit(
        site / "docs/ko/queue.md",
        "## 더 읽을거리 { #more }",
        "## 더 읽을거리 { #more }\n\n### 참고 { #more }",
    )
    assert parity.parity(site) == [
        "docs/ko/queue.md:35: anchor #more is already used on line 33; fix: give every"
        " heading its own id"
    ]


def test_a_code_annotation_missing_in_one_language(site: Path) -> None:
    edit(
        site / "docs/en/queue.md",
        "2.  When the queue is full, `put()` waits until there is room.\n",
        "",
    )
    assert parity.parity(site) == [
        'docs/en/queue.md:10: the code block including "queue/basic.py" has 2 annotation'
        " marker(s) but 1 numbered note(s) right after it; fix: follow the block with"
        " exactly 2 notes (1.  …), one per marker, as in the other language"
    ]


def test_annotation_markers_out_of_order(site: Path) -> None:
    edit(site / "snippets/queue/basic.py", "# (2)!", "# (3)!")
    assert parity.parity(site) == [
        "snippets/queue/basic.py:13: annotation markers are (1), (3); fix: number them"
        " (1), (2), … in order, each once"
    ]


@needs_yaml
def test_a_page_missing_from_the_nav(site: Path) -> None:
    edit(site / "mkdocs.yml", "  - 정리:\n      - glossary.md\n", "")
    assert nav.nav(site) == [
        "docs/ko/glossary.md:1: is not in the nav of mkdocs.yml; fix: add `- glossary.md`"
        " to nav: in mkdocs.yml, under the section it belongs to (one entry serves both"
        " languages)"
    ]


@needs_yaml
def test_a_nav_title_without_translation(site: Path) -> None:
    edit(site / "mkdocs.yml", "  - 정리:\n", "  - 부록:\n")
    assert nav.nav(site) == [
        f"mkdocs.yml:{line_of(site / 'mkdocs.yml', '- 부록:')}: nav title '부록' has no"
        " English title; fix: add `부록: <English title>` to nav_translations: of the en"
        " language in mkdocs.yml"
    ]


# ---------------------------------------------------------------- 2. staleness


def test_a_section_edited_in_one_language_only(site: Path) -> None:
    ko = site / "docs/ko/queue.md"
    edit(ko, "발생합니다.", "발생합니다. 시간은 초 단위입니다.")
    behind = (
        "docs/en/queue.md:21: section #timeout is behind docs/ko/queue.md:21, which"
        " changed after the last translation; fix: bring the English text up to date,"
        f" then run `{MARK}queue` (or, to publish with a notice on the English page"
        f" until then, `{TOOL} later queue`)"
    )
    assert status.problems(site) == ([behind], [])
    assert commands.main(["status"], root=site) == 1

    # publish now, translate later: the check passes and names what is pending
    assert commands.main(["later", "queue"], root=site) == 0
    assert status.problems(site) == (
        [],
        [
            "docs/en/queue.md:21: section #timeout is behind docs/ko/queue.md:21; the site"
            f" shows a notice until it is translated and `{MARK}queue` is run"
        ],
    )
    # ... until the Korean text changes again
    edit(ko, "초 단위입니다", "초 단위의 실수입니다")
    assert status.problems(site) == ([behind], [])

    # translated: one command records it
    edit(site / "docs/en/queue.md", "it raises", "it raises, after that many seconds,")
    assert commands.main(["mark", "queue"], root=site) == 0
    assert status.problems(site) == ([], [])


def test_an_english_edit_makes_the_korean_page_behind(site: Path) -> None:
    edit(site / "docs/en/glossary.md", "event loop.", "event loop (libev or libuv).")
    assert status.problems(site)[0] == [
        "docs/ko/glossary.md:7: section #hub is behind docs/en/glossary.md:7, which changed"
        " after the last translation; fix: bring the Korean text up to date, then run"
        f" `{MARK}glossary` (or, to publish with a notice on the Korean page until then,"
        f" `{TOOL} later glossary`)"
    ]


def test_a_section_edited_in_both_languages(site: Path) -> None:
    edit(site / "docs/ko/queue.md", "발생합니다.", "발생합니다. 초 단위입니다.")
    edit(site / "docs/en/queue.md", "it raises", "it then raises")
    assert status.problems(site)[0] == [
        "docs/ko/queue.md:21: section #timeout changed in both languages since the last"
        " translation (also docs/en/queue.md:21); fix: once they say the same, run"
        f" `{MARK}queue`"
    ]


def test_a_new_section_is_not_recorded_yet(site: Path) -> None:
    edit(
        site / "docs/ko/queue.md",
        "## 더 읽을거리",
        "## 주의 { #caution }\n\n조심합니다.\n\n## 더 읽을거리",
    )
    edit(
        site / "docs/en/queue.md",
        "## Further",
        "## Caution { #caution }\n\nBe careful.\n\n## Further",
    )
    assert status.problems(site)[0] == [
        "docs/ko/queue.md:33: section #caution is not in translations.json; fix: once"
        f" docs/en/queue.md:33 says the same, run `{MARK}queue`"
    ]
    assert commands.main(["mark", "queue#caution"], root=site) == 0
    assert status.problems(site) == ([], [])


def test_a_new_page_is_not_recorded_yet(site: Path) -> None:
    for lang, title in (("ko", "자주 묻는 질문"), ("en", "FAQ")):
        (site / f"docs/{lang}/faq.md").write_text(f"# {title}\n", encoding="utf-8")
    assert status.problems(site)[0] == [
        "docs/ko/faq.md:1: page 'faq' is not in translations.json; fix: once"
        f" docs/en/faq.md says the same, run `{MARK}faq`"
    ]


def test_an_anchor_renamed_in_both_languages_keeps_its_record(site: Path) -> None:
    edit(site / "docs/ko/queue.md", "{ #timeout }", "{ #timeouts }")
    edit(site / "docs/en/queue.md", "{ #timeout }", "{ #timeouts }")
    line = line_of(site / "translations.json", '"timeout":')
    assert status.problems(site)[0] == [
        f"translations.json:{line}: queue#timeout was renamed to queue#timeouts (its text"
        f" matches); fix: run `{TOOL} rename queue#timeout queue#timeouts`"
    ]
    # an edit in one language after the rename is still seen against the old record
    edit(site / "docs/ko/queue.md", "발생합니다.", "발생합니다. 초 단위입니다.")
    assert "section #timeouts is behind" in status.problems(site)[0][1]
    assert commands.main(["rename", "queue#timeout", "queue#timeouts"], root=site) == 0
    assert [m.split(":", 2)[2][:30] for m in status.problems(site)[0]] == [
        " section #timeouts is behind d"
    ]


def test_a_page_renamed_in_both_languages_keeps_its_record(site: Path) -> None:
    for lang in ("ko", "en"):
        (site / f"docs/{lang}/glossary.md").rename(site / f"docs/{lang}/terms.md")
    line = line_of(site / "translations.json", '"glossary":')
    assert status.problems(site)[0] == [
        f"translations.json:{line}: page 'glossary' was renamed to 'terms' (its sections"
        f" match); fix: run `{TOOL} rename glossary terms`"
    ]
    assert commands.main(["rename", "glossary", "terms"], root=site) == 0
    assert status.problems(site) == ([], [])


def test_a_page_deleted_in_both_languages(site: Path) -> None:
    for lang in ("ko", "en"):
        (site / f"docs/{lang}/glossary.md").unlink()
    line = line_of(site / "translations.json", '"glossary":')
    assert status.problems(site)[0] == [
        f"translations.json:{line}: page 'glossary' has no docs/ko/glossary.md or"
        f" docs/en/glossary.md any more; fix: run `{TOOL} forget glossary` if it was"
        f" deleted, or `{TOOL} rename glossary <new name>` if it was renamed"
    ]
    assert commands.main(["forget", "glossary"], root=site) == 0
    assert status.problems(site) == ([], [])


def test_the_record_is_missing_or_broken(site: Path) -> None:
    record = site / "translations.json"
    record.write_text('{\n  "pages": {\n', encoding="utf-8")
    assert status.problems(site)[0] == [
        "translations.json:3: not valid JSON (Expecting property name enclosed in double"
        f" quotes); fix: restore it from git and re-run `{MARK}<page>` (never edit it by"
        " hand)"
    ]
    record.unlink()
    assert status.problems(site)[0] == [
        "translations.json:1: missing; fix: once both languages of every page say the"
        f" same, run `{MARK}--all` and commit translations.json"
    ]


def test_mark_refuses_pages_whose_sections_differ(site: Path, capsys) -> None:
    edit(site / "docs/en/queue.md", "{ #timeout }", "{ #timeouts }")
    assert commands.main(["mark", "queue"], root=site) == 2
    assert capsys.readouterr().err == (
        "gevent-guide translations: docs/ko/queue.md and docs/en/queue.md have different section"
        " anchors (ko: put-get, timeout, more; en: put-get, timeouts, more); give both the"
        " same `{ #anchor }` headings in the same order first\n"
    )


# ---------------------------------------------------------------- 3. links (real builds)


def mkdocs_warnings(result) -> list[str]:
    return [row for row in (result.stdout + result.stderr).splitlines() if row.startswith("WARN")]


def test_broken_links_in_the_markdown_fail_the_build_naming_page_and_link(
    tmp_path: Path,
) -> None:
    """MkDocs' own validation (mkdocs.yml, validation:) in strict mode, in each language."""
    pytest.importorskip("mkdocs", reason="building the site needs Python >= 3.11.5")
    root = make_site(tmp_path / "site")
    edit(root / "docs/ko/queue.md", "(glossary.md#greenlet)", "(glossary.md#greenlets)")
    edit(root / "docs/en/queue.md", "(#timeout)", "(#time-out)")
    edit(
        root / "docs/ko/index.md",
        "용어는",
        "[없는 쪽](nope.md)과 [없는 곳](nope/), [영어판](../en/)도 있습니다. 용어는",
    )
    edit(
        root / "docs/en/index.md",
        "Terms are",
        "See [the old guide](../../old/) and [the root](/queue.md). Terms are",
    )
    result = project.build_site(root / "out", root=root)
    assert result.returncode != 0
    assert "Aborted with" in result.stdout + result.stderr
    w = "WARNING -  Doc file"
    assert sorted(mkdocs_warnings(result)) == sorted(
        [
            f"{w} 'ko/queue.md' contains a link 'glossary.md#greenlets', but the doc"
            " 'ko/glossary.md' does not contain an anchor '#greenlets'.",
            f"{w} 'en/queue.md' contains a link '#time-out', but there is no such anchor on"
            " this page.",
            f"{w} 'ko/index.md' contains a link 'nope.md', but the target 'ko/nope.md' is not"
            " found among documentation files.",
            f"{w} 'ko/index.md' contains an unrecognized relative link 'nope/', it was left as is.",
            f"{w} 'ko/index.md' contains an unrecognized relative link '../en/', it was left"
            " as is.",
            f"{w} 'en/index.md' contains an unrecognized relative link '../../old/', it was"
            " left as is.",
            f"{w} 'en/index.md' contains an absolute link '/queue.md', it was left as is. Did"
            " you mean '../queue.md'?",
        ]
    )


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory: pytest.TempPathFactory):
    """One build that passes MkDocs' validation, of a copy with a section behind in each
    language, links MkDocs leaves alone (http, the site's host) and broken links in a
    template, and its link report."""
    pytest.importorskip("mkdocs", reason="building the site needs Python >= 3.11.5")
    root = make_site(tmp_path_factory.mktemp("links") / "site")
    old_docs = "[옛 문서](http://www.gevent.org/)도 있습니다. 용어는"
    edit(root / "docs/ko/index.md", "용어는", old_docs)
    old_site = "See [the old guide](https://gevent-guide.github.io/old/). Terms are"
    edit(root / "docs/en/index.md", "Terms are", old_site)
    edit(root / "docs/en/queue.md", "and the section on", "and, above, the section on")
    edit(root / "docs/ko/queue.md", "생산자는", "이제 생산자는")  # English behind
    edit(root / "docs/en/glossary.md", "event loop.", "event loop (libev).")  # Korean behind
    template = root / "overrides/404.html"
    edit(template, '"{{ home }}">첫 페이지', '"{{ home }}nope/">첫 페이지')
    edit(template, '"{{ home }}">home page', '"{{ home }}glossary/#hubs">home page')
    result = project.build_site(root / "out", root=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, links.site_links(root / "out", root)


def test_what_mkdocs_does_not_check_is_named_with_its_page(broken_build) -> None:
    _root, report = broken_build
    assert report.problems == [
        "site/404.html (from the theme, mkdocs.yml or a plugin): link /gevent-guide/nope/ ->"
        " nope/index.html does not exist; fix: link to a page that the site has",
        "site/en/404.html (from the theme, mkdocs.yml or a plugin): link"
        " /gevent-guide/en/glossary/#hubs -> en/glossary/index.html has no anchor #hubs; fix:"
        " link to an id that en/glossary/index.html has, or add { #hubs } to the heading you"
        " mean",
        "docs/en/index.md:7: link https://gevent-guide.github.io/old/ -> points outside the"
        " site's folder /gevent-guide/; fix: link to the page relatively (e.g. queue.md#anchor)",
        "docs/ko/index.md:7: link http://www.gevent.org/ -> is not https; fix: use"
        " https://www.gevent.org/ (check that the https address works)",
    ]


def test_external_links_are_listed(broken_build) -> None:
    _root, report = broken_build
    assert "http://www.gevent.org/" in report.external
    assert report.external["https://www.gevent.org/api/gevent.queue.html"] == [
        "en/queue/index.html",
        "queue/index.html",
    ]


def test_the_stale_language_shows_a_notice_linking_to_the_other(broken_build) -> None:
    root, _report = broken_build
    english = (root / "out/en/queue/index.html").read_text(encoding="utf-8")
    assert (
        '<div class="admonition warning translation-behind" data-search-exclude>\n'
        '<p class="admonition-title">This translation is behind</p>\n'
        "<p>These parts of the page changed in the Korean version and are not translated"
        ' yet: <a href="../../queue/#put-get">Put and get</a>. The <a href="../../queue/">'
        "Korean version</a> is up to date.</p>\n</div>\n"
    ) in english
    korean = (root / "out/glossary/index.html").read_text(encoding="utf-8")
    assert (
        '<p class="admonition-title">번역이 최신이 아닙니다</p>\n'
        "<p>영어판이 바뀐 뒤로 이 페이지의 다음 부분은 아직 번역하지 못했습니다:"
        ' <a href="../en/glossary/#hub">허브</a>. 최신 내용은 <a href="../en/glossary/">'
        "영어판</a>에서 볼 수 있습니다.</p>"
    ) in korean
    # the English edit of #more makes the Korean #more behind too
    assert '<a href="../en/queue/#more">더 읽을거리</a>' in (
        root / "out/queue/index.html"
    ).read_text(encoding="utf-8")
    # edited in both languages (index) or not at all: no notice
    for page in ("index.html", "en/index.html", "en/glossary/index.html"):
        assert "translation-behind" not in (root / "out" / page).read_text(encoding="utf-8")


def test_pages_with_examples_name_the_versions_they_ran_with(broken_build) -> None:
    root, _report = broken_build
    v = versions.running_versions()
    korean = (root / "out/queue/index.html").read_text(encoding="utf-8")
    assert (
        '<p class="verified-with" data-search-exclude><small>'
        f"이 페이지의 예제는 gevent {v['gevent']}, greenlet"
        f" {v['greenlet']}, Python {v['python']}에서 검증했습니다.</small></p>"
    ) in korean
    english = (root / "out/en/queue/index.html").read_text(encoding="utf-8")
    assert (
        f"The examples on this page were verified with gevent {v['gevent']}, greenlet"
        f" {v['greenlet']} and Python {v['python']}."
    ) in english
    # a page without examples does not
    assert "verified-with" not in (root / "out/glossary/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- 4. removed APIs


OLD_SNIPPET = """\
import signal

import gevent
import gevent.queue as q
from gevent import coros, socket
from gevent.wsgi import WSGIServer

gevent.signal(signal.SIGTERM, gevent.kill)
lock = coros.Semaphore()
queue = q.Qeueu()
gevent.spawn_link_exception(print)
gevent.sleep(secs=1)
gevent.run()
socket.wait_read(0)
gevent.shutdown()
gevent.pool()
"""


def test_removed_and_missing_apis_in_a_snippet(site: Path) -> None:
    (site / "snippets/queue/old.py").write_text(OLD_SNIPPET, encoding="utf-8")
    v = apis.installed_gevent()
    assert apis.removed_apis(site) == [
        f"snippets/queue/old.py:5: gevent.coros was removed (gevent {v} does not have it);"
        " fix: use gevent.lock (Semaphore, BoundedSemaphore, RLock) or gevent.event"
        " (Event, AsyncResult)",
        f"snippets/queue/old.py:6: gevent.wsgi was removed (gevent {v} does not have it);"
        " fix: use gevent.pywsgi (from gevent.pywsgi import WSGIServer)",
        f"snippets/queue/old.py:8: gevent.signal() was removed (gevent {v} does not have"
        " it); fix: use gevent.signal_handler(signalnum, handler) (gevent.signal is a"
        " module now)",
        f"snippets/queue/old.py:10: gevent.queue.Qeueu does not exist in gevent {v}; fix:"
        f" use a name that gevent {v} has (https://www.gevent.org/api/)",
        f"snippets/queue/old.py:11: gevent.spawn_link_exception() was removed (gevent {v}"
        " does not have it); fix: spawn, then link: g = gevent.spawn(...);"
        " g.link(callback) (or g.link_value, g.link_exception)",
        f"snippets/queue/old.py:12: gevent.sleep() has no argument 'secs' in gevent {v};"
        " fix: use one of its arguments (ref, seconds)",
        f"snippets/queue/old.py:13: gevent.run() was removed (gevent {v} does not have"
        " it); fix: use gevent.wait() (or gevent.joinall(greenlets))",
        f"snippets/queue/old.py:15: gevent.shutdown() was removed (gevent {v} does not"
        " have it); fix: nothing replaces it: let the program end, or stop your servers"
        " (server.stop()) and join your greenlets (gevent.joinall)",
        f"snippets/queue/old.py:16: gevent.pool(...) calls a module in gevent {v}; fix:"
        " call a function or class of that module",
    ]


def test_removed_and_missing_apis_on_a_page(site: Path) -> None:
    page = site / "docs/en/queue.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nOld tutorials import `gevent.wsgi`. <!-- removed-api -->\n"  # allowed: a warning
        + "Serve it with `gevent.wsgi.WSGIServer`.\n"
        + "Use `gevent.queue.JoinableQueue` and `gevent.pool.Pool.size`; see www.gevent.org.\n"
        + "A `gevent.queue.PriorityQueu` sorts its items.\n",
        encoding="utf-8",
    )
    v = apis.installed_gevent()
    assert apis.removed_apis(site) == [
        f"docs/en/queue.md:38: gevent.wsgi was removed (gevent {v} does not have it); fix:"
        " use gevent.pywsgi (from gevent.pywsgi import WSGIServer) (or, if the line only"
        " warns about the old name, end it with <!-- removed-api -->)",
        f"docs/en/queue.md:40: `gevent.queue.PriorityQueu` does not exist in gevent {v};"
        f" fix: name an API that gevent {v} has (https://www.gevent.org/api/), or end the"
        " line with <!-- removed-api --> if it only warns about an old name",
    ]


# ---------------------------------------------------------------- 5. versions


def test_versions_recorded_by_another_gevent(site: Path) -> None:
    v = versions.running_versions()
    (site / "verified-with.json").write_text(
        f'{{\n  "gevent": "1.4.0",\n  "greenlet": "{v["greenlet"]}",\n'
        f'  "python": "{v["python"]}"\n}}\n',
        encoding="utf-8",
    )
    assert versions.versions(site) == (
        [
            "verified-with.json:2: the examples were last verified with gevent 1.4.0, but this"
            f" run uses gevent {v['gevent']}; fix: run `make update-output` (it re-runs every"
            " example and records the versions), review the changed .out files and commit"
            " them with verified-with.json"
        ],
        [],
    )


def test_versions_recorded_by_another_python_are_a_note(site: Path) -> None:
    v = versions.running_versions()
    (site / "verified-with.json").write_text(
        f'{{\n  "gevent": "{v["gevent"]}",\n  "greenlet": "{v["greenlet"]}",\n'
        '  "python": "2.7"\n}\n',
        encoding="utf-8",
    )
    assert versions.versions(site) == (
        [],
        [
            "verified-with.json:4: the outputs were recorded with Python 2.7 and this run uses"
            f" Python {v['python']}; the pages keep showing Python 2.7 (only a run on Python"
            " 2.7 can re-check it; the examples job runs every supported Python)"
        ],
    )


def test_versions_file_missing(site: Path) -> None:
    (site / "verified-with.json").unlink()
    assert versions.versions(site) == (
        [
            "verified-with.json:1: missing; fix: run `make update-output` (it re-runs every"
            " example and records the versions), review the changed .out files and commit"
            " them with verified-with.json"
        ],
        [],
    )
    assert versions.write_versions(site) is True
    assert versions.write_versions(site) is False  # unchanged: not rewritten
    assert versions.versions(site) == ([], [])


# ---------------------------------------------------------------- the real pages, broken


REAL_PAGES = sorted(
    set(common.page_names(common.REPO, "ko")) & set(common.page_names(common.REPO, "en"))
)
needs_real_pages = pytest.mark.skipif(not REAL_PAGES, reason="no pages in docs/ yet")


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    return make_site(tmp_path / "real", docs_from=common.REPO)


@needs_real_pages
def test_real_copy_every_page_removed_from_english_is_caught(real_copy: Path) -> None:
    for page in REAL_PAGES:
        (real_copy / f"docs/en/{page}.md").unlink()
    assert parity.parity(real_copy) == [
        f"docs/ko/{page}.md:1: has no English counterpart docs/en/{page}.md; fix: add"
        f" docs/en/{page}.md with the same sections (or, if the page was deleted or"
        f" renamed, delete or rename docs/ko/{page}.md too)"
        for page in REAL_PAGES
    ]


@needs_real_pages
def test_real_copy_every_section_edited_in_korean_only_is_caught(
    real_copy: Path,
) -> None:
    expected = []
    for page in REAL_PAGES:
        ko, en = (sections.sections(real_copy / f"docs/{lang}/{page}.md") for lang in ("ko", "en"))
        last_ko, last_en = ko[-1], en[-1]
        path = real_copy / f"docs/ko/{page}.md"
        path.write_text(
            path.read_text(encoding="utf-8") + "\n추가한 문장입니다.\n",
            encoding="utf-8",
        )
        top = last_ko.anchor == sections.TOP
        label = "the top of the page" if top else f"section #{last_ko.anchor}"
        expected.append(
            f"docs/en/{page}.md:{last_en.line}: {label} is behind"
            f" docs/ko/{page}.md:{last_ko.line}, which changed after the last translation;"
            f" fix: bring the English text up to date, then run `{MARK}{page}` (or, to"
            f" publish with a notice on the English page until then, `{TOOL} later {page}`)"
        )
    assert status.problems(real_copy) == (expected, [])


@needs_real_pages
def test_real_copy_a_removed_api_in_every_snippet_is_caught(real_copy: Path) -> None:
    snippets = sorted((real_copy / "snippets").rglob("*.py"))
    expected = []
    for path in snippets:
        rows = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([*rows, "gevent.shutdown()"]) + "\n", encoding="utf-8")
        where = path.relative_to(real_copy).as_posix()
        expected.append(
            f"{where}:{len(rows) + 1}: gevent.shutdown() was removed (gevent"
            f" {apis.installed_gevent()} does not have it); fix: nothing replaces it: let"
            " the program end, or stop your servers (server.stop()) and join your greenlets"
            " (gevent.joinall)"
        )
    found = [m for m in apis.removed_apis(real_copy) if "gevent.shutdown()" in m]
    assert found == sorted(expected, key=lambda m: m.split(":")[0])


def test_titles_with_different_anchors(site: Path) -> None:
    edit(site / "docs/ko/queue.md", "# 큐\n", "# 큐 { #queue }\n")
    assert parity.parity(site) == [
        "docs/en/queue.md:1: the title has no anchor but the title at docs/ko/queue.md:1"
        " has #queue; fix: give both titles the same { #id } (or none)"
    ]


def test_a_snippet_that_does_not_parse(site: Path) -> None:
    (site / "snippets/queue/broken.py").write_text("import gevent\nprint(\n", encoding="utf-8")
    assert apis.removed_apis(site) == [
        "snippets/queue/broken.py:2: not valid Python ('(' was never closed); fix: make it"
        " parse (the examples test shows the full error)"
    ]


def test_inline_blocks_with_different_annotations(site: Path) -> None:
    edit(
        site / "docs/ko/index.md",
        "## 이 가이드",
        "```bash\npip install gevent  # (1)!\n```\n\n1.  설치합니다.\n\n## 이 가이드",
    )
    edit(
        site / "docs/en/index.md",
        "## About",
        "```bash\npip install gevent\n```\n\n## About",
    )
    assert parity.parity(site) == [
        "docs/en/index.md:5: this code block has 0 annotation marker(s), the matching"
        " block at docs/ko/index.md:5 has 1; fix: give both blocks the same markers, each"
        " with its note"
    ]


def test_a_section_removed_in_both_languages(site: Path) -> None:
    for lang in ("ko", "en"):
        page = site / f"docs/{lang}/queue.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text[: text.index("\n## ", text.index("{ #timeout }")) + 1])
    line = line_of(site / "translations.json", '"more":')
    assert status.problems(site)[0] == [
        f"translations.json:{line}: queue#more matches no section of docs/ko/queue.md and"
        f" docs/en/queue.md; fix: run `{TOOL} rename queue#more queue#<new anchor>` if the"
        f" anchor was renamed, or `{MARK}queue` once the page is translated"
    ]
    assert commands.main(["mark", "queue"], root=site) == 0
    assert status.problems(site) == ([], [])


def test_rewrapping_lines_is_not_a_change(site: Path) -> None:
    edit(site / "docs/ko/queue.md", "넣고 소비자는", "넣고\n소비자는")
    assert status.problems(site) == ([], [])
