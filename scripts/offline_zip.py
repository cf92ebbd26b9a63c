"""Pack the offline copy (built by `make offline` into site-offline/) as one zip.

python scripts/offline_zip.py SITE_DIR ZIP

Every file goes under one folder, gevent-guide/, so unzipping makes that folder; readers
open gevent-guide/index.html (Korean) or gevent-guide/en/index.html (English). The zip is
reproducible: names sorted, every date the same (SOURCE_DATE_EPOCH, else 1980-01-01).
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

FOLDER = "gevent-guide"
SKIP = {".gz"}  # sitemap.xml.gz: for search engines, not for readers of a copy


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    site, target = Path(argv[0]), Path(argv[1])
    for needed in ("index.html", "en/index.html", "search/search_index.js"):
        if not (site / needed).is_file():
            print(
                f"{site / needed} is missing: build the offline copy first"
                " (mkdocs build -f mkdocs.offline.yml; `make offline` does)",
                file=sys.stderr,
            )
            return 1
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
    print(f"{target}: {len(files)} files, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
