# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import itertools

import gevent
from gevent.event import Event

gevent.get_hub().exception_stream = None  # (1)!
attempts = itertools.count(1)
connected = Event()


def connect():
    attempt = next(attempts)
    if attempt < 3:
        raise ConnectionError(f"attempt {attempt} refused")
    return f"connected on attempt {attempt}"


def start(delay):
    job = gevent.spawn_later(delay, connect)  # (2)!
    job.link(ended)  # (3)!
    job.link_exception(retry)  # (4)!
    job.link_value(report)  # (5)!


def ended(job):
    print(f"link: a job ended, successful={job.successful()}")


def retry(job):
    print(f"link_exception: {job.exception!r}, retrying in 0.1 s")
    start(0.1)


def report(job):
    print(f"link_value: {job.value}")
    connected.set()


start(0)
connected.wait()  # (6)!
print("main: connected, moving on")
