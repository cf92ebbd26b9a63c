# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.event import Event

never_set = Event()


def quick():
    return "quick: done"


def stuck(name):
    try:
        never_set.wait()  # (1)!
    finally:
        print(f"{name}: stopped")


fast = gevent.spawn(quick)
slow = [gevent.spawn(stuck, "stuck-1"), gevent.spawn(stuck, "stuck-2")]

fast.join()
print(fast.value)
result = slow[0].join(timeout=0.1)  # (2)!
print(f"join(timeout=0.1) returned {result}, ready={slow[0].ready()}")

finished = gevent.joinall([fast, *slow], timeout=0.1)  # (3)!
print(f"joinall(timeout=0.1): {len(finished)} of 3 finished")

gevent.killall(slow)  # (4)!
print(f"after killall: dead={[g.dead for g in slow]}")
