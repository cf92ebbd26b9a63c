"""Record what ran when while one snippet runs: the raw material of the timelines.

gevent_guide/sandbox.py imports this module and calls ``start_recording(path)`` before the
snippet runs when GUIDE_TRACE is set. Nothing in the snippet changes; the recorder
only watches:

- every greenlet switch (``greenlet.settrace``): who ran, who took over, and, for a
  greenlet that gives up control, the line of the snippet where it did so;
- the event loop's idle time: a prepare watcher (the loop is about to poll the OS)
  and a check watcher (the poll returned), both ``ref=False`` so they never keep
  the loop alive;
- thread-pool tasks (``gevent.threadpool.ThreadPool.spawn``): when each task started
  and ended and in which worker thread;
- child processes (``gevent.subprocess.Popen``): when each started and when the
  event loop noticed that it exited;
- server requests (``gevent.pywsgi.WSGIHandler.handle_one_request``);
- every line written to stdout, with the greenlet (or thread) that wrote it.

gevent modules are patched when they are first imported (an import hook), so the
recorder imports nothing of gevent itself before the snippet does.

At exit the trace is written as JSON to ``path``:

    {"version": 1, "snippet": "...", "duration": ms,
     "lanes": [{"name": "main", "kind": "main"}, ...],
     "events": [[kind, t_ms, ...], ...]}

with these events (``lane`` is an index into ``lanes``):

    ["switch", t, from_lane, to_lane, how, where]   how: "switch" | "throw" | "end"
                                                     where: [line, source, call] or None
    ["prepare", t] / ["check", t]                    the hub's loop polls / polled
    ["print", t, lane, text]                          one line of stdout
    ["task-start", t, lane, label] / ["task-end", t, lane]        thread-pool task
    ["process-start", t, lane] / ["process-exit", t, lane, returncode]
    ["request-start", t, lane, request_line] / ["request-end", t, lane]
"""

from __future__ import annotations

import atexit
import contextlib
import json
import linecache
import os
import sys
import threading
import time
import weakref

from gevent_guide.timelines.capture import PatchAfterImport, Stdout

VERSION = 1
_clock = time.perf_counter
_recorder: Recorder | None = None


