"""Both home pages link the offline copy, and the Pages workflow puts the zip at that very
address of the deployed site (the copy itself is tested in tests/browser/test_offline.py)."""

from __future__ import annotations

import re

import yaml

from gevent_guide.checks import links
from gevent_guide.project import ROOT, project

ZIP = "gevent-guide-offline.zip"


def site_url() -> str:
    return project().site_url.rstrip("/") + "/"


def test_home_pages_link_the_offline_copy() -> None:
    link = re.compile(r"\]\((" + re.escape(site_url() + ZIP) + r")\)")
    for lang in project().languages:
        page = ROOT / "docs" / lang / "index.md"
        text = page.read_text(encoding="utf-8")
        assert link.search(text), (
            f"{page.relative_to(ROOT)}: no link to {site_url() + ZIP};"
            " fix: keep the offline paragraph ({ #offline }) with that link"
        )
        assert "{ #offline }" in text, f"{page.relative_to(ROOT)}: no #offline section"


def test_pages_workflow_deploys_the_zip_at_the_linked_address() -> None:
    path = ROOT / ".github" / "workflows" / "pages.yml"
    steps = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages")]
    assert uploads, f"{path.name}: no upload-pages-artifact step"
    folder = uploads[0]["with"]["path"].rstrip("/")
    assert {ZIP} == links.ADDED_AT_DEPLOY, (
        "checks/links.py ADDED_AT_DEPLOY lets links to files the workflow adds pass: keep it"
        f" to what {path.name} adds ({ZIP})"
    )
    wanted = f"make offline OFFLINE_ZIP={folder}/{ZIP}"
    assert wanted in runs, f"{path.name}: no step runs `{wanted}` before the upload"
    assert runs.index(wanted) > runs.index("make build"), (
        f"{path.name}: `{wanted}` must come after `make build` (which empties {folder}/)"
    )
