# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent


def foo():
    print("Running in foo")
    gevent.sleep(0)  # (1)!
    print("Explicit context switch to foo again")


def bar():
    print("Explicit context to bar")
    gevent.sleep(0)  # (2)!
    print("Implicit context switch back to bar")


gevent.joinall(  # (3)!
    [
        gevent.spawn(foo),
        gevent.spawn(bar),
    ]
)
