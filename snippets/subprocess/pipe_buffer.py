# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import sys

import gevent
from gevent import subprocess

BIG_CHILD = "import sys; sys.stdout.write('x' * 200_000)"


def start_child():
    return subprocess.Popen([sys.executable, "-c", BIG_CHILD], stdout=subprocess.PIPE)


p = start_child()
gevent.wait([p], timeout=1)  # (1)!
print(f"finished after waiting 1 s: {p.poll() is not None}")  # (2)!
output = b""
if p.poll() is not None:  # (3)!
    output = p.stdout.read()
p.stdout.close()  # (4)!
p.wait()
print(f"bytes read: {len(output)} of 200000")

p = start_child()
output, _ = p.communicate(timeout=10)  # (5)!
print(f"with communicate(), bytes read: {len(output)} of 200000")
