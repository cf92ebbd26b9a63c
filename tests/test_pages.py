"""Pages and snippets belong together: every code block on a page is included from
snippets/, every include exists, and every snippet (and what it prints) is shown
on a page in both languages. Failures name the page or snippet and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gevent_guide import project, snippets

SHELL_LANGUAGES = {"bash", "console", "sh", "shell"}
PAGES = snippets.pages()


def page_id(page) -> str:
    return snippets.rel(page)


def code_block_problems(page: Path) -> list[str]:
    problems = []
    for block in snippets.code_blocks(page):
        target = block.include
        if target is None:
            commands = [row for row in block.body if row.strip()]
            if block.language in SHELL_LANGUAGES and len(commands) == 1:
                continue  # one-line shell commands (pip, venv) may stay inline
            if block.language in SHELL_LANGUAGES:
                problems.append(
                    f"{block.where()}: a ```{block.language} block with {len(commands)} lines;"
                    " only one-line shell commands may stay inline: split it into one block"
                    " per command, or make it a program in snippets/"
                )
                continue
            problems.append(
                f"{block.where()}: a ```{block.language or 'plain'} block with inline code;"
                " put the program in snippets/<topic>/<name>.py and include it with"
                ' --8<-- "<topic>/<name>.py"'
            )
        elif not (snippets.SNIPPETS / target).is_file():
            problems.append(f"{block.where()}: includes {target!r}, which is not in snippets/")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_code_blocks_are_included_from_snippets(page: Path) -> None:
    problems = code_block_problems(page)
    assert not problems, "\n".join(problems)


def test_the_code_block_check_catches_each_mistake(tmp_path: Path) -> None:
    page = tmp_path / "queue.md"
    page.write_text(
        "# Queue\n\n"
        '```python\nprint("typed into the page")\n```\n\n'
        '```python\n--8<-- "queue/no_such_program.py"\n```\n\n'
        "```bash\npip install gevent\npip install requests\n```\n\n"
        "```bash\npip install gevent\n```\n\n"
        '```python\n--8<-- "queue/boss_workers.py"\n```\n',
        encoding="utf-8",
    )
    where = str(page)
    assert code_block_problems(page) == [
        f"{where}:3: a ```python block with inline code; put the program in"
        ' snippets/<topic>/<name>.py and include it with --8<-- "<topic>/<name>.py"',
        f"{where}:7: includes 'queue/no_such_program.py', which is not in snippets/",
        f"{where}:11: a ```bash block with 2 lines; only one-line shell commands may stay"
        " inline: split it into one block per command, or make it a program in snippets/",
    ]


def _includes(language: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in snippets.pages(language):
        for block in snippets.code_blocks(page):
            if block.include:
                found.setdefault(block.include, []).append(block.where())
    return found


@pytest.mark.parametrize("language", project.LANGUAGES)
def test_every_snippet_and_its_output_is_on_a_page(language: str) -> None:
    included = _includes(language)
    missing = []
    for snippet in snippets.all_snippets():
        for target in (snippet.rel, snippet.out_path.relative_to(snippets.SNIPPETS).as_posix()):
            if target not in included:
                missing.append(
                    f"snippets/{target}: no page in docs/{language}/ includes it"
                    f' (add a block with --8<-- "{target}")'
                )
    assert not missing, "\n".join(missing)


def test_every_output_file_has_its_program() -> None:
    orphans = [
        snippets.rel(out)
        for out in sorted(snippets.SNIPPETS.rglob("*.out"))
        if not out.with_suffix(".py").exists()
    ]
    assert not orphans, "output without a program (delete it or restore the .py): " + ", ".join(
        orphans
    )
