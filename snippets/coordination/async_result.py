# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.event import AsyncResult

settings = AsyncResult()  # (1)!


def load_settings():
    gevent.sleep(0.05)
    settings.set({"pool_size": 4})  # (2)!


def worker(n):
    pool_size = settings.get()["pool_size"]  # (3)!
    print(f"worker-{n}: starting with pool_size={pool_size}")


jobs = [gevent.spawn(worker, 1), gevent.spawn(worker, 2), gevent.spawn(load_settings)]
gevent.joinall(jobs)
print(f"ready={settings.ready()}, successful={settings.successful()}")

user = AsyncResult()
gevent.spawn(user.set_exception, LookupError("no user 42"))  # (4)!
try:
    user.get()
except LookupError as exc:
    print(f"get() raised LookupError: {exc}")
