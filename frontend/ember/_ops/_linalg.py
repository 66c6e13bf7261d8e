"""Products: matmul, mm, bmm, mv, dot, vdot, inner, outer, the ``add*`` fused forms,
einsum, tensordot, kron; and the vector helpers cross and cdist.

Matrix functions (det, inv, solve, the norms, ...) are in ``ember.linalg``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._autodiff import differentiable, recomputed
from ._common import broadcast_shapes, check_device, norm_dim, shape_of
from ._elementwise import _tname, add, mul, sub
from ._reduction import check_tensor, numel_of, write
from ._registry import public
from ._views import embed

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm",
           "addmv", "addbmm", "baddbmm", "einsum", "tensordot", "kron", "cross", "cdist",
           "ctype_name", "view_as_shape"]

_CTYPES = {"float32": "float", "float64": "double", "float16": "c10::Half",
           "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int", "int16": "short int",
           "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
           "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def ctype_name(dt: D.dtype) -> str:
    """The C++ type name PyTorch's messages use (``float``, ``long int``, ...)."""
    return _CTYPES[dt.name]


def view_as_shape(t: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``t`` reshaped (a helper for composites; recorded by autograd like ``reshape``)."""
    return t.reshape(shape)


def _pair(op: str, a: Tensor, b: Tensor) -> None:
    check_tensor(op, a)
    check_tensor(op, b, "other")
    check_device(op, a, b)


def _no_bool(op: str, dt: D.dtype) -> None:
    if dt is D.bool_:
        raise NotImplementedError(f"\"{op}\" not implemented for 'Bool'")


def _mm_shapes(a: tuple, b: tuple) -> None:
    if a[-1] != b[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a[0]}x{a[1]} and "
                           f"{b[0]}x{b[1]})")


def _mv_shapes(m: tuple, v: tuple) -> None:
    if m[1] != v[0]:
        raise RuntimeError(f"size mismatch, got input ({m[0]}), mat ({m[0]}x{m[1]}), vec "
                           f"({v[0]})")


def _same_size(a: tuple, b: tuple) -> None:
    if a[0] != b[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a[0]}] and src [{b[0]}] "
                           f"to have the same number of elements, but got {a[0]} and {b[0]} "
                           f"elements respectively")


def _matmul_check(sa: tuple, sb: tuple) -> None:
    na, nb = len(sa), len(sb)
    if na == 0 or nb == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{na}D and {nb}D")
    if na == 1 and nb == 1:
        _same_size(sa, sb)
    elif nb == 1:
        _mv_shapes((math.prod(sa[:-1]), sa[-1]), sb)
    elif nb == 2 and na != 1:
        _mm_shapes((math.prod(sa[:-1]), sa[-1]), sb)
    elif na == 1 and nb == 2:
        _mm_shapes((1, sa[0]), sb)
    else:
        batch = broadcast_shapes(sa[:-2], sb[:-2])
        if sa[-1] != sb[-2]:
            n = math.prod(batch)
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{n}, {sa[-1]}] but got: [{n}, {sb[-2]}].")


def _matmul_name(ctx: Any) -> str:
    """The node PyTorch's matmul ends in for these ranks (it composes mm/mv/dot/bmm)."""
    a, b = ctx.inputs
    na, nb = a.dim(), b.dim()
    if na == 1 and nb == 1:
        return "DotBackward0"
    if na == 2 and nb == 1:
        return "MvBackward0"
    if na == 2 and nb == 2:
        return "MmBackward0"
    if na == 1 and nb == 2:
        return "SqueezeBackward4"
    if nb >= 3 and math.prod(shape_of(a)[:-2]) == 1:
        return "CloneBackward0"
    return "UnsafeViewBackward0"


def _matmul_backward(ctx: Any, g: Tensor) -> tuple:
    """The adjoints of ``a @ b`` for every rank combination; broadcast batch axes are summed
    back by the engine."""
    a, b = ctx.inputs
    na, nb = a.dim(), b.dim()
    want_a, want_b = a._requires_grad, b._requires_grad
    if na == 1 and nb == 1:
        return (g * b if want_a else None), (g * a if want_b else None)
    if na == 1:  # (k) @ (..., k, n) -> (..., n)
        ga = (g.unsqueeze(-2) @ b.mT).squeeze(-2) if want_a else None
        gb = a.unsqueeze(-1) * g.unsqueeze(-2) if want_b else None
    elif nb == 1:  # (..., m, k) @ (k) -> (..., m)
        ga = g.unsqueeze(-1) * b if want_a else None
        gb = (a.mT @ g.unsqueeze(-1)).squeeze(-1) if want_b else None
    else:
        ga = g @ b.mT if want_a else None
        gb = a.mT @ g if want_b else None
    return ga, gb


@public()
@differentiable(_matmul_name, _matmul_backward,
                inputs=lambda a, k: (a[0] if a else k["input"], a[1] if len(a) > 1
                                     else k["other"]))
def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product with NumPy's rules: 1-d operands are vectors, batch dimensions
    broadcast. Integer tensors multiply exactly (no promotion: dtypes must match).

    Example:
        >>> import ember
        >>> ember.matmul(ember.tensor([[1, 2], [3, 4]]), ember.tensor([1, 1]))
        tensor([3, 7])
    """
    # NOTE: validated only when the kernel fails, so correct programs pay nothing for it.
    be = getattr(input, "_backend", None)
    da = getattr(input, "_dtype", None)
    if (be is None or da is D.bool_ or getattr(other, "_backend", None) is not be
            or getattr(other, "_dtype", None) is not da):
        _matmul_errors(input, other)
    try:
        res = be.matmul(input._data, other._data)
    except Exception as exc:
        _matmul_errors(input, other)
        raise RuntimeError(f"matmul(): {exc}") from None
    return write(_wrap(res, da, be), out) if out is not None else _wrap(res, da, be)


def _matmul_errors(input: Any, other: Any) -> None:
    """Raise PyTorch's error for operands matmul refuses (returns when they are fine)."""
    _pair("matmul", input, other)
    _matmul_check(shape_of(input), shape_of(other))
    da, db = input._dtype, other._dtype
    if da is not db:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{ctype_name(da)} != {ctype_name(db)}")
    _no_bool("addmm_impl_cpu_", da)


@public()
@differentiable("MmBackward0", _matmul_backward, inputs=lambda a, k: (a[0], a[1]))
def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Product of two matrices ``(n, m) @ (m, p)``."""
    _pair("mm", input, mat2)
    sa, sb = shape_of(input), shape_of(mat2)
    if len(sa) != 2:
        raise RuntimeError("self must be a matrix")
    if len(sb) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input._dtype is not mat2._dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{ctype_name(input._dtype)} != {ctype_name(mat2._dtype)}")
    _mm_shapes(sa, sb)
    return matmul(input, mat2, out=out)


@public()
@differentiable("BmmBackward0", _matmul_backward, inputs=lambda a, k: (a[0], a[1]))
def bmm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Batched product ``(b, n, m) @ (b, m, p)`` (no broadcasting)."""
    _pair("bmm", input, mat2)
    sa, sb = shape_of(input), shape_of(mat2)
    if len(sa) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(sb) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{sa[0]}, {sa[2]}] but got: [{sb[0]}, {sb[1]}].")
    if input._dtype is not mat2._dtype:
        raise RuntimeError(f"expected scalar type {_tname(input._dtype)} but found "
                           f"{_tname(mat2._dtype)}")
    return matmul(input, mat2, out=out)


