# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
from gevent.queue import Empty, Queue

q = Queue()
try:
    q.get(timeout=0.1)
except Empty:
    print("empty after 0.1 s")
