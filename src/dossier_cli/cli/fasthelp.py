"""Keep `--help` light: Typer's help renderer without the parts dossier never uses.

`typer.rich_utils` (loaded for every help screen and usage error) imports `rich.markdown`
(and with it markdown-it, ~50 ms) and `rich.traceback` (with Pygments), at the top of the
module. dossier renders help in Rich-markup mode and turns pretty exceptions off, so
neither is needed. While `typer.rich_utils` itself is being imported, those two modules
are stand-ins whose one class (`Markdown`, `Traceback`) loads the real module on first
use; once the import is done the stand-ins are gone from `sys.modules`, so anything
importing `rich.markdown` later gets the real module.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
from typing import Any

_DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
_TARGET = "typer.rich_utils"


def _real(module_name: str, attribute: str) -> Any:
    module = sys.modules.get(module_name)
    if module is None or getattr(module, "_dossier_stand_in", False):
        sys.modules.pop(module_name, None)
        module = importlib.import_module(module_name)
    return getattr(module, attribute)


def _stand_in(module_name: str, attribute: str) -> types.ModuleType:
    class _Forward(type):
        def __getattr__(cls, name: str) -> Any:
            if name.startswith("__"):  # typing and copy probe dunders: not a reason to load
                raise AttributeError(name)
            return getattr(_real(module_name, attribute), name)

        def __instancecheck__(cls, instance: Any) -> bool:
            return isinstance(instance, _real(module_name, attribute))

    def _new(cls: Any, *args: Any, **kwargs: Any) -> Any:
        return _real(module_name, attribute)(*args, **kwargs)

    deferred = _Forward(attribute, (), {"__new__": _new, "__module__": module_name})
    module = types.ModuleType(module_name)
    module._dossier_stand_in = True  # type: ignore[attr-defined]
    setattr(module, attribute, deferred)

    def __getattr__(name: str) -> Any:  # anything else: the real module
        if name.startswith("__"):  # the import system probes `__path__` and the like
            raise AttributeError(name)
        return _real(module_name, name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


class _Loader:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: Any) -> Any:
        return self.inner.create_module(spec)

    def exec_module(self, module: Any) -> None:
        placed = []
        for name, attribute in _DEFERRED.items():
            if name not in sys.modules:
                sys.modules[name] = _stand_in(name, attribute)
                placed.append(name)
        try:
            self.inner.exec_module(module)
        finally:
            for name in placed:
                if getattr(sys.modules.get(name), "_dossier_stand_in", False):
                    del sys.modules[name]


class _Finder:
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != _TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Put the finder in place (once, and only if Typer's help renderer is not loaded yet)."""
    if _TARGET in sys.modules or any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
