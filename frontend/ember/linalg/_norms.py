"""Norms: ``vector_norm``, ``matrix_norm``, ``norm`` (``ember.linalg``), ``Tensor.norm`` and
``dist``, with their backward."""

from __future__ import annotations

import math
from typing import Any

from .._ops._autodiff import differentiable, recomputed
from .._ops._common import norm_dim, shape_of, to_dtype
from .._ops._elementwise import _tname, sub
from .._ops._grad_utils import distribute, unreduce
from .._ops._reduction import acc_dtype, check_tensor, reduce_axes, write
from .._ops._registry import public
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D

__all__ = ["vector_norm", "matrix_norm", "norm", "norm_", "dist"]

_L = "ember.linalg"


def _real_abs(be: Any, x: Any, dt: D.dtype) -> Any:
    a = be.abs(x)
    return be.real(a) if dt.is_complex else a


def _vector_norm_backward(ctx: Any, g: Tensor) -> Tensor:
    x, keepdim = ctx.input, ctx.arg(3, "keepdim", False)
    p = float(ctx.arg(1, "ord", 2))
    axes = reduce_axes(x, ctx.arg(2, "dim"), "linalg.vector_norm")
    shape = shape_of(x)
    gk, nk = unreduce(g, shape, axes, keepdim), unreduce(ctx.out, shape, axes, keepdim)
    if p == 0:
        return x * 0
    if p == 1:
        return gk * x.sgn()
    if math.isinf(p):
        return distribute(g, x.abs(), ctx.out, axes, keepdim) * x.sgn()
    if p == 2:
        return (gk * x / nk).where(nk != 0, 0.0)
    scale = x * x.abs().pow(p - 2) / nk.pow(p - 1)
    return (gk * scale).where(nk != 0, 0.0)


@public(module=_L, method=False)
@differentiable("LinalgVectorNormBackward0", _vector_norm_backward, save_output=True,
                complex_ok=True)  # x / |x| and sgn(x): right for complex x as written
def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: D.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """The vector ``ord``-norm over ``dim`` (every element when None): ``inf``/``-inf`` are
    the largest/smallest magnitude, 0 counts nonzeros, others are ``sum(|x|**ord)**(1/ord)``.

    Example:
        >>> import ember
        >>> ember.linalg.vector_norm(ember.tensor([3., 4.]))
        tensor(5.)
    """
    check_tensor("linalg.vector_norm", x, "x")
    if x._dtype.kind not in "fc":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_tname(x._dtype)}")
    be = x._backend
    src = to_dtype(x, dtype) if dtype is not None else x._data
    dt = dtype or x._dtype
    rdt = dt.to_real()
    acc = acc_dtype(rdt)
    shape = shape_of(x)
    axes = reduce_axes(x, dim, "linalg.vector_norm")
    a = _real_abs(be, src, dt)
    a = a if acc is rdt else be.astype(a, acc)
    p = float(ord)
    if math.isinf(p):
        if any(shape[i] == 0 for i in axes) or (not axes and 0 in shape):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {'' if p > 0 else '-'}inf "
                               f"norm on an empty tensor because the operation does not have an "
                               f"identity")
        res = (be.max if p > 0 else be.min)(a, axes, keepdim)
    elif p == 0:
        res = be.sum(be.astype(be.ne(a, 0), acc), axes, keepdim)
    elif p == 1:
        res = be.sum(a, axes, keepdim)
    elif p == 2:
        res = be.sqrt(be.sum(be.mul(a, a), axes, keepdim))
    else:
        res = be.pow(be.sum(be.pow(a, p), axes, keepdim), 1.0 / p)
    return write(_wrap(res if acc is rdt else be.astype(res, rdt), rdt, be), out)


