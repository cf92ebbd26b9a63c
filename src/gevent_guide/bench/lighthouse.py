"""Lighthouse performance of every page, as a phone reader on GitHub Pages would get it.

Builds the site (or takes --site DIR), serves it on 127.0.0.1 under its site path with
gzip, as GitHub Pages does (gevent_guide.browser.server), and runs Lighthouse 12 (npm,
pinned in package.json) on Debian's Chromium for every built page of both languages with
its default mobile preset (simulated slow 4G and a 4x slower CPU), performance only. Prints
one row a page:

  perf   the performance score, 0-100
  LCP    largest contentful paint, milliseconds (simulated)
  TBT    total blocking time, milliseconds (simulated)
  CLS    cumulative layout shift
  KB     bytes transferred, gzip included, for everything the page loaded

Needs Node (node_modules from `npm ci`) and Chromium (CHROMIUM=/path for another one).
Nothing leaves 127.0.0.1: Chromium resolves no other host.

    gevent-guide bench --only lighthouse [--site DIR] [--page ko/queue ...]
        [--reports DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gevent_guide.browser import server
from gevent_guide.project import ROOT as REPO

LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    # hermetic: the site asks no other host for anything; Chromium's own background
    # requests could not resolve a name either
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
]


def pages_of(folder: Path) -> list[str]:
    """Every page the build produced, as its path below the site ("", "queue/",
    "en/", "en/queue/"): Korean first, then English, each in file order."""
    found = [
        p.parent.relative_to(folder).as_posix()
        for p in folder.rglob("index.html")
        if not {"assets", "search"} & set(p.relative_to(folder).parts)
    ]
    paths = ["" if f == "." else f + "/" for f in found]
    return sorted(paths, key=lambda p: (p.startswith("en/"), p not in ("", "en/"), p))


def label(path: str) -> str:
    lang, rest = ("en", path[3:]) if path.startswith("en/") else ("ko", path)
    return f"{lang}/{rest.strip('/') or 'index'}"


def _quoted(flag: str) -> str:
    """A Chrome flag for Lighthouse's space-separated --chrome-flags: a value with spaces
    in quotes (Lighthouse strips them)."""
    name, _, value = flag.partition("=")
    return f'{name}="{value}"' if " " in value else flag


def lighthouse(url: str, report: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=" + " ".join(_quoted(f) for f in CHROME_FLAGS),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=REPO)
    if result.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def figures(data: dict) -> dict:
    audits = data["audits"]
    score = data["categories"]["performance"]["score"]
    return {
        "perf": None if score is None else round(score * 100),
        "lcp": audits["largest-contentful-paint"].get("numericValue"),
        "tbt": audits["total-blocking-time"].get("numericValue"),
        "cls": audits["cumulative-layout-shift"].get("numericValue"),
        "kb": audits["total-byte-weight"].get("numericValue", 0) / 1024,
        "warnings": data.get("runWarnings", []),
        "error": (data.get("runtimeError") or {}).get("message"),
    }


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gevent-guide bench --only lighthouse", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--page", action="append", help="only this page, e.g. ko/queue")
    parser.add_argument("--reports", type=Path, help="keep each page's Lighthouse JSON here")
    args = parser.parse_args(argv)

    for need, what in ((LIGHTHOUSE, "run `npm ci` (make bench does)"),):
        if not need.is_file():
            sys.exit(f"{need} is missing: {what}")
    if not (shutil.which(CHROMIUM) or os.access(CHROMIUM, os.X_OK)):
        sys.exit(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set CHROMIUM")
    if shutil.which("node") is None:
        sys.exit("node is missing: install Node.js 18 or newer (Debian: apt-get install nodejs)")

    with tempfile.TemporaryDirectory(prefix="gevent-guide-lighthouse-") as tmp:
        folder = args.site
        if folder is None:
            folder = Path(tmp) / "site"
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
                cwd=REPO,
                capture_output=True,
                text=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            if result.returncode != 0:
                sys.exit(f"mkdocs build failed:\n{(result.stdout + result.stderr)[-3000:]}")
            print(f"built the site in {time.perf_counter() - started:.1f} s")
        reports = args.reports or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        pages = pages_of(folder)
        if args.page:
            pages = [p for p in pages if label(p) in args.page]
            if not pages:
                sys.exit(f"no such page: {', '.join(args.page)}")

        httpd, site = server.serve(folder, gzip=True)
        base = site.origin + site.prefix
        try:
            version = subprocess.run(
                ["node", str(LIGHTHOUSE), "--version"], capture_output=True, text=True
            ).stdout.strip()
            print(
                f"Lighthouse {version}, mobile preset (simulated throttling), {CHROMIUM},"
                f" gzip from {base}"
            )
            header = f"{'page':<22} {'perf':>4} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6} {'KB':>7}"
            print(header)
            print("-" * len(header))
            rows, notes = [], []
            for path in pages:
                name = label(path)
                data = lighthouse(base + path, reports / (name.replace("/", "_") + ".json"))
                row = figures(data)
                rows.append(row)
                print(
                    f"{name:<22} {fmt(row['perf'], '>4')} {fmt(row['lcp'], '>7.0f')}"
                    f" {fmt(row['tbt'], '>7.0f')} {fmt(row['cls'], '>6.3f')}"
                    f" {row['kb']:>7.1f}",
                    flush=True,
                )
                if row["error"]:
                    notes.append(f"{name}: {row['error']}")
                notes += [f"{name}: {w}" for w in row["warnings"]]
        finally:
            httpd.shutdown()
            httpd.server_close()

        scored = [r for r in rows if r["perf"] is not None]
        if scored:
            print("-" * len(header))
            print(
                f"{'median':<22} {statistics.median(r['perf'] for r in scored):>4.0f}"
                f" {statistics.median(r['lcp'] for r in scored):>7.0f}"
                f" {statistics.median(r['tbt'] for r in scored):>7.0f}"
                f" {statistics.median(r['cls'] for r in scored):>6.3f}"
                f" {statistics.median(r['kb'] for r in rows):>7.1f}"
            )
        for note in notes:
            print("note:", note)
        if args.reports:
            print(f"reports: {args.reports}")
    return 1 if any(r["perf"] is None for r in rows) else 0
