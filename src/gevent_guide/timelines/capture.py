"""What the recorder hooks into the snippet's process besides greenlet's tracer: every
line it prints, and gevent modules patched right after their import."""

from __future__ import annotations

import importlib.abc
import importlib.util


class Stdout:
    """Passes everything to the real stdout and notes each complete line."""

    def __init__(self, stream, recorder):
        self._stream = stream
        self._recorder = recorder
        self._partial = ""

    def write(self, text):
        written = self._stream.write(text)
        try:
            self._partial += text
            if "\n" in self._partial:
                *lines, self._partial = self._partial.split("\n")
                t, lane = self._recorder.now(), self._recorder.current_lane()
                for line in lines:
                    self._recorder.events.append(["print", t, lane, line])
        except Exception:
            pass
        return written

    def __getattr__(self, name):
        return getattr(self._stream, name)


class PatchAfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import hook: lets the recorder patch some gevent modules right after import."""

    MODULES = {"gevent.threadpool", "gevent.subprocess", "gevent.pywsgi"}

    def __init__(self, recorder):
        self.recorder = recorder
        self.loaders: dict[str, importlib.abc.Loader] = {}

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.MODULES or fullname in self.loaders:
            return None
        self.loaders[fullname] = None
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            del self.loaders[fullname]
        if spec is None or spec.loader is None:
            return None
        self.loaders[fullname] = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self.loaders[spec.name].create_module(spec)

    def exec_module(self, module):
        self.loaders[module.__name__].exec_module(module)
        try:
            self.recorder.patch(module)
        except Exception as exc:
            self.recorder.events.append(["error", self.recorder.now(), repr(exc)])
