# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.pool import Group
from gevent.queue import Queue

tasks = Queue()
workers = Group()  # (1)!


def worker(name):
    while True:
        task = tasks.get()
        try:
            print(f"{name} got task {task}")
            gevent.sleep(0)
        finally:
            tasks.task_done()  # (2)!


for n in range(1, 4):
    workers.spawn(worker, f"worker-{n}")  # (3)!
for task in range(1, 8):
    tasks.put(task)

tasks.join()  # (4)!
print(f"all tasks done; {len(workers)} workers wait for more")
workers.kill()  # (5)!
print(f"after kill(): {len(workers)} workers")
