# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.pool import Pool

pool = Pool(2)  # (1)!
running = peak = 0


def process_item(item):
    global running, peak
    running += 1  # (2)!
    peak = max(peak, running)
    gevent.sleep(0.1)  # (3)!
    running -= 1
    return item * 2


results = pool.map(process_item, range(100))  # (4)!

print("first results:", results[:5])
print("last result:", results[-1])
print("number of results:", len(results))
print(f"tasks running at the same time: at most {peak}")  # (5)!
