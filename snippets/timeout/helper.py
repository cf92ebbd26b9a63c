# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
from contextlib import contextmanager

import gevent


@contextmanager
def gevent_timeout(seconds):
    timeout = gevent.Timeout(seconds)
    timeout.start()  # (1)!
    try:
        yield
    finally:
        timeout.cancel()  # (2)!


with gevent_timeout(0.2):
    gevent.sleep(0.1)
print("0.1 s of work under a 0.2 s limit: OK")
