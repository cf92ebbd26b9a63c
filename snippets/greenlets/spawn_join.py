# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent


def square(n):
    gevent.sleep(0.01 * n)
    return n * n


def broken():
    gevent.sleep(0.05)
    raise ValueError("bad input")


gevent.get_hub().exception_stream = None  # (1)!

first = gevent.spawn(square, 2)  # (2)!
first.join()  # (3)!
print(f"first: ready={first.ready()}, value={first.value}")

jobs = [gevent.spawn(square, 3), gevent.spawn(square, 4), gevent.spawn(broken)]
gevent.joinall(jobs)  # (4)!
for job in jobs:
    ok, value, error = job.successful(), job.value, job.exception  # (5)!
    print(f"successful={ok}, value={value}, exception={error!r}")
