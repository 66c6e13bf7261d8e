"""Scans along a dimension: cumsum, cumprod, cummax, cummin, logcumsumexp, and diff --
each with its backward (NOTE [ Declaring a derivative ] in ``_autodiff``).

A scan's gradient is a reverse scan: ``cumsum``'s is the reversed cumulative sum of the
output gradient; ``cumprod``'s divides that of ``grad * out`` by the input, or, where an
input is zero, multiplies the other factors directly (O(n^2) along ``dim``);
``logcumsumexp``'s is PyTorch's log-space formula (positive and negative parts apart, so
nothing overflows); the running extremes send each gradient to where the extreme was
attained. ``diff`` is a composite of ``narrow`` and ``sub``.
"""

from __future__ import annotations

from typing import Any

from .. import return_types as R
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import norm_dim, promote, scalar_to_tensor, shape_of, to_dtype
from ._elementwise import _tname, ne, sub
from ._reduction import acc_dtype, check_tensor, numel_of, numpy_keywords, write
from ._registry import public
from ._sorting import select_backward
from ._views import narrow

__all__ = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "diff"]


# ---------------------------------------------------------------------------- gradients
def _dim(ctx: Any) -> int | None:
    """``dim`` made non-negative, None for a 0-d input (whose scan is the identity)."""
    nd = ctx.input.dim()
    return norm_dim(ctx.arg(1, "dim"), nd) if nd else None


def _rev_cumsum(x: Tensor, d: int) -> Tensor:
    return x.flip(d).cumsum(d).flip(d)


def _cumsum_backward(ctx: Any, g: Tensor) -> Tensor:
    d = _dim(ctx)
    return g if d is None else _rev_cumsum(g, d)


def _cumprod_backward(ctx: Any, g: Tensor) -> Tensor:
    x, d = ctx.input, _dim(ctx)
    if d is None:
        return g
    if not (x == 0).any().item():
        out = x.cumprod(d) if grad_state.enabled else ctx.out
        return _rev_cumsum(g * out, d) / x
    # grad_i = sum_{k >= i} g_k * prod_{j <= k, j != i} x_j: row i of a (n, n) scan of x
    # with x_i replaced by 1, kept where k >= i.
    from ._creation import arange

    n = x.shape[d]
    xl, gl = x.movedim(d, -1), g.movedim(d, -1)
    rows = arange(n, device=x.device)
    eye = rows.unsqueeze(-1) == rows
    factors = xl.unsqueeze(-2).expand(*xl.shape[:-1], n, n).masked_fill(eye, 1)
    grad = (factors.cumprod(-1) * gl.unsqueeze(-2)).triu().sum(-1).movedim(-1, d)
    zero = x == 0  # past the first zero every product holds it: 0, even next to inf or nan
    return grad.masked_fill(zero.cumsum(d) - zero.to(D.int64) > 0, 0)


def _logcumsumexp_backward(ctx: Any, g: Tensor) -> Tensor:
    x, d = ctx.input, _dim(ctx)
    if d is None:
        return g
    out = x.logcumsumexp(d) if grad_state.enabled else ctx.out
    if x.is_complex():  # sum_{j >= i} g_j conj(exp(x_i - out_j)) (NOTE [ Complex gradients ])
        return (g * (-out).exp().conj()).flip(d).cumsum(d).flip(d) * x.exp().conj()
    from .._dtype_info import finfo

    low = finfo(g.dtype).min / 4  # log(0), finite; a quarter so that sums cannot overflow
    nonzero = g != 0
    log_abs = g.abs().masked_fill(nonzero.logical_not(), 1).log()

    def part(mask: Tensor) -> Tensor:
        lg = log_abs.masked_fill(mask.logical_not(), low)
        return ((lg - out).flip(d).logcumsumexp(d).flip(d) + x).exp()

    return part(g > 0) - part(g < 0)


# ---------------------------------------------------------------------------- scans
def _scan(op: str, input: Tensor, dim: Any, dtype: D.dtype | None) -> Tensor:
    check_tensor(op, input)
    be = input._backend
    dt = dtype or (D.int64 if input._dtype.kind in "bi" else input._dtype)
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    x = to_dtype(input, dt)
    if not shape:
        return _wrap(be.reshape(getattr(be, op)(be.reshape(x, (1,)), 0), ()), dt, be)
    return _wrap(getattr(be, op)(x, d), dt, be)


@public()
@numpy_keywords
@differentiable("CumsumBackward0", _cumsum_backward)
def cumsum(input: Tensor, dim: int, *, dtype: D.dtype | None = None,
           out: Tensor | None = None) -> Tensor:
    """Inclusive cumulative sum along ``dim`` (bool and integer input give int64).

    Example:
        >>> import ember
        >>> ember.tensor([1, 2, 3]).cumsum(0)
        tensor([1, 3, 6])
    """
    return write(_scan("cumsum", input, dim, dtype), out)


@public()
@numpy_keywords
@differentiable("CumprodBackward0", _cumprod_backward, save_output=True)
def cumprod(input: Tensor, dim: int, *, dtype: D.dtype | None = None,
            out: Tensor | None = None) -> Tensor:
    """Inclusive cumulative product along ``dim`` (bool and integer input give int64)."""
    return write(_scan("cumprod", input, dim, dtype), out)


def _floating(op: str, t: Tensor) -> None:
    if t._dtype.kind not in "fc":
        raise NotImplementedError(f"\"{op}_out_cpu\" not implemented for "
                                  f"'{_tname(t._dtype)}'")


