# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import time

import gevent


def ticker():
    gevent.sleep(0.1)  # (1)!
    print("  ticker: woke up (asked for 0.1 s)")


def cruncher(share):
    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:  # (2)!
        sum(range(1_000))
        if share:
            gevent.idle()  # (3)!
    print("  cruncher: 1 s of computing done")


for share in (False, True):
    print("cruncher yields with gevent.idle():", share)
    gevent.joinall([gevent.spawn(ticker), gevent.spawn(cruncher, share)])
