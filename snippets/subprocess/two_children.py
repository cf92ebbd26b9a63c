# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import os
import sys

import gevent
from gevent import subprocess

CHILD = "import sys; sys.stdin.read(); print('hello from a child process')"

p1 = subprocess.Popen(["uname"], stdout=subprocess.PIPE)  # (1)!
go_read, go_write = os.pipe()  # (2)!
p2 = subprocess.Popen(
    [sys.executable, "-c", CHILD], stdin=go_read, stdout=subprocess.PIPE
)
os.close(go_read)

readers = [gevent.spawn(p.communicate, timeout=10) for p in (p1, p2)]  # (3)!
readers[0].join()
print(f"uname finished, Python child still running: {p2.poll() is None}")  # (4)!
os.close(go_write)  # (5)!

gevent.wait(readers, timeout=10)  # (6)!
for process, reader in zip((p1, p2), readers, strict=True):
    if process.poll() is not None and reader.successful():  # (7)!
        stdout, _ = reader.value
        print(repr(stdout))
    else:
        process.kill()
        print(f"{process.args[0]} did not finish in time and was stopped")