def _lanes(be: Any, x: Any, axis: int, n: int) -> list:
    ndim = len(be.shape(x))
    return [be.getitem(x, tuple(slice(i, i + 1) if a == axis else slice(None)
                                for a in range(ndim))) for i in range(n)]


def _cum_extreme(op: str, input: Tensor, dim: int, better: str, prim: str):
    check_tensor(op, input)
    be = input._backend
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), op)
    x = input._data if shape else be.reshape(input._data, (1,))
    n = be.shape(x)[d]
    if n == 0 or numel_of(shape) == 0:
        vals, idx = be.copy(x), be.full(be.shape(x), 0, D.int64)
    else:
        lanes = _lanes(be, x, d, n)
        floating = input._dtype.kind in "fc"
        cur, cur_i = lanes[0], be.full(be.shape(lanes[0]), 0, D.int64)
        out_v, out_i = [cur], [cur_i]
        for i in range(1, n):
            xi = lanes[i]
            take = getattr(be, better)(xi, cur)  # PyTorch's kernel: x >= best (<= for min)
            if floating:
                take = be.logical_or(take, be.isnan(xi))
            cur = getattr(be, prim)(cur, xi)
            cur_i = be.where(take, i, cur_i)
            out_v.append(cur)
            out_i.append(cur_i)
        vals, idx = be.cat(out_v, d), be.cat(out_i, d)
    if not shape:
        vals, idx = be.reshape(vals, ()), be.reshape(idx, ())
    return _wrap(vals, input._dtype, be), _wrap(idx, D.int64, be)


@public()
@numpy_keywords
@differentiable("CummaxBackward0", lambda ctx, g, *_: select_backward(
    g, ctx.out[1], shape_of(ctx.input), ctx.arg(1, "dim"), accumulate=True), save_output=True)
def cummax(input: Tensor, dim: int) -> Any:
    """Running maximum along ``dim`` and the index where it was last attained."""
    return R.cummax(_cum_extreme("cummax", input, dim, "ge", "maximum"))


@public()
@numpy_keywords
@differentiable("CumminBackward0", lambda ctx, g, *_: select_backward(
    g, ctx.out[1], shape_of(ctx.input), ctx.arg(1, "dim"), accumulate=True), save_output=True)
def cummin(input: Tensor, dim: int) -> Any:
    """Running minimum along ``dim`` and the index where it was last attained."""
    return R.cummin(_cum_extreme("cummin", input, dim, "le", "minimum"))


@public()
@numpy_keywords
@differentiable("LogcumsumexpBackward0", _logcumsumexp_backward, save_output=True,
                complex_ok=True)
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(input), dim))`` computed stably, one step at a time."""
    check_tensor("logcumsumexp", input)
    _floating("logcumsumexp", input)
    be = input._backend
    dt = input._dtype
    acc = acc_dtype(dt)
    shape = shape_of(input)
    d = norm_dim(dim, len(shape), "logcumsumexp")
    x = to_dtype(input, acc)
    x = x if shape else be.reshape(x, (1,))
    n = be.shape(x)[d]
    if n == 0 or numel_of(shape) == 0:
        res = be.copy(x)
    else:
        lanes = _lanes(be, x, d, n)
        cur = lanes[0]
        outs = [cur]
        cplx = acc.is_complex  # complex numbers have no order: shift by the real parts
        for xi in lanes[1:]:
            m = be.maximum(be.real(cur), be.real(xi)) if cplx else be.maximum(cur, xi)
            m = be.where(be.isfinite(m), m, 0)
            if cplx:
                m = be.astype(m, acc)
            cur = be.add(be.log(be.add(be.exp(be.sub(cur, m)), be.exp(be.sub(xi, m)))), m)
            outs.append(cur)
        res = be.cat(outs, d)
    if not shape:
        res = be.reshape(res, ())
    return _wrap(res if acc is dt else be.astype(res, dt), dt, be)


@public()
@numpy_keywords
def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The ``n``-th forward difference along ``dim`` (``!=`` for bool), after joining
    ``prepend`` and ``append`` to ``input``.

    Example:
        >>> import ember
        >>> ember.diff(ember.tensor([1, 4, 9, 16]))
        tensor([3, 5, 7])
    """
    check_tensor("diff", input)
    shape = shape_of(input)
    if not shape:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = norm_dim(dim, len(shape), "diff")
    be = input._backend
    parts = [t for t in (prepend, input, append) if t is not None]
    x = input
    if len(parts) > 1:
        from ._join import cat

        dt = input._dtype
        for t in parts:
            dt = promote(_wrap(be.full((1,), 0, dt), dt, be), t) if isinstance(t, Tensor) else dt
        pieces = []
        for t in parts:
            if not isinstance(t, Tensor):
                t = scalar_to_tensor(t, input, dt)
            if len(shape_of(t)) == 0:
                t = t.expand(shape[:d] + (1,) + shape[d + 1:])
            pieces.append(t if t._dtype is dt else t.to(dt))
        x = cat(pieces, d)
    for _ in range(n):
        length = shape_of(x)[d]
        if length == 0:
            break
        a, b = narrow(x, d, 1, length - 1), narrow(x, d, 0, length - 1)
        x = ne(a, b) if x._dtype is D.bool_ else sub(a, b)
    return input.clone() if x is input else x
