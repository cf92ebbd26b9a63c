# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent

with gevent.Timeout(0.2):  # (1)!
    gevent.sleep(0.1)
print("0.1 s of work under a 0.2 s limit: OK")

try:
    with gevent.Timeout(0.2):
        gevent.sleep(1)  # (2)!
        print("never printed")
except gevent.Timeout as t:  # (3)!
    print(f"1 s of work under a 0.2 s limit: Timeout ({t})")
