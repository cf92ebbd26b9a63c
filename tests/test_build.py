"""The site builds with `mkdocs build --strict`: no warning, no missing include."""

from __future__ import annotations


def test_strict_build_is_clean(built_site) -> None:
    result = built_site.result
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{log[-4000:]}"
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert not warnings, "mkdocs printed warnings:\n" + "\n".join(warnings)


def test_both_languages_are_built(built_site) -> None:
    for page in ("index.html", "en/index.html", "404.html"):
        assert (built_site.folder / page).is_file(), f"the build did not produce {page}"
