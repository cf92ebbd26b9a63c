"""`gevent-guide offline [ZIP]` (`make offline`): build the offline copy with
mkdocs.offline.yml into site-offline/ and pack it as one zip (default
gevent-guide-offline.zip; the Pages workflow writes it into site/ before deploying).

Every file goes under one folder, gevent-guide/, so unzipping makes that folder; readers
open gevent-guide/index.html (Korean) or gevent-guide/en/index.html (English). The zip is
reproducible: names sorted, every date the same (SOURCE_DATE_EPOCH, else 1980-01-01).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gevent_guide.project import ROOT

FOLDER = "gevent-guide"
CONFIG = "mkdocs.offline.yml"
SITE_DIR = "site-offline"
DEFAULT_ZIP = "gevent-guide-offline.zip"
SKIP = {".gz"}  # sitemap.xml.gz: for search engines, not for readers of a copy
NEEDED = ("index.html", "en/index.html", "search/search_index.js", "en/search/search_index.js")


@dataclass(frozen=True)
class Packed:
    path: Path
    files: int
    size: int


def build(site: Path, root: Path = ROOT, capture: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build --strict -f mkdocs.offline.yml` into `site`."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", CONFIG]
    return subprocess.run(
        [*command, "--site-dir", str(site)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=capture,
        text=True,
        timeout=600,
    )


def pack(site: Path, target: Path) -> Packed:
    for needed in NEEDED:
        if not (site / needed).is_file():
            raise FileNotFoundError(
                f"{site / needed} is missing: build the offline copy first"
                f" (mkdocs build -f {CONFIG}; `make offline` does)"
            )
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.suffix not in SKIP)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in files:
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(site).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    partial.replace(target)
    return Packed(target, len(files), target.stat().st_size)


def main(argv: list[str]) -> int:
    if len(argv) > 1 or argv[:1] in (["-h"], ["--help"]):
        print("usage: gevent-guide offline [ZIP]   (default: gevent-guide-offline.zip)")
        return 2 if len(argv) > 1 else 0
    target = Path(argv[0] if argv else DEFAULT_ZIP).resolve()
    site = ROOT / SITE_DIR
    if build(site).returncode != 0:
        print(f"gevent-guide offline: the build of {CONFIG} failed (see above)", file=sys.stderr)
        return 1
    try:
        packed = pack(site, target)
    except FileNotFoundError as exc:
        print(f"gevent-guide offline: {exc}", file=sys.stderr)
        return 1
    print(f"{packed.path}: {packed.files} files, {packed.size} bytes")
    return 0
