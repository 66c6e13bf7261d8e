"""Reductions: sum, mean, prod, max/min, amax/amin, aminmax, argmax/argmin, all/any and
logsumexp, with the helpers the other reduction modules share.

# NOTE [ Reduction dtypes ]
As in PyTorch: ``sum``/``prod``/``cumsum``/``cumprod`` of bool and integer input give int64
(unless ``dtype=`` says otherwise, which casts the input first); ``mean`` and the other
floating reductions refuse integer input; ``all``/``any`` give bool (uint8 for uint8
input). Float16 and bfloat16 means, variances and log-sum-exps are computed in float32
and rounded once, as PyTorch's CPU kernels accumulate them.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import math
from collections.abc import Sequence
from typing import Any

from .._defaults import get_default_dtype
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import norm_dims, shape_of, to_dtype
from ._elementwise import _tname
from ._grad_utils import unreduce
from ._real_only import refusal
from ._registry import public

__all__ = [
    "sum", "nansum", "mean", "nanmean", "prod",
    "all", "any", "logsumexp", "reduce_axes", "out_shape", "check_tensor",
    "write", "acc_dtype", "numel_of", "check_nonempty", "numpy_dim", "numpy_keywords",
]

_HALF = (D.float16, D.bfloat16)


# ---------------------------------------------------------------------------- helpers
def check_tensor(op: str, x: Any, name: str = "input") -> None:
    """TypeError as PyTorch words it when ``x`` is not a Tensor."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")


def check_real(op: str, x: Any, exc: type[Exception] = NotImplementedError) -> None:
    """:func:`check_tensor`, and PyTorch's ``exc`` for complex input (no order)."""
    check_tensor(op, x)
    if x._dtype.kind == "c":
        raise refusal(op, exc, x._dtype)


def reduce_axes(t: Tensor, dim: Any, op: str) -> tuple[int, ...]:
    """The axes a reduction over ``dim`` covers: every axis for None or an empty list."""
    ndim = len(shape_of(t))
    if dim is None or (isinstance(dim, Sequence) and len(dim) == 0):
        return tuple(range(ndim))
    return norm_dims(dim, ndim, op)


def numel_of(shape: Sequence[int], axes: Sequence[int] | None = None) -> int:
    """The number of elements of ``shape`` (of the ``axes`` only, when given)."""
    return math.prod(shape if axes is None else [shape[a] for a in axes])


def check_nonempty(op: str, shape: Sequence[int], axes: Sequence[int]) -> None:
    """PyTorch's IndexError for a reduction with no identity over an empty axis."""
    for a in axes:
        if shape[a] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {a} to have non-zero size.")


def out_shape(shape: Sequence[int], axes: Sequence[int], keepdim: bool) -> tuple[int, ...]:
    """The shape of a reduction of ``shape`` over ``axes``."""
    if keepdim:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def acc_dtype(dt: D.dtype) -> D.dtype:
    """The dtype a floating reduction computes in (float32 for the half types)."""
    return D.float32 if dt in _HALF else dt


def write(res: Any, out: Tensor | None) -> Any:
    """Honour ``out=``."""
    if out is None:
        return res
    from ._inplace import write_out

    return write_out(out, res)


# NOTE [ NumPy keyword aliases ]
# PyTorch accepts NumPy's ``axis`` for ``dim`` and ``keepdims`` for ``keepdim`` on its
# reductions and scans. Ops that record their own graph node take both as keyword-only
# parameters and call ``numpy_dim`` only when one is given (the positional fast path pays one
# comparison); ops wrapped by ``differentiable`` take ``numpy_keywords`` above it, so their
# backward reads ``dim``/``keepdim`` under PyTorch's names.


