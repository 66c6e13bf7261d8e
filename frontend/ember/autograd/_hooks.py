"""Where tensor-level methods (``to``, ``clone``) meet the autograd graph."""

from __future__ import annotations

from typing import Any

from .graph import needs_grad, record

__all__ = ["record_to", "record_clone"]


def record_to(src: Any, out: Any) -> Any:
    """Record ``out = src.to(...)`` (ToCopyBackward0): the gradient goes back to ``src``'s
    dtype and device. Integer and bool results are not differentiable."""
    if out._dtype.kind in "fc" and src._dtype.kind in "fc" and needs_grad(src):
        dtype, device = src._dtype, src.device
        record("ToCopyBackward0", lambda g, _s: (g[0].to(device=device, dtype=dtype),),
               (src,), (out,))
    return out


def record_clone(src: Any, out: Any) -> Any:
    """Record ``out = src.clone()`` (CloneBackward0): the gradient passes through."""
    if needs_grad(src):
        record("CloneBackward0", lambda g, _s: (g[0],), (src,), (out,))
    return out