def _short(value: object, limit: int = 24) -> str:
    """A short, address-free rendering of an argument for a lane name."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (bool, int, float)) or value is None:
        text = repr(value)
    elif isinstance(value, (list, tuple)) and len(value) <= 3:
        inner = ", ".join(_short(v, limit) for v in value)
        text = f"[{inner}]" if isinstance(value, list) else f"({inner})"
    elif callable(value):
        text = getattr(value, "__name__", type(value).__name__)
    else:
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Recorder:
    def __init__(self, path: str, snippet: str | None):
        self.path = path
        self.snippet = os.path.abspath(snippet) if snippet else None
        self.t0 = _clock()
        self.lanes: list[dict] = []
        self.names: set[str] = set()
        self.events: list[list] = []
        self.by_greenlet: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.by_thread: dict[int, int] = {}
        self.by_object: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.main_thread = threading.get_ident()
        self.lock = threading.Lock()
        self.watchers: list = []
        self.hub_seen = False
        self.previous_trace = None
        self.written = False

    def now(self) -> float:
        return round((_clock() - self.t0) * 1000.0, 3)

    # ------------------------------------------------------------ lanes

    def new_lane(self, name: str, kind: str) -> int:
        unique, n = name, 1
        while unique in self.names:
            n += 1
            unique = f"{name} #{n}"
        self.names.add(unique)
        self.lanes.append({"name": unique, "kind": kind})
        return len(self.lanes) - 1

    def greenlet_lane(self, glet) -> int:
        try:
            return self.by_greenlet[glet]
        except (KeyError, TypeError):
            pass
        name, kind = self.describe_greenlet(glet)
        lane = self.new_lane(name, kind)
        with contextlib.suppress(TypeError):  # a greenlet type without weakrefs
            self.by_greenlet[glet] = lane
        return lane

    def snippet_globals(self) -> dict:
        """The snippet's module namespace (runpy's temporary __main__) while it runs."""
        module = sys.modules.get("__main__")
        namespace = getattr(module, "__dict__", {})
        if self.snippet and namespace.get("__file__") != self.snippet:
            return {}
        return namespace

    def variable(self, value: object) -> str | None:
        """The snippet's global name for an object (``p1``, ``pool``, ``delays``)."""
        for name, bound in list(self.snippet_globals().items()):
            if bound is value and not name.startswith("__"):
                return name
        return None

    def argument(self, value: object) -> str:
        if not isinstance(value, (str, bytes, bool, int, float, type(None))):
            name = self.variable(value)
            if name:
                return name
        return _short(value)

    def describe_greenlet(self, glet) -> tuple[str, str]:
        if glet.parent is None:
            return "main", "main"
        hub_type = getattr(sys.modules.get("gevent.hub"), "Hub", None)
        if hub_type is not None and isinstance(glet, hub_type):
            return "hub", "hub"
        func = getattr(glet, "_run", None)
        if func is None:
            func = getattr(glet, "run", None)
        args = tuple(getattr(glet, "args", ()) or ())
        kwargs = dict(getattr(glet, "kwargs", {}) or {})
        owner = getattr(func, "__self__", None)
        if owner is glet:  # a Greenlet subclass with its own _run (IMap, ...)
            return type(glet).__name__, "greenlet"
        name = getattr(func, "__name__", None) or type(glet).__name__
        if owner is not None and not isinstance(owner, type(sys)):
            prefix = self.variable(owner)
            if prefix is None:
                try:
                    prefix = self.lanes[self.by_object[owner]]["name"]
                except (KeyError, TypeError):
                    prefix = type(owner).__name__
            name = f"{prefix}.{name}"
        elif str(getattr(func, "__module__", "")).startswith("gevent"):
            # gevent's own helper greenlet (e.g. the pipe readers of communicate()):
            # name it after the greenlet that spawned it.
            spawner = getattr(glet, "spawning_greenlet", None)
            spawner = spawner() if callable(spawner) and not hasattr(spawner, "switch") else spawner
            if spawner is not None and spawner in self.by_greenlet:
                parent = self.lanes[self.by_greenlet[spawner]]["name"].split("(", 1)[0]
                return f"{name} ({parent})", "greenlet"
        if (
            len(args) == 1
            and not kwargs
            and isinstance(args[0], str)
            and (args[0].startswith(name) or name.startswith(args[0]))
        ):
            return args[0], "greenlet"  # worker("worker-1") -> worker-1
        shown = [self.argument(a) for a in args]
        shown += [f"{k}={self.argument(v)}" for k, v in kwargs.items()]
        return f"{name}({', '.join(shown)})", "greenlet"

    def thread_lane(self, ident: int) -> int:
        with self.lock:  # worker threads may start their first tasks together
            if ident not in self.by_thread:
                number = sum(1 for lane in self.lanes if lane["kind"] == "thread") + 1
                self.by_thread[ident] = self.new_lane(f"thread-{number}", "thread")
            return self.by_thread[ident]

    def current_lane(self) -> int:
        if threading.get_ident() != self.main_thread:
            return self.thread_lane(threading.get_ident())
        import greenlet

        return self.greenlet_lane(greenlet.getcurrent())

    # ------------------------------------------------------------ greenlets

    def where(self, glet) -> list | None:
        """Where a suspended greenlet stopped in the snippet: [line, source, call].

        ``call`` names the snippet function it waits in, with its arguments
        (``task(1)``), when that is not the function the greenlet started with
        (main waiting inside ``task(1)`` called directly); otherwise None."""
        frame = getattr(glet, "gr_frame", None)
        snippet = self.snippet or os.path.abspath(sys.argv[0])
        frames = []
        while frame is not None:
            if frame.f_code.co_filename == snippet:
                frames.append(frame)
            frame = frame.f_back
        if not frames:
            return None
        inner = frames[0]
        source = linecache.getline(snippet, inner.f_lineno).strip()
        source = source.split("  # (", 1)[0].rstrip()
        call = None
        if len(frames) > 1 and inner.f_code.co_name != "<module>":
            code = inner.f_code
            values = inner.f_locals
            shown = [_short(values.get(n)) for n in code.co_varnames[: code.co_argcount]]
            call = f"{code.co_name}({', '.join(shown)})"
        return [inner.f_lineno, source, call]

    def on_switch(self, event: str, args: tuple) -> None:
        if self.previous_trace is not None:
            self.previous_trace(event, args)
        if event not in ("switch", "throw"):
            return
        try:
            origin, target = args
            t = self.now()
            came = self.greenlet_lane(origin)
            goes = self.greenlet_lane(target)
            if origin.dead:
                how, where = "end", None
            else:
                how = "throw" if event == "throw" else "switch"
                where = None if self.lanes[came]["kind"] == "hub" else self.where(origin)
            self.events.append(["switch", t, came, goes, how, where])
            if not self.hub_seen and self.lanes[goes]["kind"] == "hub":
                self.hub_seen = True
                self.watch_loop(target)
        except Exception as exc:  # never break the snippet
            self.events.append(["error", self.now(), repr(exc)])

    def watch_loop(self, hub) -> None:
        loop = getattr(hub, "loop", None)
        if loop is None or not hasattr(loop, "prepare"):
            return
        prepare = loop.prepare(ref=False)
        prepare.start(lambda: self.events.append(["prepare", self.now()]))
        check = loop.check(ref=False)
        check.start(lambda: self.events.append(["check", self.now()]))
        self.watchers += [prepare, check]

    # ------------------------------------------------------------ gevent modules

    def patch(self, module) -> None:
        name = module.__name__
        if name == "gevent.threadpool":
            self.patch_threadpool(module.ThreadPool)
        elif name == "gevent.subprocess":
            self.patch_subprocess(module.Popen)
        elif name == "gevent.pywsgi":
            self.patch_pywsgi(module.WSGIHandler)

    def patch_threadpool(self, pool_type) -> None:
        recorder, original = self, pool_type.spawn

        def spawn(self, func, *args, **kwargs):
            label = getattr(func, "__name__", type(func).__name__)
            label += "(" + ", ".join(_short(a) for a in args) + ")"

            def task(*a, **k):
                lane = recorder.thread_lane(threading.get_ident())
                recorder.events.append(["task-start", recorder.now(), lane, label])
                try:
                    return func(*a, **k)
                finally:
                    recorder.events.append(["task-end", recorder.now(), lane])

            return original(self, task, *args, **kwargs)

        pool_type.spawn = spawn

    def patch_subprocess(self, popen_type) -> None:
        recorder = self
        original_init, original_on_child = popen_type.__init__, popen_type._on_child

        def __init__(self, args, *rest, **kwargs):
            argv = [args] if isinstance(args, (str, bytes)) else list(args)
            argv = [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in argv]
            name = os.path.basename(argv[0]) if argv else "process"
            if name.startswith("python") or os.path.abspath(argv[0]) == sys.executable:
                name = "python"
            # The lane exists before the child does: a quick child can exit (and the
            # loop notice it) while Popen() still waits for its exec().
            lane = recorder.new_lane(name, "process")
            recorder.by_object[self] = lane
            recorder.events.append(["process-start", recorder.now(), lane])
            original_init(self, args, *rest, **kwargs)

        def _on_child(self, watcher):
            original_on_child(self, watcher)
            lane = recorder.by_object.get(self)
            if lane is not None:
                recorder.events.append(["process-exit", recorder.now(), lane, self.returncode])

        popen_type.__init__ = __init__
        popen_type._on_child = _on_child

    def patch_pywsgi(self, handler_type) -> None:
        recorder, original = self, handler_type.handle_one_request

        def handle_one_request(self):
            lane = recorder.current_lane()
            recorder.events.append(["request-start", recorder.now(), lane, None])
            try:
                return original(self)
            finally:
                line = getattr(self, "requestline", None)
                recorder.events.append(["request-end", recorder.now(), lane, line])

        handler_type.handle_one_request = handle_one_request

    # ------------------------------------------------------------ output

    def write(self) -> None:
        if self.written:
            return
        self.written = True
        t = self.now()
        import greenlet

        greenlet.settrace(self.previous_trace)
        for watcher in self.watchers:
            with contextlib.suppress(Exception):
                watcher.stop()
        data = {
            "version": VERSION,
            "snippet": self.snippet,
            "duration": t,
            "lanes": self.lanes,
            "events": self.events,
        }
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


def start_recording(path: str, snippet: str | None = None) -> Recorder:
    """Record a timeline of this process into ``path`` (written at exit)."""
    global _recorder
    import greenlet

    if snippet is None and len(sys.argv) > 1:
        snippet = sys.argv[1]
    recorder = _recorder = Recorder(path, snippet)
    for name in PatchAfterImport.MODULES:
        if name in sys.modules:
            recorder.patch(sys.modules[name])
    sys.meta_path.insert(0, PatchAfterImport(recorder))
    sys.stdout = Stdout(sys.stdout, recorder)
    recorder.previous_trace = greenlet.gettrace()
    greenlet.settrace(recorder.on_switch)
    atexit.register(recorder.write)
    return recorder
