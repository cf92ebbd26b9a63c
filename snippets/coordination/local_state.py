# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
from types import SimpleNamespace

import gevent
from gevent.local import local

request = local()  # (1)!
shared = SimpleNamespace()


def handle(user):
    request.user = user  # (2)!
    shared.user = user
    gevent.sleep(0)  # (3)!
    print(f"handling {user}: local says {request.user}, shared says {shared.user}")


gevent.joinall([gevent.spawn(handle, user) for user in ("alice", "bob", "carol")])
print(f"main greenlet sees a user: {hasattr(request, 'user')}")  # (4)!
