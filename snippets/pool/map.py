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
print(f"at least 5 s, as only 2 run at once: {elapsed > 4.9}")  # (4)!
print(f"well under the 10 s of one at a time: {elapsed < 8}")
