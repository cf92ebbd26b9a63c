"""The parity and nav guards catch a change made in one language only (pages, snippets,
anchors, section order, code annotations, nav titles), with the exact message a
contributor sees."""

from __future__ import annotations

from pathlib import Path

from guard_site import all_checks, edit, line_of, needs_yaml

from gevent_guide.checks import nav, parity
from gevent_guide.translations import status


def test_the_unbroken_fixture_passes_every_check(site: Path) -> None:
    assert all_checks(site) == []
    assert status.problems(site) == ([], [])


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


def test_titles_with_different_anchors(site: Path) -> None:
    edit(site / "docs/ko/queue.md", "# 큐\n", "# 큐 { #queue }\n")
    assert parity.parity(site) == [
        "docs/en/queue.md:1: the title has no anchor but the title at docs/ko/queue.md:1"
        " has #queue; fix: give both titles the same { #id } (or none)"
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
