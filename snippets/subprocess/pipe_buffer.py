import sys

import gevent
from gevent import subprocess

BIG_CHILD = "import sys; sys.stdout.write('x' * 200_000)"

p = subprocess.Popen([sys.executable, "-c", BIG_CHILD], stdout=subprocess.PIPE)
gevent.wait([p], timeout=1)  # (1)!
print(f"finished after waiting 1 s: {p.poll() is not None}")  # (2)!

stdout, _ = p.communicate(timeout=2)  # (3)!
print(f"finished after communicate(): {p.poll() is not None}")
print(f"bytes read: {len(stdout)}")
