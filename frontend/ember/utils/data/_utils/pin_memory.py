"""Page-locking the tensors of a batch (``DataLoader(pin_memory=True)``) before a GPU copy.

Pinned host memory only exists next to an accelerator; the DataLoader calls
:func:`pin_memory` only when ``ember.cuda.is_available()``. A tensor without a
``pin_memory`` method (a backend that cannot pin) is returned unchanged.
"""

from __future__ import annotations

import collections.abc
from typing import Any

from .collate import _rebuild_mapping, _rebuild_sequence

__all__ = ["pin_memory"]


def pin_memory(data: Any, device: str | None = None) -> Any:
    """``data`` with every tensor (or object with a ``pin_memory()`` method) pinned, the
    structure (mappings, namedtuples, tuples, sequences) kept."""
    if hasattr(data, "pin_memory"):
        return data.pin_memory()
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {k: pin_memory(v, device) for k, v in data.items()})
    if isinstance(data, tuple):
        if hasattr(data, "_fields"):  # namedtuple
            return type(data)(*(pin_memory(v, device) for v in data))
        return type(data)(pin_memory(v, device) for v in data)
    if isinstance(data, collections.abc.Sequence):
        return _rebuild_sequence(data, [pin_memory(v, device) for v in data])
    return data
