# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
import gevent
from gevent.event import Event

evt = Event()  # (1)!


def waiter():
    print("대기 시작")
    evt.wait()  # (2)!
    print("대기 종료")


def setter():
    print("1초 후 이벤트 설정")
    gevent.sleep(1)  # (3)!
    evt.set()  # (4)!


gevent.joinall(
    [
        gevent.spawn(waiter),
        gevent.spawn(setter),
    ]
)
