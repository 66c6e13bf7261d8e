"""The backend registry: discovery through pluggy, lazy loading, cached resolution.

# NOTE [ Backend resolution ]
Discovery happens once, on the first request for a backend: every module registered in
the entry-point group ``ember.backends`` (the built-in backends included) is loaded as a
pluggy plugin and asked for its :class:`BackendSpec` list. A plugin that fails to import
is recorded with its error and does not break Ember. Resolving a device to a backend
instance is cached per device object, so ops never call a hook.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pluggy

from . import hookspecs
from ._device import device as Device
from ._protocol import Backend, BackendUnavailable

__all__ = ["BackendSpec", "Registry", "registry", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "ember.backends"


@dataclass
class BackendSpec:
    """What a plugin registers: a backend's name, the device type it serves, and a
    ``load()`` returning the :class:`Backend` subclass (importing the array library only
    then). ``priority`` orders backends serving the same device type (highest wins)."""

    name: str
    device_type: str
    load: Callable[[], type[Backend]]
    priority: int = 0
    description: str = ""
    _cls: type[Backend] | None = field(default=None, repr=False)
    _error: str | None = field(default=None, repr=False)

    def backend_class(self) -> type[Backend]:
        """Import and return the backend class; raises BackendUnavailable with the reason."""
        if self._cls is None and self._error is None:
            try:
                self._cls = self.load()
            except ImportError as exc:
                self._error = f"import failed: {exc}"
            except Exception as exc:  # a broken plugin must not break Ember
                self._error = f"failed to load: {type(exc).__name__}: {exc}"
        if self._cls is None:
            raise BackendUnavailable(f"backend {self.name!r} is unavailable: {self._error}")
        return self._cls

    def unavailable_reason(self) -> str | None:
        """None when the backend can run here, else why not."""
        try:
            cls = self.backend_class()
        except BackendUnavailable:
            return self._error
        try:
            return cls.unavailable_reason()
        except Exception as exc:
            return f"availability check failed: {type(exc).__name__}: {exc}"


class Registry:
    """Holds the discovered backends and the per-device backend instances."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._specs: dict[str, BackendSpec] = {}
        self._plugin_errors: dict[str, str] = {}
        self._instances: dict[Device, Backend] = {}
        self._preferred: dict[str, str] = {}
        self._discovered = False
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)

    # ------------------------------------------------------------------ discovery
    def discover(self) -> None:
        """Load every plugin of the ``ember.backends`` entry-point group (once)."""
        with self._lock:
            if self._discovered:
                return
            self._discovered = True
            for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
                if self.pm.has_plugin(ep.name):
                    continue
                try:
                    module = ep.load()
                    self.pm.register(module, name=ep.name)
                except Exception as exc:
                    self._plugin_errors[ep.name] = f"{type(exc).__name__}: {exc}"
            for specs in self.pm.hook.ember_register_backends():
                for spec in specs or ():
                    self._specs.setdefault(spec.name, spec)

    def register(self, spec: BackendSpec, *, replace: bool = False) -> None:
        """Register a backend directly (tests, interactive use); entry points are the
        normal route."""
        self.discover()
        with self._lock:
            if spec.name in self._specs and not replace:
                raise ValueError(f"a backend named {spec.name!r} is already registered")
            self._specs[spec.name] = spec
            self._drop_instances(spec.device_type)

    def unregister(self, name: str) -> None:
        """Remove a backend registered with :meth:`register`."""
        with self._lock:
            spec = self._specs.pop(name, None)
            if spec is not None:
                self._drop_instances(spec.device_type)
                if self._preferred.get(spec.device_type) == name:
                    del self._preferred[spec.device_type]

    def _drop_instances(self, device_type: str) -> None:
        for dev in [d for d in self._instances if d.type == device_type]:
            del self._instances[dev]

    # ------------------------------------------------------------------ queries
    def specs(self) -> list[BackendSpec]:
        """Every registered backend spec, available or not."""
        self.discover()
        return list(self._specs.values())

    def plugin_errors(self) -> dict[str, str]:
        """Entry points that failed to import, with the error."""
        self.discover()
        return dict(self._plugin_errors)

    def spec(self, name: str) -> BackendSpec:
        """The spec registered under ``name``; RuntimeError naming the known ones if none."""
        self.discover()
        try:
            return self._specs[name]
        except KeyError:
            known = ", ".join(sorted(self._specs)) or "none"
            raise RuntimeError(f"unknown backend {name!r}; installed backends: {known}") from None

    def device_types(self) -> list[str]:
        """The device types some registered backend serves."""
        return sorted({s.device_type for s in self.specs()})

    def prefer(self, device_type: str, name: str) -> None:
        """Serve ``device_type`` with the backend ``name`` from now on."""
        spec = self.spec(name)
        if spec.device_type != device_type:
            raise ValueError(
                f"backend {name!r} serves device type {spec.device_type!r}, not {device_type!r}"
            )
        with self._lock:
            self._preferred[device_type] = name
            self._drop_instances(device_type)

    def spec_for(self, device_type: str) -> BackendSpec:
        """The backend spec chosen for ``device_type`` (preferred, else highest priority)."""
        self.discover()
        name = self._preferred.get(device_type)
        if name is not None:
            return self._specs[name]
        candidates = [s for s in self._specs.values() if s.device_type == device_type]
        if not candidates:
            types = ", ".join(self.device_types()) or "none"
            raise RuntimeError(
                f"Expected one of the device types served by the installed backends ({types}) "
                f"device type at start of device string: {device_type}"
            )
        candidates.sort(key=lambda s: (s.unavailable_reason() is None, s.priority), reverse=True)
        return candidates[0]

    def backend(self, dev: Device) -> Backend:
        """The backend instance serving ``dev`` (cached; raises if unavailable)."""
        inst = self._instances.get(dev)
        if inst is not None:
            return inst
        with self._lock:
            inst = self._instances.get(dev)
            if inst is not None:
                return inst
            spec = self.spec_for(dev.type)
            reason = spec.unavailable_reason()
            if reason is not None:
                raise BackendUnavailable(
                    f"device {str(dev)!r} needs the {spec.name!r} backend, which is unavailable: "
                    f"{reason}"
                )
            cls = spec.backend_class()
            count = cls.device_count()
            if dev.index is not None and dev.index >= count:
                raise RuntimeError(
                    f"device {str(dev)!r} does not exist: the {spec.name!r} backend sees "
                    f"{count} {dev.type} device(s)"
                )
            inst = cls(dev)
            self._instances[dev] = inst
            self.pm.hook.ember_backend_loaded(backend=inst)
            return inst


registry = Registry()


def default_device_name() -> str:
    """The device named by ``EMBER_DEVICE``, else ``"cpu"``."""
    return os.environ.get("EMBER_DEVICE", "").strip() or "cpu"
