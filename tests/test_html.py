"""Every built page is valid HTML, checked by the Nu HTML Checker (vnu.jar from the npm
package vnu-jar, pinned in package.json; it needs a Java runtime, which `make test`
installs with apt when it is missing), and the Material templates this site overrides to
get there are still Material's own with only the documented change.

One checker run covers the whole built site (the session's `built_site`, not a new build)
and a small broken page of this file's own, which proves that a failure names the page,
the line and the error, with where to fix it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
OVERRIDES = REPO / "overrides"

# Template overrides that are copies of Material's templates with a small change (the
# reason is in each file's opening comment): (text in Material's original, text in ours).
COPIED_TEMPLATES = {
    "base.html": [
        (
            'id="__drawer" autocomplete="off">\n',
            'id="__drawer">\n',
        ),
        (
            'id="__search" autocomplete="off">\n',
            'id="__search">\n    <script>document.getElementById("__drawer").checked'
            ' = document.getElementById("__search").checked = false</script>\n',
        ),
    ],
    "partials/nav-item.html": [
        (
            'id="{{ path }}_label" tabindex="{{ tabindex }}">',
            'id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
        ),
    ],
}

# Errors whose cause is known: where the fix lives.
KNOWN_FIXES = [
    (
        re.compile(r"attribute “tabindex” on element “label”"),
        "overrides/partials/nav-item.html writes a nav label's tabindex only when it has a"
        " value: is the override still there, and does Material still name it"
        " partials/nav-item.html?",
    ),
    (
        re.compile(r"Attribute “autocomplete” is only allowed"),
        "overrides/base.html drops autocomplete from Material's drawer and search"
        " checkboxes: is the override still there and used?",
    ),
]


@dataclass(frozen=True)
class Problem:
    file: Path  # the HTML file
    line: int
    column: int
    message: str
    extract: str

    def describe(self, root: Path) -> str:
        page = self.file.relative_to(root).as_posix()
        extract = " ".join(self.extract.split())
        return (
            f"{page}:{self.line}:{self.column}: {self.message}\n"
            f"    near: {extract}\n"
            f"    fix: {fix_for(self, root)}"
        )


def source_of(page: str) -> str:
    """The file that wrote a built page: docs/<lang>/<name>.md, or overrides/404.html."""
    parts = page.split("/")
    lang = "en" if parts[0] == "en" else "ko"
    if lang == "en":
        parts = parts[1:]
    if parts == ["404.html"]:
        return "overrides/404.html"
    name = "index" if parts == ["index.html"] else "/".join(parts[:-1])
    return f"docs/{lang}/{name}.md"


def in_article(file: Path, line: int) -> bool:
    """Whether a line of a built page is inside the page's text (<article>), not the
    theme's frame around it."""
    lines = file.read_text(encoding="utf-8").splitlines()[:line]
    text = "\n".join(lines)
    return text.rfind("<article") > text.rfind("</article>")


def fix_for(problem: Problem, root: Path) -> str:
    for pattern, fix in KNOWN_FIXES:
        if pattern.search(problem.message):
            return fix
    page = problem.file.relative_to(root).as_posix()
    if in_article(problem.file, problem.line):
        return (
            f"the page's text: correct the Markdown in {source_of(page)} (or the snippet,"
            " include or extension that produced this markup)"
        )
    return (
        "the theme's markup around the text: override the Material template that writes it"
        " (copy it from material/templates/ into overrides/, change the minimum and say why"
        " in a comment, as overrides/partials/nav-item.html does)"
    )


