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
    created: float  # psutil's create_time: a later process that reuses the pid is not it


OWNERS: dict[int, Owner] = {}
# Held while a process is started and claimed (the launcher starts runs from a thread),
# and while the leak guard looks: it never sees a process between the two.
CLAIMS = threading.RLock()


def _created(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def claim(pid: int, label: str) -> Owner:
    """Record that `label` started process `pid` (and so everything it starts)."""
    owner = Owner(label, pid, _created(pid) or 0.0)
    OWNERS[pid] = owner
    return owner


def owner_of(proc) -> Owner | None:
    """The starter of a psutil.Process: the claim on the process itself or on its
    nearest ancestor, or else on the leader of its session or process group (which
    still holds after the process's parent has exited and it was reparented)."""
    import psutil

    try:
        created = proc.create_time()
        chain = [proc, *proc.parents()]
    except psutil.Error:
        return None
    for p in chain:
        owner = OWNERS.get(p.pid)
        if owner is not None and abs(owner.created - (_created(p.pid) or -1)) < 0.05:
            return owner
    try:
        leaders = (os.getsid(proc.pid), os.getpgid(proc.pid))
    except OSError:
        return None
    for leader in leaders:
        owner = OWNERS.get(leader)
        if owner is not None and owner.created <= created + 0.05:
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
    for p in psutil.process_iter(["pid", "create_time"]):
        try:
            if p.pid == os.getpid() or p.info["create_time"] + 0.05 < owner.created:
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
