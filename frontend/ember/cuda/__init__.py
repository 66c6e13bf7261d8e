"""``ember.cuda``: CUDA devices, served by the CuPy backend when it is installed.

Importing Ember never imports CuPy: availability is asked of the registry, which loads the
CuPy backend plugin only when asked.
"""

from __future__ import annotations

from typing import Any

from ..backend import registry
from ._memory import *  # noqa: F403
from ._memory import __all__ as _memory_all

__all__ = ["is_available", "device_count", "unavailable_reason", "current_device",
           "set_device", "synchronize", "manual_seed", "manual_seed_all", "empty_cache",
           *_memory_all]

_current = [0]


def unavailable_reason() -> str | None:
    """None when a CUDA device can be used, else why not ("CuPy is not installed", "no
    CUDA device", or that no installed backend serves ``cuda``)."""
    specs = [s for s in registry.specs() if s.device_type == "cuda"]
    if not specs:
        return ("no installed backend serves device type 'cuda' (install the CuPy backend: "
                "pip install 'ember[cuda]')")
    reasons = [s.unavailable_reason() for s in specs]
    if any(r is None for r in reasons):
        return None
    return "; ".join(f"{s.name}: {r}" for s, r in zip(specs, reasons))


def is_available() -> bool:
    """True when a backend can run tensors on a CUDA device here.

    >>> import ember
    >>> isinstance(ember.cuda.is_available(), bool)
    True
    """
    return unavailable_reason() is None


def device_count() -> int:
    """The number of CUDA devices (0 when CUDA is unavailable)."""
    if not is_available():
        return 0
    return registry.spec_for("cuda").backend_class().device_count()


def _require() -> None:
    reason = unavailable_reason()
    if reason is not None:
        raise RuntimeError(f"CUDA is not available: {reason}")


def current_device() -> int:
    """The index of the current CUDA device."""
    _require()
    return _current[0]


def set_device(device: int | str) -> None:
    """Make ``device`` the current CUDA device."""
    _require()
    from .._defaults import as_device

    d = as_device(device)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    _current[0] = d.index or 0


def synchronize(device: int | str | None = None) -> None:
    """Wait for every kernel on the CUDA device to finish."""
    _require()
    from .._defaults import backend_for

    backend_for(f"cuda:{_current[0]}" if device is None else device).synchronize()


def manual_seed(seed: int) -> None:
    """Seed the CUDA generators (Ember's streams are the same on every device)."""
    from .. import _random

    _random.manual_seed(seed)


manual_seed_all = manual_seed


def empty_cache() -> None:
    """Release cached device memory (no-op when CUDA is unavailable)."""
    if is_available():
        from .._defaults import backend_for

        be = backend_for("cuda")
        getattr(be, "empty_cache", lambda: None)()


def __getattr__(name: str) -> Any:
    # ``ember.cuda.amp`` loads on first use: it needs ``ember.amp``, imported after ``cuda``.
    if name == "amp":
        import importlib

        return importlib.import_module(".amp", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
