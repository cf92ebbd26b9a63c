"""Fail with one clear line when the Python that builds the venv is too old."""

import sys

if sys.version_info < (3, 10):
    sys.exit(f"Python 3.10 or newer is needed (this is {sys.version.split()[0]}); run: make PYTHON=python3.12")
if sys.version_info < (3, 11, 5):
    print(
        f"note: Python {sys.version.split()[0]} runs the examples only; "
        "building the site needs Python >= 3.11.5",
        file=sys.stderr,
    )
