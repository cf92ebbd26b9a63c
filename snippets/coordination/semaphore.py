# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.lock import BoundedSemaphore

connections = BoundedSemaphore(2)  # (1)!
holding = []


def query(name):
    with connections:  # (2)!
        holding.append(name)
        print(f"{name} in, holding: {holding}")
        gevent.sleep(0)  # (3)!
        holding.remove(name)
    print(f"{name} out")


gevent.joinall([gevent.spawn(query, f"job-{n}") for n in range(1, 5)])
try:
    connections.release()  # (4)!
except ValueError as exc:
    print(f"ValueError: {exc}")
