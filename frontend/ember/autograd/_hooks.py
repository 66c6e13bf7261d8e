"""Where tensor-level methods (``to``, ``clone``) meet the autograd graph.

Until an op records a graph node, these return their result unchanged; the autograd
engine (ember.autograd) replaces the recording here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["record_to", "record_clone"]


def record_to(src: Any, out: Any) -> Any:
    """Record ``out = src.to(...)`` (ToCopyBackward0)."""
    return out


def record_clone(src: Any, out: Any) -> Any:
    """Record ``out = src.clone()`` (CloneBackward0)."""
    return out
