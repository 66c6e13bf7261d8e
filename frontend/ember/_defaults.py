"""Process-wide defaults: the default dtype, the default device, backend lookup by device."""

from __future__ import annotations

import threading

from .backend import _dtypes as D
from .backend import registry
from .backend._device import device
from .backend._protocol import Backend
from .backend._registry import default_device_name

__all__ = [
    "get_default_dtype",
    "set_default_dtype",
    "get_default_device",
    "set_default_device",
    "backend_for",
    "as_device",
]

_state = threading.local()
_DEFAULT_FLOAT = [D.float32]
_DEFAULT_DEVICE: list[device | None] = [None]
_BACKENDS: dict[device, Backend] = {}


def get_default_dtype() -> D.dtype:
    """The dtype of floating tensors created from Python floats (``float32`` at start).

    >>> import ember
    >>> ember.get_default_dtype()
    ember.float32
    """
    return _DEFAULT_FLOAT[0]


def set_default_dtype(d: D.dtype) -> None:
    """Set the default floating dtype; only ``float32`` and ``float64`` (and half types)
    are accepted, as in PyTorch."""
    if not isinstance(d, D.dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _DEFAULT_FLOAT[0] = d


def as_device(dev: object) -> device:
    """Turn a string, int or device into a canonical :class:`ember.device`."""
    if type(dev) is device:
        return dev  # type: ignore[return-value]
    if dev is None:
        return get_default_device()
    if isinstance(dev, int) and not isinstance(dev, bool):
        return device("cuda", dev)
    if isinstance(dev, str | device):
        return device(dev)
    raise TypeError(f"expected a device (str, int or ember.device), got {type(dev).__name__}")


def get_default_device() -> device:
    """The device new tensors go to: ``set_default_device``'s, else ``EMBER_DEVICE``'s,
    else ``cpu``."""
    dev = getattr(_state, "device", None) or _DEFAULT_DEVICE[0]
    if dev is None:
        dev = _DEFAULT_DEVICE[0] = device(default_device_name())
    return dev


def set_default_device(dev: object) -> None:
    """Make ``dev`` the device new tensors are created on (``None`` resets to ``cpu`` or
    ``EMBER_DEVICE``). The backend serving it is resolved now, so an unknown or
    unavailable device fails here."""
    if dev is None:
        _DEFAULT_DEVICE[0] = None
        return
    d = as_device(dev)
    backend_for(d)
    _DEFAULT_DEVICE[0] = d


def _canonical(dev: device) -> device:
    # "cuda" means the current CUDA device, as in PyTorch; other types keep their index.
    if dev.type == "cuda" and dev.index is None:
        return device("cuda", 0)
    return dev


def backend_for(dev: object) -> Backend:
    """The backend instance serving ``dev`` (cached per device)."""
    be = _BACKENDS.get(dev)  # type: ignore[arg-type]
    if be is not None:
        return be
    d = as_device(dev)
    be = registry.backend(_canonical(d))
    _BACKENDS[d] = be
    return be


def reset_backend_cache() -> None:
    """Forget resolved backends (after registering or preferring a backend)."""
    _BACKENDS.clear()