def numpy_dim(op: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> tuple[Any, Any]:
    """``(dim, keepdim)`` from PyTorch's names or NumPy's aliases (NOTE [ NumPy keyword
    aliases ]); passing a name and its alias together is a TypeError."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{op}() received both 'dim' and its alias 'axis'")
        dim = axis
    if keepdims is not None:
        if keepdim:
            raise TypeError(f"{op}() received both 'keepdim' and its alias 'keepdims'")
        keepdim = keepdims
    return dim, keepdim


def numpy_keywords(fn: Any) -> Any:
    """Let the op ``fn`` take ``axis=`` for ``dim=`` and, where it has ``keepdim``,
    ``keepdims=`` (NOTE [ NumPy keyword aliases ])."""
    params = inspect.signature(fn).parameters
    aliases = [(a, c) for a, c in (("axis", "dim"), ("keepdims", "keepdim")) if c in params]
    name = fn.__name__

    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            for alias, canonical in aliases:
                if alias in kwargs:
                    if canonical in kwargs:
                        raise TypeError(f"{name}() received both '{canonical}' and its alias "
                                        f"'{alias}'")
                    kwargs[canonical] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    op.forward = getattr(fn, "forward", fn)
    return op


def _floating(op: str, t: Tensor) -> None:
    if t._dtype.kind not in "fc":
        raise RuntimeError(f"{op}(): expected input to have floating point or complex dtype "
                           f"but got {_tname(t._dtype)}")


# ---------------------------------------------------------------------------- sums
@public()
def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: D.dtype | None = None,
        axis: Any = None, keepdims: bool | None = None, out: Tensor | None = None) -> Tensor:
    """Sum over ``dim`` (an int, a list of ints, or None for every dimension).

    Bool and integer input is summed in int64; ``dtype`` casts the input first.

    Example:
        >>> import ember
        >>> ember.tensor([[1, 2], [3, 4]]).sum(dim=0)
        tensor([4, 6])
    """
    check_tensor("sum", input)
    if isinstance(dim, D.dtype):
        dim, dtype = None, dim
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("sum", dim, keepdim, axis, keepdims)
    be = input._backend
    dt = dtype or (D.int64 if input._dtype.kind in "bi" else input._dtype)
    axes = reduce_axes(input, dim, "sum")
    res = _wrap(be.sum(to_dtype(input, dt), axes, keepdim), dt, be)
    if input._requires_grad and grad_state.enabled:
        _record_reduction("SumBackward0" if dim is None else "SumBackward1", input, res, axes,
                          keepdim, None)
    return write(res, out)


def _record_reduction(name: str, input: Tensor, res: Tensor, axes: tuple, keepdim: bool,
                      scale: float | None) -> None:
    # The gradient of a sum is the output gradient broadcast back over the reduced axes.
    shape = shape_of(input)

    def backward(grads: tuple, saved: tuple) -> tuple:
        g = grads[0]
        if not keepdim:
            g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))
        g = g.expand(shape)
        return (g / scale if scale is not None else g,)

    record(name, backward, (input,), (res,))


def _nansum_backward(ctx: Any, g: Tensor) -> Tensor:
    x = ctx.input
    shape, axes, keepdim = shape_of(x), _axes(ctx, "nansum"), ctx.arg(2, "keepdim", False)
    return unreduce(g, shape, axes, keepdim).where(x == x, 0.0)


def _axes(ctx: Any, op: str) -> tuple[int, ...]:
    dim = ctx.arg(1, "dim")
    return reduce_axes(ctx.input, None if isinstance(dim, D.dtype) else dim, op)


@public()
@numpy_keywords
@differentiable("NansumBackward0", _nansum_backward)
def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *,
           dtype: D.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """Sum treating nan as zero."""
    check_tensor("nansum", input)
    if input._dtype.kind in "fc":
        be = input._backend
        x = be.where(be.isnan(input._data), 0, input._data)
        input = _wrap(x, input._dtype, be)
    return sum(input, dim, keepdim, dtype=dtype, out=out)


def _mean_dtype(op: str, input: Tensor, dtype: D.dtype | None) -> D.dtype:
    dt = dtype or input._dtype
    if dt.kind not in "fc":
        which = "Input" if dtype is None else "Optional"
        raise RuntimeError(f"{op}(): could not infer output dtype. {which} dtype must be either "
                           f"a floating point or complex dtype. Got: {_tname(dt)}")
    return dt


@public()
def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *,
         dtype: D.dtype | None = None, axis: Any = None, keepdims: bool | None = None,
         out: Tensor | None = None) -> Tensor:
    """Arithmetic mean over ``dim``; integer input is an error (pass ``dtype=``).

    Example:
        >>> import ember
        >>> ember.tensor([1., 2., 6.]).mean()
        tensor(3.)
    """
    check_tensor("mean", input)
    dt = _mean_dtype("mean", input, dtype)
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("mean", dim, keepdim, axis, keepdims)
    be = input._backend
    acc = acc_dtype(dt)
    axes = reduce_axes(input, dim, "mean")
    n = numel_of(shape_of(input), axes)
    res = be.div(be.sum(to_dtype(input, acc), axes, keepdim), float(n))
    out_t = _wrap(res if acc is dt else be.astype(res, dt), dt, be)
    if input._requires_grad and grad_state.enabled:
        _record_reduction("MeanBackward0" if dim is None else "MeanBackward1", input, out_t,
                          axes, keepdim, float(n))
    return write(out_t, out)


def _nanmean_backward(ctx: Any, g: Tensor) -> Tensor:
    x = ctx.input
    shape, axes, keepdim = shape_of(x), _axes(ctx, "nanmean"), ctx.arg(2, "keepdim", False)
    keep = x == x
    count = keep.sum(dim=list(axes), keepdim=True)
    return (unreduce(g, shape, axes, keepdim) / count).where(keep, 0.0)


@public()
@numpy_keywords
@differentiable("DivBackward0", _nanmean_backward)
def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *,
            dtype: D.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """Mean of the non-nan elements (nan where there are none)."""
    check_tensor("nanmean", input)
    _floating("nanmean", input)
    dt = dtype or input._dtype
    be = input._backend
    acc = acc_dtype(dt)
    x = to_dtype(input, acc)
    keep = be.logical_not(be.isnan(x))
    axes = reduce_axes(input, dim, "nanmean")
    total = be.sum(be.where(keep, x, 0), axes, keepdim)
    count = be.astype(be.sum(be.astype(keep, D.int64), axes, keepdim), acc)
    res = be.div(total, count)
    return write(_wrap(res if acc is dt else be.astype(res, dt), dt, be), out)


def _prod_backward(ctx: Any, g: Tensor) -> Tensor:
    # As PyTorch: out / x without zeros; with zeros, each element's gradient is the exact
    # product of the others (exclusive products from both ends), which is safe with zeros.
    x = ctx.input
    if x.dtype.kind not in "fc":
        return None
    shape, axes, keepdim = shape_of(x), _axes(ctx, "prod"), ctx.arg(2, "keepdim", False)
    gk = unreduce(g, shape, axes, keepdim)
    if not bool((x == 0).any()):
        return gk * unreduce(ctx.out, shape, axes, keepdim) / x
    dim = ctx.arg(1, "dim")
    if dim is None or isinstance(dim, D.dtype) or not shape:
        return gk * _others_product(x.reshape(-1), 0).reshape(shape)
    return gk * _others_product(x, axes[0])


def _others_product(x: Tensor, dim: int) -> Tensor:
    """Along ``dim``, the product of every element but the one at each position."""
    from ._join import cat

    n = shape_of(x)[dim]
    one = x.narrow(dim, 0, 1) * 0 + 1
    left = cat([one, x.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    flipped = x.flip(dim)
    right = cat([one, flipped.narrow(dim, 0, n - 1)], dim).cumprod(dim).flip(dim)
    return left * right


@public()
@numpy_keywords
@differentiable(lambda ctx: "ProdBackward0" if ctx.arg(1, "dim") is None or isinstance(
    ctx.arg(1, "dim"), D.dtype) else "ProdBackward1", _prod_backward, save_output=True)
def prod(input: Tensor, dim: Any = None, keepdim: bool = False, *,
         dtype: D.dtype | None = None, out: Tensor | None = None) -> Tensor:
    """Product over ``dim`` (bool and integer input give int64)."""
    check_tensor("prod", input)
    if isinstance(dim, D.dtype):
        dim, dtype = None, dim
    be = input._backend
    dt = dtype or (D.int64 if input._dtype.kind in "bi" else input._dtype)
    axes = reduce_axes(input, dim, "prod")
    return write(_wrap(be.prod(to_dtype(input, dt), axes, keepdim), dt, be), out)


def _logical(op: str, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    check_tensor(op, input)
    be = input._backend
    res = getattr(be, op)(input._data, reduce_axes(input, dim, op), keepdim)
    if input._dtype is D.uint8:
        return _wrap(be.astype(res, D.uint8), D.uint8, be)
    return _wrap(res, D.bool_, be)


@public()
def all(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None, out: Tensor | None = None) -> Tensor:
    """True when every element (along ``dim``) is nonzero (uint8 input gives uint8)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("all", dim, keepdim, axis, keepdims)
    return write(_logical("all", input, dim, keepdim), out)


@public()
def any(input: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None, out: Tensor | None = None) -> Tensor:
    """True when some element (along ``dim``) is nonzero (uint8 input gives uint8)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = numpy_dim("any", dim, keepdim, axis, keepdims)
    return write(_logical("any", input, dim, keepdim), out)


def _logsumexp_backward(ctx: Any, g: Tensor) -> Tensor:
    x, keepdim = ctx.input, ctx.arg(2, "keepdim", False)
    if x.dtype.kind not in "fc":
        return None
    axes = reduce_axes(x, ctx.arg(1, "dim"), "logsumexp")
    shape = shape_of(x)
    return unreduce(g, shape, axes, keepdim) * (x - unreduce(ctx.out, shape, axes, keepdim)).exp()


@public()
@numpy_keywords
@differentiable("LogsumexpBackward0", _logsumexp_backward, save_output=True)
def logsumexp(input: Tensor, dim: Any, keepdim: bool = False, *, out: Tensor | None = None
              ) -> Tensor:
    """``log(sum(exp(input), dim))`` computed stably (integer input gives the default
    float dtype)."""
    check_tensor("logsumexp", input)
    be = input._backend
    dt = input._dtype if input._dtype.kind in "fc" else get_default_dtype()
    acc = acc_dtype(dt)
    x = to_dtype(input, acc)
    shape = shape_of(input)
    axes = reduce_axes(input, dim, "logsumexp")
    fused = be.optional("logsumexp")
    if fused is not None:
        res = fused(x, axes, keepdim)
    elif builtins.any(shape[a] == 0 for a in axes) or not shape:
        res = be.log(be.sum(be.exp(x), axes, keepdim))
    else:
        # complex numbers have no order: shift by the largest real part
        m = be.max(be.real(x) if dt.is_complex else x, axes, True)
        m = be.where(be.isinf(m), 0, m)
        if dt.is_complex:
            m = be.astype(m, acc)
        res = be.add(be.log(be.sum(be.exp(be.sub(x, m)), axes, keepdim)),
                     m if keepdim else be.reshape(m, out_shape(shape, axes, False)))
    return write(_wrap(res if acc is dt else be.astype(res, dt), dt, be), out)


# The extremes (max, min, amax, amin, aminmax, argmax, argmin) are in ``_extremes``.
