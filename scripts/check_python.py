"""Fail with one clear line when the Python that builds the venv is too old."""

import sys

if sys.version_info < (3, 10):  # noqa: UP036 (this file must run on any Python 3)
    version = sys.version.split()[0]
    sys.exit(f"Python 3.10 or newer is needed (this is {version}); run: make PYTHON=python3.12")
if sys.version_info < (3, 11, 5):
    print(
        f"note: Python {sys.version.split()[0]} runs the examples only; "
        "building the site needs Python >= 3.11.5",
        file=sys.stderr,
    )
