# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1", "requests>=2.34.2"]
# ///
import importlib.util

import gevent

major = int(gevent.__version__.split(".")[0])  # (1)!
print(f"gevent imported, version 24 or newer: {major >= 24}")
print(f"requests installed: {importlib.util.find_spec('requests') is not None}")  # (2)!
