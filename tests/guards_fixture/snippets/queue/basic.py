# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.queue import Queue

tasks = Queue(maxsize=2)  # (1)!


def producer():
    for n in range(4):
        tasks.put(n)  # (2)!
        print(f"put {n}")


def consumer():
    for _ in range(4):
        print(f"got {tasks.get()}")
        gevent.sleep(0)


gevent.joinall([gevent.spawn(producer), gevent.spawn(consumer)])
