import time

import gevent

SLEEPS = {"time.sleep": time.sleep, "gevent.sleep": gevent.sleep}  # (1)!


def task(n, sleep):
    sleep(n / 10)
    print(f"  task {n} done")


for name, sleep in SLEEPS.items():
    print(f"{name}:")
    start = time.perf_counter()
    gevent.joinall([gevent.spawn(task, n, sleep) for n in (3, 2, 1)])  # (2)!
    elapsed = time.perf_counter() - start
    print(f"  took 0.6 s (the sum) or more: {elapsed >= 0.6}")  # (3)!
