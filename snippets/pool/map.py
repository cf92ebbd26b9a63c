import time

import gevent
from gevent.pool import Pool

pool = Pool(2)  # (1)!


def process_item(item):
    gevent.sleep(0.1)  # (2)!
    return item * 2


start = time.perf_counter()
results = pool.map(process_item, range(100))  # (3)!
elapsed = time.perf_counter() - start

print("first results:", results[:5])
print("last result:", results[-1])
print("number of results:", len(results))
expected, one_at_a_time = 100 * 0.1 / 2, 100 * 0.1
if abs(elapsed - expected) >= abs(elapsed - one_at_a_time):  # (4)!
    raise RuntimeError(f"took {elapsed:.1f} s, expected about {expected:g} s")
print(f"took about {expected:g} s, not the {one_at_a_time:g} s of one at a time")
