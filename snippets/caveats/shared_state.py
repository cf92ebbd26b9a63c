# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.lock import BoundedSemaphore

counter = 0
lock = BoundedSemaphore()  # (1)!


def add_unsafe():
    global counter
    for _ in range(100):
        value = counter  # (2)!
        gevent.sleep(0)
        counter = value + 1


def add_locked():
    global counter
    for _ in range(100):
        with lock:  # (3)!
            value = counter
            gevent.sleep(0)
            counter = value + 1


for add in (add_unsafe, add_locked):
    counter = 0
    gevent.joinall([gevent.spawn(add), gevent.spawn(add)])
    print(f"{add.__name__}: 2 x 100 increments -> {counter}")
