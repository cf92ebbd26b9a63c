# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.pool import Pool

delays = [0.3, 0.1, 0.2]


def wait(delay):
    gevent.sleep(delay)
    return delay


pool = Pool(3)
print("map:           ", pool.map(wait, delays))  # (1)!
print("imap_unordered:", list(pool.imap_unordered(wait, delays)))  # (2)!

greenlet = pool.spawn(wait, 0.1)  # (3)!
print("free slots while one runs:", pool.free_count())
pool.join()  # (4)!
print("spawned greenlet returned:", greenlet.value)
