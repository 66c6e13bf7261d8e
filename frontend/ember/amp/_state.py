"""The thread-local autocast state (PyTorch's ``torch.is_autocast_enabled`` & co.) and the
cast that autocast-eligible ops apply to their inputs.

NOTE [ Autocast call sites ]
Ops that run in lower precision under autocast (``matmul``, ``mm``, ``bmm``, ``linear``,
``conv*d``) start with::

    if AUTOCAST_ACTIVE[0]:
        input, weight, bias = autocast_args(input, weight, bias)

``AUTOCAST_ACTIVE[0]`` counts the enabled autocast states over every thread, so outside
autocast the cost is one global load and one subscript; ``autocast_args`` then reads this
thread's state for the device type of the first tensor argument. The cast must happen
before the op records its graph node (the casts are recorded as ``ToCopyBackward0``), so an op
wrapped by ``differentiable`` takes the :func:`autocast_lower` decorator above it instead.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from ..backend import _dtypes as D
from ..backend import registry

__all__ = ["AUTOCAST_ACTIVE", "autocast_args", "autocast_lower", "is_autocast_available",
           "is_autocast_enabled", "set_autocast_enabled", "get_autocast_dtype",
           "set_autocast_dtype", "is_autocast_cache_enabled", "set_autocast_cache_enabled",
           "clear_autocast_cache", "autocast_increment_nesting", "autocast_decrement_nesting"]

AUTOCAST_ACTIVE = [0]
_LOCK = threading.Lock()
_DEFAULT_DTYPES = {"cuda": D.float16}  # every other device type: bfloat16


class _State(threading.local):
    def __init__(self) -> None:
        self.enabled: dict[str, bool] = {}
        self.dtypes: dict[str, D.dtype] = {}
        self.cache_enabled = True
        self.nesting = 0
        self.cache: dict[int, tuple[Any, Any]] = {}


_state = _State()


def is_autocast_available(device_type: str) -> bool:
    """True when autocast can run on ``device_type``: ``"cpu"``, ``"cuda"`` or the device
    type of an installed backend.

    Example:
        >>> import ember
        >>> ember.amp.is_autocast_available("cpu")
        True
    """
    if device_type in ("cpu", "cuda"):
        return True
    return any(s.device_type == device_type for s in registry.specs())


def _device_type(device_type: str, op: str) -> str:
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    kind = device_type.split(":", 1)[0]
    if not is_autocast_available(kind):
        raise RuntimeError(f"{op}(): unsupported autocast device_type '{device_type}'")
    return kind


def is_autocast_enabled(device_type: str = "cuda") -> bool:
    """Whether autocast is enabled for ``device_type`` in this thread (``"cuda"`` when no
    device type is given, as in PyTorch).

    Example:
        >>> import ember
        >>> with ember.autocast("cpu"):
        ...     ember.is_autocast_enabled("cpu")
        True
    """
    return _state.enabled.get(_device_type(device_type, "is_autocast_enabled"), False)


def set_autocast_enabled(device_type: str, enabled: bool) -> None:
    """Enable or disable autocast for ``device_type`` in this thread."""
    kind = _device_type(device_type, "set_autocast_enabled")
    enabled = bool(enabled)
    was = _state.enabled.get(kind, False)
    if was != enabled:
        with _LOCK:
            AUTOCAST_ACTIVE[0] += 1 if enabled else -1
    _state.enabled[kind] = enabled


def get_autocast_dtype(device_type: str) -> D.dtype:
    """The dtype autocast casts to on ``device_type`` in this thread (by default
    ``float16`` for CUDA and ``bfloat16`` elsewhere).

    Example:
        >>> import ember
        >>> ember.get_autocast_dtype("cpu")
        ember.bfloat16
    """
    kind = _device_type(device_type, "get_autocast_dtype")
    return _state.dtypes.get(kind) or _DEFAULT_DTYPES.get(kind, D.bfloat16)


def set_autocast_dtype(device_type: str, dtype: D.dtype) -> None:
    """Set the dtype autocast casts to on ``device_type`` in this thread."""
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"set_autocast_dtype(): expected an ember.dtype, got {dtype!r}")
    _state.dtypes[_device_type(device_type, "set_autocast_dtype")] = dtype


def is_autocast_cache_enabled() -> bool:
    """Whether casts of leaf tensors (weights) are cached inside autocast regions."""
    return _state.cache_enabled


def set_autocast_cache_enabled(enabled: bool) -> None:
    """Turn the autocast weight-cast cache on or off in this thread."""
    _state.cache_enabled = bool(enabled)


def clear_autocast_cache() -> None:
    """Forget the cached weight casts (done when the outermost autocast region exits)."""
    _state.cache.clear()


def autocast_increment_nesting() -> int:
    """Enter one more autocast region; returns the new depth."""
    _state.nesting += 1
    return _state.nesting


def autocast_decrement_nesting() -> int:
    """Leave an autocast region; returns the new depth."""
    _state.nesting = max(_state.nesting - 1, 0)
    return _state.nesting


def _cast(t: Any, kind: str, dtype: D.dtype) -> Any:
    # PyTorch's is_eligible: a floating tensor on the autocast device, not float64.
    dt = getattr(t, "_dtype", None)
    if dt is None or dt is dtype or dt.kind != "f" or dt is D.float64 or t.device.type != kind:
        return t
    if _state.cache_enabled and t.is_leaf and t.requires_grad:
        hit = _state.cache.get(id(t))
        if hit is not None and hit[0] is t and hit[1].dtype is dtype:
            return hit[1]
        out = t.to(dtype)
        _state.cache[id(t)] = (t, out)
        return out
    return t.to(dtype)


def autocast_args(*args: Any) -> tuple:
    """``args`` with each floating tensor cast to this thread's autocast dtype when autocast
    is enabled for their device type (NOTE [ Autocast call sites ]); others unchanged."""
    kind = next((a.device.type for a in args if hasattr(a, "_dtype")), None)
    if kind is None or not _state.enabled.get(kind, False):
        return args
    dtype = _state.dtypes.get(kind) or _DEFAULT_DTYPES.get(kind, D.bfloat16)
    return tuple(_cast(a, kind, dtype) for a in args)


def autocast_lower(fn: Callable) -> Callable:
    """Decorate an op that runs in the autocast dtype: its positional tensor arguments are
    cast by :func:`autocast_args` when an autocast region is active anywhere."""

    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        if AUTOCAST_ACTIVE[0]:
            args = autocast_args(*args)
        return fn(*args, **kwargs)

    op.forward = getattr(fn, "forward", fn)  # type: ignore[attr-defined]
    return op
