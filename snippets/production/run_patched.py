# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import subprocess
import sys
from pathlib import Path

app = Path(__file__).with_name("plain_app.py")
command = [sys.executable, "-m", "gevent.monkey", str(app)]  # (1)!
result = subprocess.run(command, capture_output=True, text=True, check=True)
print(result.stdout, end="")
