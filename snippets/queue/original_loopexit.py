# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.exceptions import LoopExit
from gevent.queue import Queue

tasks = Queue(maxsize=3)


def boss():
    for i in range(1, 10):
        print(f"boss: put {i}")
        tasks.put(i)  # (1)!


try:
    gevent.spawn(boss).join()  # (2)!
except LoopExit as exc:
    print(f"{type(exc).__name__}: the boss is stuck, queue holds {tasks.qsize()}")
