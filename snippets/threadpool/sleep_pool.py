# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import threading
import time

import gevent
from gevent.threadpool import ThreadPool

pool = ThreadPool(3)  # (1)!
lock = threading.Lock()
running = peak = 0


def blocking_task():
    global running, peak
    with lock:  # (2)!
        running += 1
        peak = max(peak, running)
    time.sleep(1)  # (3)!
    with lock:
        running -= 1


results = [pool.spawn(blocking_task) for _ in range(4)]  # (4)!
print(f"spawn returned: {type(results[0]).__name__}")
gevent.wait()  # (5)!

print(f"all finished: {all(result.successful() for result in results)}")
print(f"tasks sleeping at the same time: at most {peak} of 4")  # (6)!
