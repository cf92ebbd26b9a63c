import time

import gevent
from gevent import monkey


def three_sleeps():
    start = time.monotonic()
    gevent.joinall([gevent.spawn(time.sleep, 0.2) for _ in range(3)])  # (1)!
    return time.monotonic() - start


print(f"socket patched: {monkey.is_module_patched('socket')}")
print(f"3 x time.sleep(0.2) took 0.6 s or more: {three_sleeps() >= 0.6}")  # (2)!

monkey.patch_all()  # (3)!

print(f"socket patched: {monkey.is_module_patched('socket')}")
print(f"time.sleep is gevent.sleep: {time.sleep is gevent.sleep}")  # (4)!
print(f"3 x time.sleep(0.2) took less than 0.4 s: {three_sleeps() < 0.4}")  # (5)!
