"""Links, in real builds of the fixture: MkDocs' validation fails the strict build on a
broken Markdown link or anchor, naming the page and the link; gevent_guide/checks/links.py
names what MkDocs does not check; the pages show their notices and versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from guard_site import edit, make_site

from gevent_guide import project
from gevent_guide.checks import links, versions


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
