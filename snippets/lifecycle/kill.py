# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.queue import Queue

jobs = Queue()


def worker():
    try:
        while True:
            job = jobs.get()  # (1)!
            print(f"worker: finished {job}")
    finally:
        print("worker: cleaning up in finally")  # (2)!


task = gevent.spawn(worker)
jobs.put("job-1")
jobs.put("job-2")
gevent.sleep(0)  # (3)!

task.kill()  # (4)!
print(f"dead={task.dead}, successful={task.successful()}")
print(f"value={task.value!r}")  # (5)!

never = gevent.spawn(print, "this line is never printed")
never.kill()  # (6)!
print(f"never started: dead={never.dead}, value={never.value!r}")
