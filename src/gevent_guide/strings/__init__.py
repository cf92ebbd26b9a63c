"""The interface strings of the tooling, one TOML file per language (ko.toml, en.toml):
the translation notice and the verified-with line of the pages, and the words of the
timelines' text alternatives."""

from __future__ import annotations

import functools
from importlib import resources

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


@functools.cache
def strings(language: str) -> dict:
    data = tomllib.loads(resources.files(__name__).joinpath(f"{language}.toml").read_text("utf-8"))
    # a clause of a timeline sentence: (connective form, final form or None)
    data["timeline"] = {
        key: value if key == "legend" or not isinstance(value, list) else (*value, None)[:2]
        for key, value in data["timeline"].items()
    }
    return data
