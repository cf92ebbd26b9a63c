# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent


def work(seconds):
    result = None  # (1)!
    with gevent.Timeout(0.2, False):  # (2)!
        gevent.sleep(seconds)
        result = f"finished {seconds} s of work"
    return result


print(work(0.1))
print(work(1))  # (3)!
