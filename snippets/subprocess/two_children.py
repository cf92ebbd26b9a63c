import sys

import gevent
from gevent import subprocess

CHILD = "import time; time.sleep(0.3); print('hello from a child process')"

p1 = subprocess.Popen(["uname"], stdout=subprocess.PIPE)  # (1)!
p2 = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE)  # (2)!

readers = [gevent.spawn(p.communicate, timeout=2) for p in (p1, p2)]  # (3)!
readers[0].join()
print(f"uname finished, Python child still running: {p2.poll() is None}")  # (4)!

gevent.wait(readers, timeout=3)  # (5)!
for process, reader in zip((p1, p2), readers, strict=True):
    if process.poll() is not None and reader.successful():  # (6)!
        stdout, _ = reader.value
        print(repr(stdout))
    else:
        process.kill()
        print(f"{process.args[0]} did not finish in time and was stopped")
