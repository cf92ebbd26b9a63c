"""The guards on a copy of the real docs, broken everywhere at once: every page removed
from English, every section edited in Korean only, a removed API in every snippet."""

from __future__ import annotations

from pathlib import Path

import pytest
from guard_site import MARK, TOOL, make_site

from gevent_guide.checks import apis, common, parity
from gevent_guide.translations import sections, status

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
