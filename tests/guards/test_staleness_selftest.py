"""The translation-staleness guard: an edit in one language makes the other language's
section behind until `make translated`; renames keep their records; rewrapping is no
change."""

from __future__ import annotations

from pathlib import Path

from guard_site import MARK, TOOL, edit, line_of

from gevent_guide.translations import commands, status


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
