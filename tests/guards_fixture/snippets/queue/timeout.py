from gevent.queue import Empty, Queue

q = Queue()
try:
    q.get(timeout=0.1)
except Empty:
    print("empty after 0.1 s")
