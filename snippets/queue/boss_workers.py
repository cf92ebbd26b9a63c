# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.queue import Queue

WORKERS = 3
tasks = Queue(maxsize=3)  # (1)!


def worker(name):
    while True:
        task = tasks.get()  # (2)!
        if task is None:  # (3)!
            break
        print(f"{name} got task {task}")
        gevent.sleep(0)
    print(f"{name} quits")


def boss():
    for i in range(1, 10):
        tasks.put(i)  # (4)!
    print("boss: all work assigned")
    for _ in range(WORKERS):
        tasks.put(None)  # (5)!


workers = [gevent.spawn(worker, f"worker-{i}") for i in range(WORKERS)]
gevent.joinall([gevent.spawn(boss), *workers])  # (6)!
