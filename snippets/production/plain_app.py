# /// script
# requires-python = ">=3.10"
# dependencies = []
# ///
import socket
import threading
import time

print(f"socket.socket: {socket.socket.__module__}")  # (1)!
print(f"time.sleep: {time.sleep.__module__}")
print(f"threading.Lock: {threading.Lock.__module__}")
