"""Tensor contractions and products beyond matmul: tensordot, kron, cross and cdist."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ._autodiff import recomputed
from ._common import broadcast_shapes, norm_dim, shape_of
from ._elementwise import _tname, mul, sub
from ._linalg import _no_bool, _pair, matmul, view_as_shape
from ._reduction import numel_of, write
from ._registry import public

__all__ = ["tensordot", "kron", "cross", "cdist", "cross_impl"]


# ---------------------------------------------------------------------------- tensordot, kron
@public(method=False)
def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Tensor | None = None) -> Tensor:
    """Contract ``a`` and ``b`` over ``dims``: an int ``n`` (the last ``n`` axes of ``a``
    with the first ``n`` of ``b``) or two lists of axes."""
    _pair("tensordot", a, b)
    sa, sb = shape_of(a), shape_of(b)
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))
    else:
        da, db = dims
        da, db = ([da] if isinstance(da, int) else list(da)), ([db] if isinstance(db, int)
                                                               else list(db))
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a._dtype is not b._dtype:
        raise RuntimeError("both inputs should have same dtype")
    ra = [norm_dim(d, len(sa), "tensordot") for d in da]
    rb = [norm_dim(d, len(sb), "tensordot") for d in db]
    for x, y, ox, oy in zip(ra, rb, da, db):
        if sa[x] != sb[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {sa[x]} "
                               f"in dim {ox} and second has size {sb[y]} in dim {oy}")
    fa = [i for i in range(len(sa)) if i not in ra]
    fb = [i for i in range(len(sb)) if i not in rb]
    k = numel_of(sa, ra)
    x = a.permute(tuple(fa + ra)).reshape((numel_of(sa, fa), k))
    y = b.permute(tuple(rb + fb)).reshape((k, numel_of(sb, fb)))
    _no_bool("addmm_impl_cpu_", a._dtype)
    res = matmul(x, y).reshape(tuple(sa[i] for i in fa) + tuple(sb[i] for i in fb))
    return write(res, out)


@public()
@recomputed("UnsafeViewBackward0", inputs=lambda a, k: (a[0], a[1]))
def kron(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The Kronecker product: every element of ``input`` times the whole of ``other``."""
    _pair("kron", input, other)
    sa, sb = shape_of(input), shape_of(other)
    nd = max(len(sa), len(sb))
    sa, sb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    ia = tuple(s for d in sa for s in (d, 1))
    ib = tuple(s for d in sb for s in (1, d))
    res = mul(view_as_shape(input, ia), view_as_shape(other, ib))
    return write(view_as_shape(res, tuple(x * y for x, y in zip(sa, sb))), out)


# ---------------------------------------------------------------------------- cross, cdist
def _component(t: Tensor, d: int, i: int) -> Tensor:
    return t.narrow(d, i, 1)


def cross_impl(op: str, input: Tensor, other: Tensor, dim: int | None) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (broadcasting the other dimensions)."""
    _pair(op, input, other)
    sa, sb = shape_of(input), shape_of(other)
    if len(sa) != len(sb):
        raise RuntimeError(f"{op}: inputs must have the same number of dimensions.")
    if dim is None:
        dim = next((i for i, (x, y) in enumerate(zip(sa, sb)) if x == 3 and y == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    d = norm_dim(dim, len(sa), op)
    if sa[d] != 3 or sb[d] != 3:
        raise RuntimeError(f"{op}: inputs dimension {dim} must have length 3. Got {sa[d]} and "
                           f"{sb[d]}")
    broadcast_shapes(sa, sb)
    a = [_component(input, d, i) for i in range(3)]
    b = [_component(other, d, i) for i in range(3)]
    parts = [sub(mul(a[1], b[2]), mul(a[2], b[1])), sub(mul(a[2], b[0]), mul(a[0], b[2])),
             sub(mul(a[0], b[1]), mul(a[1], b[0]))]
    from ._join import cat

    return cat(parts, d)


@public()
@recomputed("LinalgCrossBackward0", inputs=lambda a, k: (a[0], a[1]))
def cross(input: Tensor, other: Tensor, dim: int | None = None, *, out: Tensor | None = None
          ) -> Tensor:
    """Cross product along ``dim`` (the first dimension of size 3 when None)."""
    return write(cross_impl("linalg.cross", input, other, dim), out)


@public(method=False)
@recomputed("CdistBackward0", inputs=lambda a, k: (a[0], a[1]))
def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str | None = None) -> Tensor:
    """p-norm distances between the rows of ``x1`` ``(..., P, M)`` and ``x2``
    ``(..., R, M)``: a ``(..., P, R)`` tensor."""
    _pair("cdist", x1, x2)
    s1, s2 = shape_of(x1), shape_of(x2)
    if len(s1) < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {len(s1)}D")
    if len(s2) < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {len(s2)}D")
    if s1[-1] != s2[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {s1[-1]} X2: "
                           f"{s2[-1]}")
    for name, t in (("X1", x1), ("X2", x2)):
        if t._dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_tname(t._dtype)}")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    diff = sub(view_as_shape(x1, s1[:-1] + (1, s1[-1])),
               view_as_shape(x2, s2[:-2] + (1,) + s2[-2:]))
    from ..linalg import vector_norm

    return vector_norm(diff, p, dim=-1)
