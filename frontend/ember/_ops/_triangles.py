"""Triangles and diagonals: tril, triu, diag, diag_embed, trace -- each with its backward
(NOTE [ Declaring a derivative ] in ``_autodiff``).

A triangle's gradient is the same triangle of the output gradient; placing a vector on a
diagonal and reading a diagonal are each other's gradients (the read side through
:func:`embed`, so double backward works).
"""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import shape_of
from ._inplace import make_inplace
from ._registry import public
from ._view_core import norm_dim
from ._views import diagonal, embed

__all__ = ["tril", "triu", "diag", "diag_embed", "trace"]

_diagonal = diagonal


# ---------------------------------------------------------------------------- triangles
def _triangle(input: Tensor, k: int, lower: bool, op: str) -> Tensor:
    shape = shape_of(input)
    if len(shape) < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions")
    be = input._backend
    n, m = shape[-2:]
    rows = be.reshape(be.arange(0, 1, n, D.int64), (n, 1))
    diff = be.sub(be.arange(0, 1, m, D.int64), rows)
    mask = be.le(diff, k) if lower else be.ge(diff, k)
    zero = False if input._dtype is D.bool_ else 0
    return _wrap(be.where(mask, input._data, zero), input._dtype, be)


@public()
@differentiable("TrilBackward0", lambda ctx, g: tril(g, ctx.arg(1, "diagonal", 0)))
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (elements with ``col - row <= diagonal``); the rest is zeroed.

    Example:
        >>> import ember
        >>> ember.ones(2, 2).tril()
        tensor([[1., 0.],
                [1., 1.]])
    """
    return _triangle(input, diagonal, True, "tril")


@public()
@differentiable("TriuBackward0", lambda ctx, g: triu(g, ctx.arg(1, "diagonal", 0)))
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (elements with ``col - row >= diagonal``); the rest is zeroed."""
    return _triangle(input, diagonal, False, "triu")


make_inplace("tril", tril)
make_inplace("triu", triu)


# ---------------------------------------------------------------------------- diagonals
def _zeros(shape: tuple[int, ...], like: Tensor) -> Tensor:
    be = like._backend
    zero = False if like._dtype is D.bool_ else 0
    return _wrap(be.full(shape, zero, like._dtype), like._dtype, be)


def _diag_backward(ctx: Any, g: Tensor) -> Tensor:
    k = ctx.arg(1, "diagonal", 0)
    if ctx.input.dim() == 1:
        return _diagonal(g, k)
    return embed(g, shape_of(ctx.input), lambda z: _diagonal(z, k), "Diagonal")


@public()
@differentiable(lambda ctx: "DiagEmbedBackward0" if ctx.input.dim() == 1
                else "DiagonalBackward0_copy", _diag_backward)
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-d input: a square matrix with it on diagonal ``diagonal``; 2-d input: a copy of that
    diagonal.

    Example:
        >>> import ember
        >>> ember.diag(ember.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
    """
    nd = input.dim()
    if nd == 1:
        size = input.numel() + abs(diagonal)
        out = _zeros((size, size), input)
        out._backend.copy_into(_diagonal(out, diagonal, 0, 1)._data, input._data)
        return out
    if nd == 2:
        be = input._backend
        return _wrap(be.copy(_diagonal(input, diagonal, 0, 1)._data), input._dtype, be)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")


@public()
@differentiable("DiagEmbedBackward0", lambda ctx, g: _diagonal(
    g, ctx.arg(1, "offset", 0), ctx.arg(2, "dim1", -2), ctx.arg(3, "dim2", -1)))
def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Place the last axis of ``input`` on diagonal ``offset`` of the planes (dim1, dim2) of
    a new tensor with one more axis."""
    shape = shape_of(input)
    nd = len(shape) + 1
    a, b = norm_dim(dim1, nd, "diag_embed"), norm_dim(dim2, nd, "diag_embed")
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = (shape[-1] if shape else 1) + abs(offset)
    rest = iter(shape[:-1])
    out = _zeros(tuple(n if i in (a, b) else next(rest) for i in range(nd)), input)
    out._backend.copy_into(_diagonal(out, offset, a, b)._data, input._data)
    return out


def _trace_backward(ctx: Any, g: Tensor) -> Tensor:
    shape = shape_of(ctx.input)
    return embed(g.expand(min(shape)), shape, _diagonal, "Diagonal")


@public()
@differentiable("TraceBackward0", _trace_backward)
def trace(input: Tensor) -> Tensor:
    """The sum of the main diagonal of a matrix."""
    if input._dtype is D.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    return _diagonal(input).sum()
