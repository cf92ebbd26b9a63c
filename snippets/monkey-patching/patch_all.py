# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
from gevent import monkey

monkey.patch_all()  # (1)!

import time  # noqa: E402

import gevent  # noqa: E402

blocking_sleep = monkey.get_original("time", "sleep")  # (2)!
sleeping = peak = 0


def sleeper(sleep):
    global sleeping, peak
    sleeping += 1  # (3)!
    peak = max(peak, sleeping)
    sleep(0.2)
    sleeping -= 1


def three_sleeps(sleep):
    global peak
    peak = 0
    gevent.joinall([gevent.spawn(sleeper, sleep) for _ in range(3)])  # (4)!
    return peak


print(f"socket patched: {monkey.is_module_patched('socket')}")
print(f"time.sleep is gevent.sleep: {time.sleep is gevent.sleep}")  # (5)!
most = three_sleeps(blocking_sleep)  # (6)!
print(f"3 x original time.sleep(0.2): at most {most} sleeping at the same time")
most = three_sleeps(time.sleep)  # (7)!
print(f"3 x patched time.sleep(0.2): at most {most} sleeping at the same time")
