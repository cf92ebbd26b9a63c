# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1", "gunicorn>=27.0.1"]
# ///
import http.client
import re
import signal
import subprocess
import sys
from pathlib import Path

command = [
    sys.executable,
    "-m",
    "gunicorn",
    "--worker-class=gevent",  # (1)!
    "--bind=127.0.0.1:0",  # (2)!
    "--no-control-socket",  # (3)!
    "app:application",
]
gunicorn = subprocess.Popen(
    command, cwd=Path(__file__).parent, stderr=subprocess.PIPE, text=True
)
log = []
for line in gunicorn.stderr:  # (4)!
    log.append(line)
    if "Booting worker" in line:
        break
port = int(re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", "".join(log))[1])

connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
connection.request("GET", "/")
response = connection.getresponse()
print(f"GET / -> {response.status} {response.read().decode()}", end="")
connection.close()

gunicorn.send_signal(signal.SIGTERM)  # (5)!
log += gunicorn.stderr
print(f"gunicorn exited with code {gunicorn.wait(timeout=30)}")
print("gunicorn's log:")
for line in log:  # (6)!
    line = re.sub(r"^\[[^]]+\] \[\d+\]", "[<time>] [<pid>]", line)
    line = re.sub(r"pid: \d+|\(\d+\)", lambda m: re.sub(r"\d+", "<pid>", m[0]), line)
    print(f"  {line.replace(f':{port}', ':<port>')}", end="")
