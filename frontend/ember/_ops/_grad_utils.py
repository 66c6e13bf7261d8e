"""Building blocks shared by backward formulas of reductions (all differentiable)."""

from __future__ import annotations

from collections.abc import Sequence

from .._tensor import Tensor
from ._common import shape_of

__all__ = ["unreduce", "distribute", "at_index", "reverse_cumsum"]


def unreduce(g: Tensor, shape: Sequence[int], axes: Sequence[int], keepdim: bool) -> Tensor:
    """``g`` (a reduction's output gradient) reshaped to broadcast against the input."""
    if keepdim or not shape:
        return g
    return g.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))


def distribute(g: Tensor, x: Tensor, out: Tensor, axes: Sequence[int], keepdim: bool,
               nan_first: bool = False) -> Tensor:
    """The gradient of max/min-like reductions: split evenly among the tied extremes.

    As PyTorch: ``amax``/``amin`` give nan along a slice holding nan (``nan_first=False``);
    the full ``max()``/``min()``/``median()`` give the gradient to the nan elements instead.
    """
    shape = shape_of(x)
    if nan_first and bool((x != x).any()):
        mask = x != x
    else:
        mask = x == unreduce(out, shape, axes, keepdim)
    count = mask.sum(dim=list(axes), keepdim=True) if shape else mask.to(x.dtype)
    return unreduce(g, shape, axes, keepdim) / count * mask


def at_index(g: Tensor, x: Tensor, dim: int, index: Tensor, keepdim: bool) -> Tensor:
    """The gradient of a (values, indices) reduction along ``dim``: ``g`` at ``index``."""
    from ._creation import arange

    shape = shape_of(x)
    if not shape:
        return g
    idx = index if keepdim else index.unsqueeze(dim)
    pos = arange(shape[dim], device=x.device).reshape(
        tuple(-1 if i == dim else 1 for i in range(len(shape))))
    return unreduce(g, shape, (dim,), keepdim).where(pos == idx, 0.0)


def reverse_cumsum(g: Tensor, dim: int) -> Tensor:
    """``flip(cumsum(flip(g)))`` along ``dim``: the adjoint of a cumulative sum."""
    return g.sum(dim, keepdim=True) - g.cumsum(dim) + g
