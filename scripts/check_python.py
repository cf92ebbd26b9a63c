"""Fail with one clear line when this Python is too old for what is asked.

python scripts/check_python.py          # the examples: Python >= 3.10
python scripts/check_python.py --site   # the site and every check: Python >= 3.11.5
"""

import sys

SITE = (3, 11, 5)  # pymdown-extensions 13.1 (and so the site build) needs it

version = sys.version.split()[0]
if sys.version_info < (3, 10):  # noqa: UP036 (this file must run on any Python 3)
    sys.exit(f"Python 3.10 or newer is needed (this is {version}); run: make PYTHON=python3.12")
if "--site" in sys.argv[1:] and sys.version_info < SITE:
    sys.exit(
        f"the site and its checks need Python 3.11.5 or newer (this is {version});"
        " run: make PYTHON=python3.12 (make test-examples runs on 3.10+)"
    )
