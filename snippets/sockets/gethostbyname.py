# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent import socket

urls = ["www.google.com", "www.python.org"]

jobs = [gevent.spawn(socket.gethostbyname, url) for url in urls]  # (1)!
gevent.joinall(jobs, timeout=2)  # (2)!

for url, job in zip(urls, jobs, strict=True):
    if job.successful():
        print(f"{url}: {job.value}")  # (3)!
    elif job.ready():
        print(f"{url}: lookup failed ({job.exception})")  # (4)!
    else:
        print(f"{url}: no answer within 2 s")  # (5)!
