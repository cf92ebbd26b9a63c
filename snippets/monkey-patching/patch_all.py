from gevent import monkey

monkey.patch_all()  # (1)!

import time  # noqa: E402

import gevent  # noqa: E402

blocking_sleep = monkey.get_original("time", "sleep")  # (2)!


def three_sleeps(sleep):
    start = time.monotonic()
    gevent.joinall([gevent.spawn(sleep, 0.2) for _ in range(3)])  # (3)!
    return time.monotonic() - start


def about(seconds, expected, other):  # (4)!
    if abs(seconds - expected) >= abs(seconds - other):
        raise RuntimeError(f"took {seconds:.2f} s, expected about {expected:g} s")
    return f"about {expected:g} s, not {other:g} s"


print(f"socket patched: {monkey.is_module_patched('socket')}")
print(f"time.sleep is gevent.sleep: {time.sleep is gevent.sleep}")  # (5)!
blocking = three_sleeps(blocking_sleep)  # (6)!
print(f"3 x original time.sleep(0.2) took {about(blocking, 0.6, 0.2)}")
cooperative = three_sleeps(time.sleep)  # (7)!
print(f"3 x patched time.sleep(0.2) took {about(cooperative, 0.2, 0.6)}")
