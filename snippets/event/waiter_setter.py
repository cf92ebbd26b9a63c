# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.event import Event

evt = Event()  # (1)!


def waiter():
    print("waiter: waiting for the event")
    evt.wait()  # (2)!
    print("waiter: the event is set, done waiting")


def setter():
    print("setter: setting the event in 1 second")
    gevent.sleep(1)  # (3)!
    evt.set()  # (4)!


gevent.joinall(
    [
        gevent.spawn(waiter),
        gevent.spawn(setter),
    ]
)
