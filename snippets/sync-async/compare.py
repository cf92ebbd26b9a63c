# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import random

import gevent

rng = random.Random(7)  # (1)!
steps = rng.sample(range(1, 10), k=9)
delays = {pid: steps[pid - 1] * 0.05 for pid in range(1, 10)}
waiting = peak = 0


def task(pid):
    global waiting, peak
    waiting += 1  # (2)!
    peak = max(peak, waiting)
    gevent.sleep(delays[pid])  # (3)!
    waiting -= 1
    print(f"Task {pid} done (waited {delays[pid]:.2f} s)")


def synchronous():
    for i in range(1, 10):
        task(i)


def asynchronous():
    threads = [gevent.spawn(task, i) for i in range(1, 10)]  # (4)!
    gevent.joinall(threads)


print("Synchronous:")
synchronous()
sync_peak, peak = peak, 0

print("Asynchronous:")
asynchronous()

total, longest = sum(delays.values()), max(delays.values())  # (5)!
print(
    f"synchronous: {sync_peak} task waiting at a time, so the waits add up to {total:g} s"
)
print(
    f"asynchronous: {peak} tasks waiting at once, so about the longest wait, {longest:g} s"
)