@public()
@differentiable("MvBackward0", _matmul_backward, inputs=lambda a, k: (a[0], a[1]))
def mv(input: Tensor, vec: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix-vector product ``(n, m) @ (m,)``."""
    _pair("mv", input, vec)
    sa, sb = shape_of(input), shape_of(vec)
    if len(sa) != 2 or len(sb) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(sa)}, {len(sb)}")
    _mv_shapes(sa, sb)
    return matmul(input, vec, out=out)


def _dot(op: str, input: Tensor, other: Tensor) -> None:
    _pair(op, input, other)
    sa, sb = shape_of(input), shape_of(other)
    if len(sa) != 1 or len(sb) != 1:
        raise RuntimeError(f"1D tensors expected, but got {len(sa)}D and {len(sb)}D tensors")
    if input._dtype is not other._dtype:
        raise RuntimeError(f"{op} : expected both vectors to have same dtype, but found "
                           f"{_tname(input._dtype)} and {_tname(other._dtype)}")
    _same_size(sa, sb)


@public()
@differentiable("DotBackward0", _matmul_backward, inputs=lambda a, k: (a[0], a[1]))
def dot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Inner product of two 1-d tensors of the same length and dtype (a 0-d tensor)."""
    _dot("dot", input, other)
    return matmul(input, other, out=out)


@public()
@differentiable("VdotBackward0", lambda ctx, g: (g * ctx.inputs[1], g * ctx.inputs[0]),
                inputs=lambda a, k: (a[0], a[1]))
def vdot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``dot(conj(input), other)``."""
    _dot("vdot", input, other)
    if input._dtype.is_complex:
        be = input._backend
        input = _wrap(be.conj(input._data), input._dtype, be)
    return matmul(input, other, out=out)


@public()
def inner(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Sum of products over the last dimensions (a product when either is 0-d)."""
    _pair("inner", input, other)
    sa, sb = shape_of(input), shape_of(other)
    if not sa or not sb:
        return write(mul(input, other), out)
    if sa[-1] != sb[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(sa)} and {list(sb)}")
    return write(tensordot(input, other, ([len(sa) - 1], [len(sb) - 1])), out)


@public(aliases=("ger",))
def outer(input: Tensor, vec2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Outer product of two 1-d tensors, ``(n,) x (m,) -> (n, m)``."""
    _pair("outer", input, vec2)
    for name, t in (("self", input), ("vec2", vec2)):
        if len(shape_of(t)) != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got "
                               f"{len(shape_of(t))}-D")
    n, m = shape_of(input)[0], shape_of(vec2)[0]
    return write(mul(view_as_shape(input, (n, 1)), view_as_shape(vec2, (1, m))), out)


ger = outer


def _scaled(res: Tensor, input: Tensor, beta: Any, alpha: Any) -> Tensor:
    if alpha != 1:
        res = mul(res, alpha)
    if beta == 0:
        broadcast_shapes(shape_of(input), shape_of(res))
        return res
    return add(mul(input, beta) if beta != 1 else input, res)


def _ab(ctx: Any) -> tuple:
    return ctx.kwargs.get("beta", 1), ctx.kwargs.get("alpha", 1)


def _addmm_backward(ctx: Any, g: Tensor) -> tuple:
    _, m1, m2 = ctx.inputs
    beta, alpha = _ab(ctx)
    return (g * beta if beta != 0 else None, (g @ m2.mT) * alpha if m1._requires_grad else None,
            (m1.mT @ g) * alpha if m2._requires_grad else None)


def _addmv_backward(ctx: Any, g: Tensor) -> tuple:
    _, mat, vec = ctx.inputs
    beta, alpha = _ab(ctx)
    return (g * beta if beta != 0 else None, g.unsqueeze(-1) * vec * alpha,
            (mat.mT @ g) * alpha)


def _addbmm_backward(ctx: Any, g: Tensor) -> tuple:
    _, b1, b2 = ctx.inputs
    beta, alpha = _ab(ctx)
    return (g * beta if beta != 0 else None, (g.unsqueeze(0) @ b2.mT) * alpha,
            (b1.mT @ g.unsqueeze(0)) * alpha)


def _three(args: tuple, kwargs: dict) -> tuple:
    return tuple(args[:3])


@public()
@differentiable("AddmmBackward0", _addmm_backward, inputs=_three)
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1,
          out: Tensor | None = None) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)`` (``input`` is ignored when ``beta`` is 0)."""
    return write(_scaled(mm(mat1, mat2), input, beta, alpha), out)


@public()
@differentiable("AddmvBackward0", _addmv_backward, inputs=_three)
def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1,
          out: Tensor | None = None) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``."""
    return write(_scaled(mv(mat, vec), input, beta, alpha), out)


@public()
@differentiable("BaddbmmBackward0", _addmm_backward, inputs=_three)
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1,
            out: Tensor | None = None) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    return write(_scaled(bmm(batch1, batch2), input, beta, alpha), out)


@public()
@differentiable("AddbmmBackward0", _addbmm_backward, inputs=_three)
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1,
           out: Tensor | None = None) -> Tensor:
    """``beta * input + alpha * sum(bmm(batch1, batch2), 0)``."""
    prod = bmm(batch1, batch2)
    return write(_scaled(prod.sum(0), input, beta, alpha), out)


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


# ---------------------------------------------------------------------------- einsum
def _labels(term: str, start: int) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(term):
        c = term[i]
        if term.startswith("...", i):
            if "..." in out:
                raise RuntimeError("einsum(): found '.' for operand that is not part of any "
                                   "ellipsis")
            out.append("...")
            i += 3
            continue
        if not ("a" <= c <= "z" or "A" <= c <= "Z"):
            raise RuntimeError(f"einsum(): invalid subscript given at index {start + i} in the "
                               f"equation string, subscripts must be in [a-zA-Z]")
        out.append(c)
        i += 1
    return out


def _parse(equation: str, shapes: list[tuple]) -> tuple[list[list[str]], list[str]]:
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms, pos = [], 0
    for term in lhs.split(","):
        terms.append(_labels(term, pos))
        pos += len(term) + 1
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    used = {c for t in terms for c in t}
    fresh = [c for c in "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA" if c not in used]
    n_ell = 0
    for i, (t, s) in enumerate(zip(terms, shapes)):
        named = len(t) - ("..." in t)
        if "..." not in t and named != len(s):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) "
                               f"does not match the number of dimensions ({len(s)}) for operand "
                               f"{i} and no ellipsis was given")
        if named > len(s):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) "
                               f"is more than the number of dimensions ({len(s)}) for operand "
                               f"{i}")
        n_ell = max(n_ell, len(s) - named)
    ell = fresh[:n_ell][::-1]
    out_terms = []
    for t, s in zip(terms, shapes):
        k = len(s) - (len(t) - 1) if "..." in t else 0
        out_terms.append([x for c in t for x in (ell[n_ell - k:] if c == "..." else [c])])
    if arrow:
        out = _labels(rhs, len(lhs) + 2)
        for c in out:
            if c != "..." and c not in used:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   f"equation for any input operand")
            if out.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   f"the output")
        out = [x for c in out for x in (ell if c == "..." else [c])]
    else:
        counts: dict[str, int] = {}
        for t in terms:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = (ell if n_ell or any("..." in t for t in terms) else []) + sorted(
            c for c, n in counts.items() if n == 1 and c != "...")
    return out_terms, out


def _diagonals(be: Any, x: Any, labels: list[str], i: int) -> tuple[Any, list[str]]:
    labels = list(labels)
    while True:
        dup = next((c for c in labels if labels.count(c) > 1), None)
        if dup is None:
            return x, labels
        a = labels.index(dup)
        b = labels.index(dup, a + 1)
        sh = be.shape(x)
        if sh[a] != sh[b]:
            raise RuntimeError(f"einsum(): subscript {dup} is repeated for operand {i} but the "
                               f"sizes don't match, {sh[b]} != {sh[a]}")
        x = be.diagonal(x, 0, a, b)
        labels = [c for j, c in enumerate(labels) if j not in (a, b)] + [dup]


def _sum_out(be: Any, x: Any, labels: list[str], keep: set[str]) -> tuple[Any, list[str]]:
    axes = tuple(j for j, c in enumerate(labels) if c not in keep)
    if not axes:
        return x, labels
    return be.sum(x, axes, False), [c for c in labels if c in keep]


def _contract(be: Any, a: Any, la: list[str], b: Any, lb: list[str], keep: set[str],
              sizes: dict[str, int]) -> tuple[Any, list[str]]:
    a, la = _sum_out(be, a, la, keep | set(lb))
    b, lb = _sum_out(be, b, lb, keep | set(la))
    batch = [c for c in la if c in lb and c in keep]
    inner = [c for c in la if c in lb and c not in keep]
    ao = [c for c in la if c not in lb]
    bo = [c for c in lb if c not in la]
    size = lambda cs: math.prod(sizes[c] for c in cs)  # noqa: E731
    x = be.reshape(be.permute(a, tuple(la.index(c) for c in batch + ao + inner)),
                   (size(batch), size(ao), size(inner)))
    y = be.reshape(be.permute(b, tuple(lb.index(c) for c in batch + inner + bo)),
                   (size(batch), size(inner), size(bo)))
    res = be.reshape(be.matmul(x, y), tuple(sizes[c] for c in batch + ao + bo))
    return res, batch + ao + bo


def _einsum_inputs(args: tuple, kwargs: dict) -> tuple:
    ops = args[1:]
    return tuple(ops[0]) if len(ops) == 1 and isinstance(ops[0], list | tuple) else ops


def _same(t: Tensor) -> Tensor:
    return t


def _diagonal_view(lab: list[str]) -> tuple[Callable[[Tensor], Tensor], list[str]]:
    """For subscripts that repeat (``ii``), the view taking those diagonals (each appended
    as the last axis, as :func:`diagonal` does) and the subscripts it leaves."""
    pairs = []
    lab = list(lab)
    while len(set(lab)) != len(lab):
        c = next(c for c in lab if lab.count(c) > 1)
        a = lab.index(c)
        b = lab.index(c, a + 1)
        pairs.append((a, b))
        lab = [x for k, x in enumerate(lab) if k not in (a, b)] + [c]
    if not pairs:
        return _same, lab

    def view(t: Tensor) -> Tensor:
        for a, b in pairs:
            t = t.diagonal(0, a, b)
        return t

    return view, lab


def _einsum_backward(ctx: Any, g: Tensor) -> tuple:
    """Operand ``i``'s gradient is the einsum of the output gradient with the other
    operands onto operand ``i``'s subscripts (subscripts only ``i`` holds are broadcast)."""
    ops = ctx.inputs
    terms, out = _parse(ctx.args[0], [shape_of(t) for t in ops])
    grads: list = []
    for i, t in enumerate(ops):
        lab = terms[i]
        if not t._requires_grad:
            grads.append(None)
            continue
        view, lab = _diagonal_view(lab)
        others = [terms[j] for j in range(len(ops)) if j != i]
        avail = set(out).union(*[set(o) for o in others])
        target = [c for c in lab if c in avail]
        eq = ",".join(["".join(out)] + ["".join(o) for o in others]) + "->" + "".join(target)
        gi = einsum(eq, g, *[ops[j] for j in range(len(ops)) if j != i])
        if len(target) != len(lab):
            for pos, c in enumerate(lab):
                if c not in avail:
                    gi = gi.unsqueeze(pos)
            shape = shape_of(view(t))
            gi = gi.expand(tuple(n if c not in avail else -1 for c, n in zip(lab, shape)))
        grads.append(gi if view is _same else embed(gi, shape_of(t), view, "Diagonal"))
    return tuple(grads)


@public(method=False)
@differentiable("EinsumBackward0", _einsum_backward, inputs=_einsum_inputs)
def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation over ``operands`` as written in ``equation`` (``"ij,jk->ik"``;
    without ``->`` the output holds the labels seen once, in alphabetical order; ``...``
    stands for broadcast dimensions).

    Example:
        >>> import ember
        >>> a = ember.tensor([[1., 2.], [3., 4.]])
        >>> ember.einsum("ii", a)
        tensor(5.)
    """
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    for t in operands:
        check_tensor("einsum", t, "operands")
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    be = operands[0]._backend
    for t in operands[1:]:
        check_device("einsum", operands[0], t)
        if t._dtype is not operands[0]._dtype:
            raise RuntimeError(f"expected scalar type {_tname(operands[0]._dtype)} but found "
                               f"{_tname(t._dtype)}")
    dt = operands[0]._dtype
    terms, out = _parse(equation, [shape_of(t) for t in operands])
    arrays, labels = [], []
    for i, (t, lab) in enumerate(zip(operands, terms)):
        x, lab = _diagonals(be, t._data, lab, i)
        arrays.append(x)
        labels.append(lab)
    sizes: dict[str, int] = {}
    for i, (x, lab) in enumerate(zip(arrays, labels)):
        for c, n in zip(lab, be.shape(x)):
            seen = sizes.get(c)
            if seen is None or seen == 1:
                sizes[c] = n
            elif n != seen and n != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which "
                                   f"does not broadcast with previously seen size {seen}")
    arrays = [x if tuple(sizes[c] for c in lab) == be.shape(x)
              else be.expand(x, tuple(sizes[c] for c in lab)) for x, lab in zip(arrays, labels)]
    fused = be.optional("einsum")
    if fused is not None:
        eq = ",".join("".join(lab) for lab in labels) + "->" + "".join(out)
        return _wrap(fused(eq, *arrays), dt, be)
    if len(arrays) > 1:
        _no_bool("einsum", dt)
    x, lab = arrays[0], labels[0]
    for j in range(1, len(arrays)):
        keep = set(out).union(*[set(v) for v in labels[j + 1:]])
        x, lab = _contract(be, x, lab, arrays[j], labels[j], keep, sizes)
    x, lab = _sum_out(be, x, lab, set(out))
    return _wrap(be.copy(be.permute(x, tuple(lab.index(c) for c in out))), dt, be)


# ``ember.linalg`` holds the matrix functions and registers ``det``, ``norm``, ... too.
from .. import linalg as _linalg_api  # noqa: E402,F401
