import time

import gevent


def task(n, sleep):
    sleep(n / 10)
    print(f"  task {n} done")


def three_tasks(sleep):
    start = time.perf_counter()
    gevent.joinall([gevent.spawn(task, n, sleep) for n in (3, 2, 1)])  # (1)!
    return time.perf_counter() - start


def about(seconds, expected, other):  # (2)!
    if abs(seconds - expected) >= abs(seconds - other):
        raise RuntimeError(f"took {seconds:.2f} s, expected about {expected:g} s")
    return f"about {expected:g} s, not {other:g} s"


print("time.sleep:")
elapsed = three_tasks(time.sleep)  # (3)!
print(f"  took {about(elapsed, 0.6, 0.3)}")
print("gevent.sleep:")
elapsed = three_tasks(gevent.sleep)
print(f"  took {about(elapsed, 0.3, 0.6)}")