def _svd_reduce(A: Tensor, d0: int, d1: int, keepdim: bool, how: str) -> Tensor:
    """The sum, max or min of the singular values over the matrix dims ``(d0, d1)``, with
    tensor ops, so it is differentiable (NOTE [ SVD gradients ])."""
    nd = A.dim()
    rest = tuple(i for i in range(nd) if i not in (d0, d1))
    from . import svdvals

    s = svdvals(A.permute(rest + (d0, d1)))
    r = s.sum(-1) if how == "sum" else s.amax(-1) if how == "max" else s.amin(-1)
    if keepdim:  # as PyTorch: (..., 1, 1) moved back to (d0, d1)
        r = r.unsqueeze(-1).unsqueeze(-1).movedim((-2, -1), (d0, d1))
    return r


@public(module=_L, method=False)
def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,
                dtype: D.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """The matrix norm over the two dimensions ``dim``: ``'fro'``, ``'nuc'``, ``inf``/``-inf``
    (max/min row sum), 1/-1 (max/min column sum), 2/-2 (largest/smallest singular value)."""
    check_tensor("linalg.matrix_norm", A, "A")
    shape = shape_of(A)
    if len(shape) < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if A._dtype.kind not in "fc":
        raise RuntimeError(f"linalg.matrix_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_tname(A._dtype)}")
    d0, d1 = (norm_dim(d, len(shape), "linalg.matrix_norm") for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    if dtype is not None:
        A = _wrap(to_dtype(A, dtype), dtype, A._backend)
    if ord == "fro":
        return write(vector_norm(A, 2, (d0, d1), keepdim), out)
    if ord == "nuc":
        return write(_svd_reduce(A, d0, d1, keepdim, "sum"), out)
    if ord in (2, -2):
        return write(_svd_reduce(A, d0, d1, keepdim, "max" if ord > 0 else "min"), out)
    if ord in (1, -1, math.inf, -math.inf):
        inner, outer = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = A.abs().sum(inner, keepdim=keepdim)
        o = outer if keepdim or outer < inner else outer - 1
        r = sums.amax(o, keepdim=keepdim) if ord > 0 else sums.amin(o, keepdim=keepdim)
        return write(r, out)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


@public(module=_L, method=False)
def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
         dtype: D.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """A vector norm (``dim`` an int, or 1-d input) or a matrix norm (``dim`` a pair, or 2-d
    input); with neither ``ord`` nor ``dim``, the 2-norm of all elements."""
    check_tensor("linalg.norm", A, "A")
    if dim is not None:
        dims = [dim] if isinstance(dim, int) else list(dim)
        if len(dims) == 1:
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype,
                               out=out)
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                           f"{dims}")
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    nd = len(shape_of(A))
    if nd == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)
    if nd == 2:
        return matrix_norm(A, ord, (0, 1), keepdim, dtype=dtype, out=out)
    raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D "
                       f"or 2D. Got {nd}D.")


@public("norm")
def norm_(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
          dtype: D.dtype | None = None, *, out: Tensor | None = None) -> Tensor:
    """PyTorch's ``Tensor.norm``: ``'fro'`` (the 2-norm over ``dim``), ``'nuc'``, or a vector
    ``p``-norm over ``dim`` (every element when None)."""
    check_tensor("norm", input)
    dims = [dim] if isinstance(dim, int) else dim
    if isinstance(p, str):
        if p == "fro" and (dims is None or len(dims) <= 2):
            return vector_norm(input, 2, dims, keepdim, dtype=dtype, out=out)
        if dims is None:
            dims = list(range(len(shape_of(input))))
        return matrix_norm(input, p, dims, keepdim, dtype=dtype, out=out)
    return vector_norm(input, 2.0 if p is None else p, dims, keepdim, dtype=dtype, out=out)


@public()
@recomputed("DistBackward0", inputs=lambda a, k: (a[0], a[1]))
def dist(input: Tensor, other: Tensor, p: Any = 2) -> Tensor:
    """The ``p``-norm of ``input - other``."""
    check_tensor("dist", input)
    check_tensor("dist", other, "other")
    for t in (input, other):
        if t._dtype.kind not in "fc":
            raise RuntimeError(f"norm(): input dtype should be either floating point or "
                               f"complex. Got {_tname(t._dtype)} instead.")
    return vector_norm(sub(input, other), p)
