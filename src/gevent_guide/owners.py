"""Who started which process. Every process the session starts on purpose is claimed by
its starter: each snippet run (its interpreter is the leader of a new session, so its
children stay in that session for life), the session's Chromium
(tests/browser/conftest.py), and anything else a fixture starts and keeps. The leak guard
(tests/conftest.py) blames a test only for processes that appeared during it and that no
starter claims; a claimed process is its starter's business for its whole life."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    label: str  # who started it, as messages name it
    pid: int
    started: int  # started(pid): a later process that reuses the pid is not it


OWNERS: dict[int, Owner] = {}
# Held while a process is started and claimed (the launcher starts runs from a thread),
# and while the leak guard looks: it never sees a process between the two.
CLAIMS = threading.RLock()


def started(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot: the `starttime` field of
    /proc/PID/stat (proc(5)), which never changes. Not psutil's create_time(): that adds
    the boot time as the wall clock sees it at the moment of asking, and when the clock
    is adjusted (NTP, a VM's clock) every process's create_time moves by a second at
    once. That made the session's long-lived Playwright driver look like a new,
    unclaimed process in the middle of a run (issue 11)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            line = stat.read()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces and ')'
    fields = line[line.rindex(b")") + 2 :].split()
    return int(fields[22 - 3])


def claim(pid: int, label: str) -> Owner:
    """Record that `label` started process `pid` (and so everything it starts)."""
    owner = Owner(label, pid, started(pid) or 0)
    OWNERS[pid] = owner
    return owner


def owner_of(proc) -> Owner | None:
    """The starter of a psutil.Process: the claim on the process itself or on its
    nearest ancestor, or else on the leader of its session or process group (which
    still holds after the process's parent has exited and it was reparented)."""
    import psutil

    began = started(proc.pid)
    try:
        chain = [proc, *proc.parents()]
    except psutil.Error:
        return None
    if began is None:
        return None
    for p in chain:
        owner = OWNERS.get(p.pid)
        if owner is not None and owner.started == started(p.pid):
            return owner
    try:
        leaders = (os.getsid(proc.pid), os.getpgid(proc.pid))
    except OSError:
        return None
    for leader in leaders:
        owner = OWNERS.get(leader)
        if owner is not None and owner.started <= began:
            return owner
    return None


def is_stray(proc) -> bool:
    """Whether a process the guard saw appear is unclaimed and still running now. One
    that ended while the guard was looking (a background run finishing at that moment,
    so that its parents could no longer be read) left nothing behind."""
    import psutil

    if owner_of(proc) is not None:
        return False
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def processes_of(owner: Owner) -> list:
    """Live (not zombie) processes of an owner's session or process group, anywhere."""
    import psutil

    alive = []
    for p in psutil.process_iter(["pid"]):
        try:
            began = started(p.pid)
            if p.pid == os.getpid() or began is None or began < owner.started:
                continue
            if owner.pid in (os.getsid(p.pid), os.getpgid(p.pid)) and (
                p.status() != psutil.STATUS_ZOMBIE
            ):
                alive.append(p)
        except (OSError, psutil.Error):
            continue
    return alive


def _tree(pid: int) -> set[int]:
    import psutil

    try:
        return {pid, *(p.pid for p in psutil.Process(pid).children(recursive=True))}
    except psutil.Error:
        return set()


def describe(proc) -> str:
    import psutil

    try:
        return f"{proc.pid} {' '.join(proc.cmdline()) or proc.name()}"
    except psutil.Error:
        return str(proc.pid)


def listening_ports(pids: set[int]) -> set[int]:
    import psutil

    ports = set()
    for pid in pids:
        try:
            conns = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.Error:
            continue
        ports |= {c.laddr.port for c in conns if c.status == psutil.CONN_LISTEN}
    return ports


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