def validate(*folders: Path) -> list[Problem]:
    """Errors (not warnings) the Nu HTML Checker finds in every .html file under the
    folders, in a stable order."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "java is missing, and the HTML checker (vnu.jar) needs it: install a Java"
            " runtime (Debian/Ubuntu: sudo apt-get install default-jre-headless;"
            " `make test` does it as root)",
            pytrace=False,
        )
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test does)", pytrace=False)
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json"]
        + [str(f) for f in folders],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
    )
    output = result.stderr if result.stderr.lstrip().startswith("{") else result.stdout
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(
            f"the HTML checker did not answer in JSON (exit {result.returncode}):\n"
            f"{(result.stdout + result.stderr)[-3000:]}",
            pytrace=False,
        )
    problems = []
    for m in messages:
        if m.get("type") == "info":
            continue
        url = m.get("url", "")
        file = Path(re.sub(r"^file:(//)?", "", url)) if url else Path("?")
        problems.append(
            Problem(
                file=file,
                line=m.get("lastLine", 0),
                column=m.get("firstColumn", 0),
                message=f"{m.get('type')}: {m.get('message', '')}"
                if m.get("type") != "error"
                else m.get("message", ""),
                extract=m.get("extract", ""),
            )
        )
    if result.returncode not in (0, 1) or (result.returncode == 1 and not problems):
        pytest.fail(
            f"the HTML checker failed (exit {result.returncode}):\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.column, p.message))


# A page of this file's own with two mistakes: one in the theme's frame, one in the text.
BROKEN_PAGE = """<!doctype html>
<html lang="en">
<head><title>broken</title></head>
<body>
<label for="x" tabindex="">menu</label><input type="checkbox" id="x">
<article class="md-content__inner md-typeset">
<p>a picture without a text alternative: <img src="a.png"></p>
</article>
</body>
</html>
"""


@pytest.fixture(scope="module")
def checked(built_site, tmp_path_factory):
    """One checker run over the built site and the broken page:
    (site folder, its problems, broken page's folder, its problems)."""
    if built_site.result.returncode != 0:
        log = (built_site.result.stdout + built_site.result.stderr)[-3000:]
        pytest.fail(f"the site did not build, so there is nothing to check:\n{log}")
    broken = tmp_path_factory.mktemp("broken-html")
    (broken / "en" / "greenlets").mkdir(parents=True)
    (broken / "en" / "greenlets" / "index.html").write_text(BROKEN_PAGE, encoding="utf-8")
    site = built_site.folder.resolve()
    problems = validate(site, broken.resolve())
    ours = [p for p in problems if p.file.resolve().is_relative_to(site)]
    theirs = [p for p in problems if p.file.resolve().is_relative_to(broken.resolve())]
    return site, ours, broken.resolve(), theirs


def test_every_built_page_is_valid_html(checked):
    site, problems, _, _ = checked
    pages = {p.file for p in problems}
    counts = Counter(p.message for p in problems)
    assert not problems, (
        f"the Nu HTML Checker found {len(problems)} error(s) on {len(pages)} page(s):\n"
        + "".join(f"  {n} x {message}\n" for message, n in counts.most_common())
        + "\n"
        + "\n".join(p.describe(site) for p in problems)
    )


def test_a_failure_names_the_page_line_error_and_fix(checked):
    """The checker and the messages above really work: the broken page's two errors are
    found and reported with page, line, error and fix."""
    _, _, broken, problems = checked
    report = "\n".join(p.describe(broken) for p in problems)
    assert len(problems) == 2, report
    theme, text = problems
    assert theme.describe(broken).startswith("en/greenlets/index.html:5:")
    assert "Bad value “” for attribute “tabindex” on element “label”" in theme.message
    assert "overrides/partials/nav-item.html" in theme.describe(broken)
    assert text.describe(broken).startswith("en/greenlets/index.html:7:"), report
    assert "docs/en/greenlets.md" in text.describe(broken), report


def _drop_opening_comment(text: str) -> str:
    return re.sub(r"\A\{#-.*?-#\}\n", "", text, count=1, flags=re.S)


@pytest.mark.parametrize("name", sorted(COPIED_TEMPLATES))
def test_copied_templates_are_materials_plus_the_documented_change(name):
    """A copied template is Material's current one with only its documented change: when
    Material changes the original (an upgrade), the copy must be made again."""
    material = pytest.importorskip("material", reason="the site's tools need Python >= 3.11.5")
    original_path = Path(material.__file__).parent / "templates" / name
    original = _drop_opening_comment(original_path.read_text(encoding="utf-8"))
    ours = (OVERRIDES / name).read_text(encoding="utf-8")
    assert ours.startswith("{#-"), f"overrides/{name} must open with a comment saying why"
    expected = original
    for old, new in COPIED_TEMPLATES[name]:
        assert old in original, (
            f"Material's {name} no longer contains {old!r}: check whether the override"
            f" overrides/{name} is still needed, then re-copy it or delete it"
        )
        expected = expected.replace(old, new)
    assert _drop_opening_comment(ours) == expected, (
        f"overrides/{name} is not Material's {original_path} plus the change its comment"
        " documents: Material changed it (copy it again and re-apply the change) or the"
        " copy was edited (update COPIED_TEMPLATES in tests/test_html.py)"
    )
