# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1", "requests>=2.34.2"]
# ///
from gevent import monkey

monkey.patch_all()  # (1)!

import gevent  # noqa: E402
import requests  # noqa: E402

urls = [
    "https://www.google.com/",
    "https://www.python.org/",
]


def print_header(url, job):
    if not job.successful():
        print(f"{url}: failed ({type(job.exception).__name__})")  # (2)!
        return
    response = job.value
    content_type = response.headers.get("Content-Type", "(no Content-Type)")  # (3)!
    print(f"{url}: {response.status_code} {content_type}")


jobs = [gevent.spawn(requests.get, url, timeout=5) for url in urls]  # (4)!
gevent.joinall(jobs)  # (5)!
for url, job in zip(urls, jobs, strict=True):
    print_header(url, job)
