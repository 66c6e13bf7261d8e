"""``ember.cuda`` memory statistics, with PyTorch's names.

A CUDA backend may report its allocator's statistics through an optional
``memory_stats(device_index) -> dict`` method (flat keys in PyTorch's format, e.g.
``"allocated_bytes.all.current"``). Without CUDA, or from a backend without that method, the
statistics are empty and every count is 0, as PyTorch reports before CUDA is initialised.
"""

from __future__ import annotations

import collections
import warnings
from typing import Any

__all__ = ["memory_stats", "memory_stats_as_nested_dict", "memory_allocated",
           "max_memory_allocated", "memory_reserved", "max_memory_reserved", "memory_cached",
           "max_memory_cached", "memory_summary", "reset_peak_memory_stats",
           "reset_max_memory_allocated", "reset_accumulated_memory_stats", "mem_get_info"]


def _index(device: Any) -> int:
    from . import _current

    if device is None:
        return _current[0]
    if isinstance(device, int):
        return device
    from .._defaults import as_device

    d = as_device(device)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return d.index or 0


def _backend(device: Any) -> Any:
    from . import is_available

    if not is_available():
        return None
    from .._defaults import backend_for

    return backend_for(f"cuda:{_index(device)}")


def memory_stats(device: Any = None) -> dict[str, Any]:
    """The CUDA allocator's statistics for ``device`` as a flat, sorted dictionary (empty when
    CUDA is unavailable or its backend keeps none).

    Example:
        >>> import ember
        >>> isinstance(ember.cuda.memory_stats(), dict)
        True
    """
    be = _backend(device)
    stats = getattr(be, "memory_stats", None)
    flat = stats(_index(device)) if stats is not None else {}
    return collections.OrderedDict(sorted(flat.items()))


def memory_stats_as_nested_dict(device: Any = None) -> dict[str, Any]:
    """:func:`memory_stats` nested at each ``.`` of its keys."""
    nested: dict[str, Any] = {}
    for key, value in memory_stats(device).items():
        *path, last = key.split(".")
        node = nested
        for part in path:
            node = node.setdefault(part, {})
        node[last] = value
    return nested


def _stat(device: Any, key: str) -> int:
    return memory_stats(device).get(key, 0)


def memory_allocated(device: Any = None) -> int:
    """Bytes of device memory held by tensors now (0 without CUDA).

    Example:
        >>> import ember
        >>> ember.cuda.memory_allocated() >= 0
        True
    """
    return _stat(device, "allocated_bytes.all.current")


def max_memory_allocated(device: Any = None) -> int:
    """The peak of :func:`memory_allocated` (0 without CUDA)."""
    return _stat(device, "allocated_bytes.all.peak")


def memory_reserved(device: Any = None) -> int:
    """Bytes of device memory the allocator holds, used or cached (0 without CUDA)."""
    return _stat(device, "reserved_bytes.all.current")


def max_memory_reserved(device: Any = None) -> int:
    """The peak of :func:`memory_reserved` (0 without CUDA)."""
    return _stat(device, "reserved_bytes.all.peak")


def memory_cached(device: Any = None) -> int:
    """Deprecated: renamed :func:`memory_reserved`."""
    warnings.warn("`torch.cuda.memory_cached` has been renamed to `torch.cuda.memory_reserved`",
                  FutureWarning, stacklevel=2)
    return memory_reserved(device)


def max_memory_cached(device: Any = None) -> int:
    """Deprecated: renamed :func:`max_memory_reserved`."""
    warnings.warn("`torch.cuda.max_memory_cached` has been renamed to "
                  "`torch.cuda.max_memory_reserved`", FutureWarning, stacklevel=2)
    return max_memory_reserved(device)


def _reset(device: Any, what: str) -> None:
    from . import _require

    _require()
    reset = getattr(_backend(device), what, None)
    if reset is not None:
        reset(_index(device))


def reset_peak_memory_stats(device: Any = None) -> None:
    """Reset the peak statistics (needs CUDA, as in PyTorch)."""
    _reset(device, "reset_peak_memory_stats")


