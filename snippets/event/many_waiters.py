# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.event import Event

ready = Event()


def waiter(name):
    ready.wait()  # (1)!
    print(f"{name}: go")


def impatient():
    if not ready.wait(timeout=0.1):  # (2)!
        print("impatient: gave up after 0.1 s")


def setter():
    gevent.sleep(0.5)
    print("setter: set")
    ready.set()


gevent.joinall(
    [
        gevent.spawn(waiter, "first"),
        gevent.spawn(waiter, "second"),
        gevent.spawn(impatient),
        gevent.spawn(setter),
    ]
)
print("is_set():", ready.is_set())  # (3)!
ready.clear()  # (4)!
print("after clear():", ready.is_set())
