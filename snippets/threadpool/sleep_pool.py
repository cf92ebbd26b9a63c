import time

import gevent
from gevent.threadpool import ThreadPool

pool = ThreadPool(3)  # (1)!

start = time.monotonic()
results = [pool.spawn(time.sleep, 1) for _ in range(4)]  # (2)!
print(f"spawn returned: {type(results[0]).__name__}")
gevent.wait()  # (3)!
elapsed = time.monotonic() - start

print(f"all finished: {all(result.successful() for result in results)}")
print(f"4 sleeps of 1 s on 3 threads took about {round(elapsed)} s")  # (4)!
