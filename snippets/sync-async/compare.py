import time

import gevent


def task(pid):
    gevent.sleep((10 - pid) * 0.01)  # (1)!
    print(f"Task {pid} done")


def synchronous():
    for i in range(1, 10):
        task(i)


def asynchronous():
    threads = [gevent.spawn(task, i) for i in range(1, 10)]  # (2)!
    gevent.joinall(threads)


print("Synchronous:")
start = time.monotonic()
synchronous()
sync_time = time.monotonic() - start

print("Asynchronous:")
start = time.monotonic()
asynchronous()
async_time = time.monotonic() - start

print(f"Asynchronous took less than half as long: {async_time < sync_time / 2}")  # (3)!
