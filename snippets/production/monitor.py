# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent[monitor]>=25.4.1"]
# ///
import re
import threading
from pathlib import Path

import gevent
from gevent import events

gevent.config.monitor_thread = True  # (1)!
gevent.config.max_blocking_time = 0.1  # (2)!
gevent.config.print_blocking_reports = False  # (3)!

reported = threading.Event()
reports = []


def on_event(event):  # (4)!
    if isinstance(event, events.EventLoopBlocked):
        reports.append(event)
        reported.set()


def slow_handler():
    reported.wait(timeout=15)  # (5)!


events.subscribers.append(on_event)
handler = gevent.Greenlet(slow_handler)
handler.name = "slow-handler"
handler.start()
handler.join()

report = reports[0]  # (6)!
print(f"blocked greenlet: {report.greenlet.name}, limit: {report.blocking_time} s")
headline = report.info[1].strip()
headline = re.sub(r"^\S+ :", "<time> :", headline)
print(re.sub(r"0x[0-9a-f]+", "0x…", headline))
frame = report.info[4].splitlines()[0]
print(frame.replace(str(Path(__file__).parent), "…"))
