import random
import time

import gevent

rng = random.Random(7)  # (1)!
steps = rng.sample(range(1, 10), k=9)
delays = {pid: steps[pid - 1] * 0.05 for pid in range(1, 10)}


def task(pid):
    gevent.sleep(delays[pid])  # (2)!
    print(f"Task {pid} done (waited {delays[pid]:.2f} s)")


def synchronous():
    for i in range(1, 10):
        task(i)


def asynchronous():
    threads = [gevent.spawn(task, i) for i in range(1, 10)]  # (3)!
    gevent.joinall(threads)


def about(seconds, expected, other):  # (4)!
    if abs(seconds - expected) >= abs(seconds - other):
        raise RuntimeError(f"took {seconds:.2f} s, expected about {expected:g} s")
    return f"about {expected:g} s, not {other:g} s"


print("Synchronous:")
start = time.monotonic()
synchronous()
sync_time = time.monotonic() - start

print("Asynchronous:")
start = time.monotonic()
asynchronous()
async_time = time.monotonic() - start

total, longest = sum(delays.values()), max(delays.values())
print(f"synchronous (sum of the waits): {about(sync_time, total, longest)}")
print(f"asynchronous (longest wait): {about(async_time, longest, total)}")
