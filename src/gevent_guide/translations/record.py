"""translations.json: for every section of every page, a short hash of its text in each
language as it was when the two languages last said the same thing."""

from __future__ import annotations

import json
from pathlib import Path

RECORD_NAME = "translations.json"
ABOUT = (
    "Written by `gevent-guide translated` (see CONTRIBUTING.md): for each page and section"
    " anchor, a hash of the section's text in each language when both last said the same"
    " thing. Update it with `make translated PAGE=<page>` after translating."
)

# ---------------------------------------------------------------- the record


def load_record(root: Path) -> dict:
    path = root / RECORD_NAME
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("pages", {})


def save_record(root: Path, record: dict) -> None:
    """One line per section, so that a diff shows which sections were (re)translated."""
    rows = ["{", f'  "about": {json.dumps(ABOUT, ensure_ascii=False)},', '  "pages": {']
    pages = sorted(p for p in record if record[p])
    for i, page in enumerate(pages):
        rows.append(f"    {json.dumps(page, ensure_ascii=False)}: {{")
        entries = list(record[page].items())
        for j, (anchor, entry) in enumerate(entries):
            comma = "," if j < len(entries) - 1 else ""
            rows.append(
                f"      {json.dumps(anchor, ensure_ascii=False)}:"
                f" {json.dumps(entry, ensure_ascii=False)}{comma}"
            )
        rows.append("    }" + ("," if i < len(pages) - 1 else ""))
    rows += ["  }", "}"]
    (root / RECORD_NAME).write_text("\n".join(rows) + "\n", encoding="utf-8")


def record_line(root: Path, page: str, anchor: str | None = None) -> int:
    """The line of translations.json where a page (or one of its sections) is kept."""
    path = root / RECORD_NAME
    if not path.exists():
        return 1
    rows = path.read_text(encoding="utf-8").splitlines()
    page_key = "    " + json.dumps(page, ensure_ascii=False) + ": {"
    for i, row in enumerate(rows):
        if row == page_key:
            if anchor is None:
                return i + 1
            key = "      " + json.dumps(anchor, ensure_ascii=False) + ": {"
            for j in range(i + 1, len(rows)):
                if rows[j].startswith(key):
                    return j + 1
                if rows[j].startswith("    }"):
                    break
            return i + 1
    return 1