def reset_max_memory_allocated(device: Any = None) -> None:
    """Reset the peak of :func:`memory_allocated` (needs CUDA)."""
    _reset(device, "reset_peak_memory_stats")


def reset_accumulated_memory_stats(device: Any = None) -> None:
    """Reset the allocated/freed totals (needs CUDA)."""
    _reset(device, "reset_accumulated_memory_stats")


def mem_get_info(device: Any = None) -> tuple[int, int]:
    """``(free, total)`` bytes of the device's memory (needs CUDA, as in PyTorch)."""
    from . import _require

    _require()
    info = getattr(_backend(device), "mem_get_info", None)
    if info is None:
        raise RuntimeError("mem_get_info(): the CUDA backend does not report device memory")
    return tuple(info(_index(device)))


_METRICS = [("allocated_bytes", "Allocated memory", True), ("active_bytes", "Active memory", True),
            ("requested_bytes", "Requested memory", True),
            ("reserved_bytes", "GPU reserved memory", True),
            ("inactive_split_bytes", "Non-releasable memory", True),
            ("allocation", "Allocations", False), ("active", "Active allocs", False),
            ("segment", "GPU reserved segments", False),
            ("inactive_split", "Non-releasable allocs", False)]


def _fmt(value: int, pref: float, size: bool) -> str:
    prefixes = ["B  ", "KiB", "MiB", "GiB", "TiB", "PiB"] if size else [" ", "K", "M"]
    step, limit = (1024, 768 * 1024) if size else (1000, 750 * 1000)
    prefix = prefixes[0]
    for new_prefix in prefixes[1:]:
        if pref < limit:
            break
        prefix, value, pref = new_prefix, value // step, pref / step
    return f"{value:6d} {prefix}" if size else f"{value:7d} {prefix} "


def memory_summary(device: Any = None, abbreviated: bool = False) -> str:
    """A printable table of the allocator statistics for ``device``, in PyTorch's layout.

    Without CUDA every figure is 0 (PyTorch raises ``KeyError`` there instead, reading a
    statistic its empty dictionary lacks).

    Args:
        device (ember.device or int, optional): the device; the current one if ``None``.
        abbreviated (bool, optional): leave out the large/small pool rows. Default: ``False``.

    Example:
        >>> import ember
        >>> print(ember.cuda.memory_summary(abbreviated=True).splitlines()[1])
        |                  Ember CUDA memory summary, device ID 0                   |
    """
    stats, index = memory_stats(device), _index(device)

    def row(name: str, prefix: str, size: bool,
            pref: dict[str, int] | None) -> tuple[str, dict[str, int]]:
        vals = [stats.get(prefix + k, 0) for k in ("current", "peak", "allocated", "freed")]
        prefs = pref or dict(zip("cpaf", vals))
        cells = [_fmt(v, prefs[c], size) for v, c in zip(vals, "cpaf")]
        return f" {name:<21} | " + " | ".join(cells) + " ", prefs

    lines = ["=" * 75, f" {'':16} Ember CUDA memory summary, device ID {index:<19d} ", "-" * 75,
             f"  {'':9} CUDA OOMs: {stats.get('num_ooms', 0):<12d} | {'':6} cudaMalloc "
             f"retries: {stats.get('num_alloc_retries', 0):<8d}  ", "=" * 75,
             "        Metric         | Cur Usage  | Peak Usage | Tot Alloc  | Tot Freed  "]
    for key, name, size in _METRICS:
        lines.append("-" * 75)
        subs = [("all", name)] + ([] if abbreviated else [("large_pool", "      from large pool"),
                                                         ("small_pool", "      from small pool")])
        pref = None
        for sub, sub_name in subs:
            text, pref = row(sub_name, f"{key}.{sub}.", size, pref)
            lines.append(text)
    for key, name in [("oversize_allocations", "Oversize allocations"),
                      ("oversize_segments", "Oversize GPU segments")]:
        lines.append("-" * 75)
        lines.append(row(name, key + ".", False, None)[0])
    lines.append("=" * 75)
    return "|" + "|\n|".join(lines) + "|\n"
