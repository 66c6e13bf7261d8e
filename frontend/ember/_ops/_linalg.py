"""Matrix products: matmul, mm, bmm, mv, dot, vdot, inner, outer and the ``add*`` fused
forms, each with its backward (einsum, tensordot, kron, cross and cdist have their own
modules).

Matrix functions (det, inv, solve, the norms, ...) are in ``ember.linalg``.
"""

from __future__ import annotations

import math
from typing import Any

from .._tensor import Tensor, _wrap
from ..amp._state import autocast_lower
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._common import broadcast_shapes, check_device, shape_of
from ._elementwise import _tname, add, mul
from ._reduction import check_tensor, write
from ._registry import public

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm",
           "addmv", "addbmm", "baddbmm", "ctype_name", "view_as_shape"]

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
        gb = _t_product(a, g, b) if want_b else None
    return ga, gb


@public()
@autocast_lower  # NOTE [ Autocast call sites ]
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
@autocast_lower  # NOTE [ Autocast call sites ]
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
@autocast_lower  # NOTE [ Autocast call sites ]
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
@differentiable("VdotBackward0", lambda ctx, g: (g.conj() * ctx.inputs[1], g * ctx.inputs[0]),
                inputs=lambda a, k: (a[0], a[1]), complex_ok=True)
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
    from ._products import tensordot

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
    if beta == 1 and input._dtype is res._dtype and not res._requires_grad and \
            broadcast_shapes(shape_of(input), shape_of(res)) == shape_of(res):
        return res.add_(input)  # ``res`` is the product's fresh array: add in place
    return add(mul(input, beta) if beta != 1 else input, res)


def _t_product(a: Tensor, g: Tensor, like: Tensor) -> Tensor:
    """``a.mT @ g``, computed as ``(g.mT @ a).mT`` when ``like`` (the operand it is the
    gradient of) is a transposed view, so that the gradient of the untransposed tensor
    (a Linear's weight) comes out C-contiguous: the same product, in the orientation
    BLAS and the optimizer's elementwise kernels prefer there."""
    st = like.stride()
    if len(st) >= 2 and st[-2] == 1 and st[-1] != 1:
        return (g.mT @ a).mT
    return a.mT @ g


def _ab(ctx: Any) -> tuple:
    return ctx.kwargs.get("beta", 1), ctx.kwargs.get("alpha", 1)


def _addmm_backward(ctx: Any, g: Tensor) -> tuple:
    _, m1, m2 = ctx.inputs
    beta, alpha = _ab(ctx)
    gm2 = None
    if m2._requires_grad:
        gm2 = _t_product(m1, g, m2)
        gm2 = gm2 * alpha if alpha != 1 else gm2
    gm1 = None
    if m1._requires_grad:
        gm1 = g @ m2.mT
        gm1 = gm1 * alpha if alpha != 1 else gm1
    return (g * beta if beta != 0 else None), gm1, gm2


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


from .. import linalg as _linalg_api  # noqa: E402,F401
