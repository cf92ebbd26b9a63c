# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import time

import gevent

sleeping = peak = 0


def task(n, sleep):
    global sleeping, peak
    sleeping += 1  # (1)!
    peak = max(peak, sleeping)
    sleep(n / 10)
    sleeping -= 1
    print(f"  task {n} done")


def three_tasks(sleep):
    global peak
    peak = 0
    gevent.joinall([gevent.spawn(task, n, sleep) for n in (3, 2, 1)])  # (2)!
    return peak


print("time.sleep:")
most = three_tasks(time.sleep)  # (3)!
print(f"  tasks sleeping at the same time: at most {most}")
print("gevent.sleep:")
most = three_tasks(gevent.sleep)
print(f"  tasks sleeping at the same time: at most {most}")
