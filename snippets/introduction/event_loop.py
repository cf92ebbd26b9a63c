# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import threading

import gevent


def report(name):
    in_main = threading.current_thread() is threading.main_thread()
    print(f"{name} runs in the main thread: {in_main}")


loop = gevent.get_hub().loop  # (1)!
print(f"event loop: {type(loop).__module__}")
gevent.joinall([gevent.spawn(report, name) for name in ("first", "second", "third")])
print(f"Python threads in this process: {threading.active_count()}")  # (2)!
