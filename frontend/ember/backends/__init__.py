"""``ember.backends``: what is installed and usable, and choosing a backend per device.

Also holds ``cudnn``/``mps`` flag namespaces so code written for PyTorch
(``torch.backends.cudnn.benchmark = True``) runs unchanged; Ember has no cuDNN switches.
"""

from __future__ import annotations

import types
from dataclasses import dataclass

from ..backend import registry

__all__ = ["BackendInfo", "available", "installed", "prefer", "cudnn", "mps"]


@dataclass(frozen=True)
class BackendInfo:
    """One row of :func:`installed`: name, device type, availability, reason."""

    name: str
    device_type: str
    available: bool
    reason: str | None
    description: str


def installed() -> list[BackendInfo]:
    """Every registered backend (and every plugin that failed to import), usable or not."""
    rows = []
    for spec in registry.specs():
        reason = spec.unavailable_reason()
        rows.append(BackendInfo(spec.name, spec.device_type, reason is None, reason,
                                spec.description))
    for name, err in registry.plugin_errors().items():
        rows.append(BackendInfo(name, "?", False, f"plugin failed to import: {err}", ""))
    return rows


def available() -> list[str]:
    """Names of the backends that can run here.

    >>> import ember
    >>> "numpy" in ember.backends.available()
    True
    """
    return [row.name for row in installed() if row.available]


def prefer(device_type: str, name: str) -> None:
    """Serve ``device_type`` with backend ``name`` from now on (new tensors only)."""
    from .._defaults import reset_backend_cache

    registry.prefer(device_type, name)
    reset_backend_cache()


cudnn = types.SimpleNamespace(benchmark=False, deterministic=False, enabled=True,
                              is_available=lambda: False)
mps = types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
