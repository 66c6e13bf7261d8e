"""``ember.linalg``: matrix functions and norms with PyTorch's ``torch.linalg`` API.

Determinants, inverses and solves call the backend's ``det``/``inv``/``solve`` kernels;
singular values come from ``svdvals``. The same functions under their historical
``ember`` names (``ember.det``, ``ember.inverse``, ``ember.slogdet``, ``ember.norm``,
``ember.dist``, ...) are registered here as well.

Example:
    >>> import ember
    >>> ember.linalg.inv(ember.tensor([[2., 0.], [0., 4.]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
"""

from __future__ import annotations

import functools
import math
from typing import Any

from .. import return_types as R
from .._ops._autodiff import differentiable, recomputed
from .._ops._common import check_device, shape_of
from .._ops._elementwise import _tname, mul
from .._ops._linalg import matmul
from .._ops._products import cross_impl
from .._ops._reduction import check_tensor, write
from .._ops._registry import public
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D

__all__ = ["LinAlgError", "det", "inv", "solve", "slogdet", "svdvals", "matrix_rank", "norm",
           "vector_norm", "matrix_norm", "cross", "matmul", "multi_dot", "vecdot"]

_L = "ember.linalg"


class LinAlgError(RuntimeError):
    """Raised for numerical failures: a singular matrix in ``inv`` or ``solve``, ..."""


def _floating(op: str, t: Tensor, lapack: str = "") -> None:
    dt = t._dtype
    if dt.kind not in "fc":
        raise RuntimeError(f"{op}: Expected a floating point or complex tensor as input. Got "
                           f"{_tname(dt)}")
    if dt in (D.float16, D.bfloat16):
        if lapack:
            raise NotImplementedError(f"\"{lapack}\" not implemented for '{_tname(dt)}'")
        raise RuntimeError(f"{op}: Low precision dtypes not supported. Got {_tname(dt)}")


def _matrices(op: str, t: Tensor, square: bool = True) -> tuple[int, ...]:
    shape = shape_of(t)
    if len(shape) < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if square and shape[-1] != shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                           f"{shape[-2]} by {shape[-1]} matrices")
    return shape


# ---------------------------------------------------------------------------- det, inv, solve
def _a(args: tuple, kwargs: dict) -> tuple:
    return (args[0] if args else kwargs.get("A", kwargs.get("input")),)


def _det_backward(ctx: Any, g: Tensor) -> Tensor:
    # d det(A) = det(A) * tr(A^-1 dA): the gradient is g * det * A^-T.
    A = ctx.input
    return (g * ctx.out).unsqueeze(-1).unsqueeze(-1) * inv(A).mT


@public(module=_L, method=False)
@differentiable("LinalgDetBackward0", _det_backward, inputs=_a, save_output=True)
def det(A: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Determinant of each square matrix in the batch ``(..., n, n)``."""
    check_tensor("linalg.det", A, "A")
    _floating("linalg.det", A, "lu_cpu")
    _matrices("linalg.det", A)
    be = A._backend
    return write(_wrap(be.det(A._data), A._dtype, be), out)


@public("det")
def det_(input: Tensor) -> Tensor:
    """Determinant (alias of :func:`ember.linalg.det`)."""
    return det(input)


def _first_zero_pivot(matrix: list) -> int | None:
    """1-based index of the first zero pivot of LU with partial pivoting (LAPACK's info)."""
    a = [list(row) for row in matrix]
    n = len(a)
    first = None
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(a[i][k]))
        if a[p][k] == 0:
            first = first or k + 1
            continue
        a[k], a[p] = a[p], a[k]
        for i in range(k + 1, n):
            f = a[i][k] / a[k][k]
            for j in range(k + 1, n):
                a[i][j] -= f * a[k][j]
    return first


def _singular(op: str, A: Tensor, exc: Exception) -> Exception:
    be = A._backend
    shape = shape_of(A)
    n = shape[-1]
    batch = math.prod(shape[:-2])
    mats = be.to_list(be.reshape(A._data, (batch, n, n)))
    for b, m in enumerate(mats):
        k = _first_zero_pivot(m)
        if k is not None:
            where = f"(Batch element {b}): " if len(shape) > 2 else ""
            return LinAlgError(f"{op}: {where}The diagonal element {k} is zero, the inversion "
                               f"could not be completed because the input matrix is singular.")
    return LinAlgError(f"{op}: {exc}")


def _inv_backward(ctx: Any, g: Tensor) -> Tensor:
    inv_t = ctx.out.mT
    return -(inv_t @ g @ inv_t)


@public(module=_L, method=False)
@differentiable("LinalgInvExBackward0", _inv_backward, inputs=_a, save_output=True)
def inv(A: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Inverse of each square matrix in the batch; a singular matrix raises
    :class:`LinAlgError` naming the zero pivot, as PyTorch does."""
    check_tensor("linalg.inv", A, "A")
    _floating("linalg.inv", A)
    _matrices("linalg.inv", A)
    be = A._backend
    try:
        res = be.inv(A._data)
    except Exception as exc:
        raise _singular("linalg.inv", A, exc) from None
    return write(_wrap(res, A._dtype, be), out)


@public()
def inverse(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix inverse (alias of :func:`ember.linalg.inv`)."""
    return inv(input, out=out)


def _solve_backward(ctx: Any, g: Tensor) -> tuple:
    # X = A^-1 B: gB = A^-T g, gA = -gB X^T (X as a batch of vectors when B is one).
    A, B = ctx.inputs
    if not ctx.kwargs.get("left", True):
        raise NotImplementedError("linalg.solve(left=False) backward goes through its "
                                  "transposed left solve; call it with left=True")
    gb = solve(A.mT, g)
    X = ctx.out
    if gb.dim() == X.dim() and X.dim() == A.dim() - 1:
        ga = -(gb.unsqueeze(-1) @ X.unsqueeze(-2))
    else:
        ga = -(gb @ X.mT)
    return (ga if A._requires_grad else None), (gb if B._requires_grad else None)


@public(module=_L, method=False)
@differentiable("LinalgSolveExBackward0", _solve_backward,
                inputs=lambda a, k: (a[0] if a else k["A"], a[1] if len(a) > 1 else k["B"]),
                save_output=True)
def solve(A: Tensor, B: Tensor, *, left: bool = True, out: Tensor | None = None) -> Tensor:
    """The solution ``X`` of ``A @ X = B`` (``X @ A = B`` with ``left=False``); ``B`` may be a
    batch of vectors ``(..., n)``. Batch dimensions broadcast."""
    check_tensor("linalg.solve", A, "A")
    check_tensor("linalg.solve", B, "B")
    check_device("linalg.solve", A, B)
    _floating("linalg.solve", A, "lu_cpu")
    _floating("linalg.solve", B, "lu_cpu")
    sa, sb = _matrices("linalg.solve", A), shape_of(B)
    if A._dtype is not B._dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {_tname(A._dtype)} and B of type {_tname(B._dtype)} instead")
    be = A._backend
    if not left:
        return write(_mT(solve(_mT(A), _mT(B))), out)
    vector = len(sb) == 1 or (len(sb) == len(sa) - 1 and sb == sa[:-1])
    b = be.reshape(B._data, sb + (1,)) if vector else B._data
    bs = be.shape(b)
    if len(bs) < 2 or bs[-2] != sa[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"AX = B ({sa[-2]}x{sa[-1]} and {bs[-2] if len(bs) > 1 else 1}x"
                           f"{bs[-1]})")
    try:
        res = be.solve(A._data, b)
    except Exception:
        raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix is "
                          "singular.") from None
    if vector:
        res = be.reshape(res, be.shape(res)[:-1])
    return write(_wrap(res, A._dtype, be), out)


def _mT(t: Tensor) -> Tensor:
    return t.transpose(-2, -1)


def _slogdet_backward(ctx: Any, gsign: Tensor | None, glog: Tensor | None) -> Tensor:
    A = ctx.input
    if not A._dtype.is_complex:  # the sign is piecewise constant: no gradient
        if glog is None:
            return None
        return glog.unsqueeze(-1).unsqueeze(-1) * inv(A).mT
    # l = log det A is holomorphic (dl = tr(A^-1 dA)); logabsdet = Re(l), sign = e^(i Im(l)),
    # so dL/dl = glog + i dL/dIm(l) with dL/dIm(l) = -Im(conj(gsign) * sign); then
    # the gradient is that times conj(dl/dA) = A^-H (NOTE [ Complex gradients ])
    gl = 0 if glog is None else glog
    if gsign is not None:
        gl = gl - (gsign.conj() * ctx.out[0]).imag * 1j
    if isinstance(gl, int):
        return None
    return gl.unsqueeze(-1).unsqueeze(-1) * inv(A).mT.conj()


@differentiable("LinalgSlogdetBackward0", _slogdet_backward, save_output=True,
                inputs=lambda a, k: (a[1],), complex_ok=True)
def _slogdet(op: str, A: Tensor) -> tuple[Tensor, Tensor]:
    check_tensor(op, A, "A")
    _floating(op, A)
    _matrices(op, A)
    be = A._backend
    d = be.det(A._data)
    mag = be.abs(d)
    rdt = A._dtype.to_real()
    if A._dtype.is_complex:
        sign = be.where(be.eq(mag, 0), 0, be.div(d, mag))
        mag = be.real(mag)
    else:
        sign = be.sign(d)
    return _wrap(sign, A._dtype, be), _wrap(be.log(mag), rdt, be)


@public(module=_L, method=False)
def slogdet(A: Tensor, *, out: Any = None) -> Any:
    """``(sign, logabsdet)`` of the determinant of each square matrix."""
    return R.linalg_slogdet(_slogdet("linalg.slogdet", A))


@public("slogdet")
def slogdet_(input: Tensor) -> Any:
    """``(sign, logabsdet)`` of the determinant (``ember.return_types.slogdet``)."""
    return R.slogdet(_slogdet("linalg.slogdet", input))


@public()
def logdet(input: Tensor) -> Tensor:
    """``log(det(input))``: nan for a negative determinant, -inf for a singular matrix; the
    complex logarithm for complex input."""
    check_tensor("logdet", input)
    sign, logabs = _slogdet("logdet", input)
    if input._dtype.is_complex:  # the complex log: log|det| + i arg(det)
        return logabs + sign.angle() * 1j
    return logabs.where(sign >= 0, float("nan"))


def _svdvals_backward(ctx: Any, g: Tensor) -> Tensor:
    from ._svd import svd  # NOTE [ SVD gradients ]

    U, _, Vh = svd(ctx.input)
    return (U * g.unsqueeze(-2)) @ Vh  # U diag(g) V^H, also for complex input


@public(module=_L, method=False)
@differentiable("LinalgSvdBackward0", _svdvals_backward, inputs=_a, complex_ok=True)
def svdvals(A: Tensor, *, driver: str | None = None, out: Tensor | None = None) -> Tensor:
    """Singular values of each matrix in the batch ``(..., m, n)``, in descending order."""
    check_tensor("linalg.svdvals", A, "A")
    _floating("linalg.svd", A, "linalg_svd_cpu")
    _matrices("linalg.svd", A, square=False)
    be = A._backend
    return write(_wrap(be.svdvals(A._data), A._dtype.to_real(), be), out)


@public(module=_L, method=False)
def matrix_rank(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False,
                tol: Any = None) -> Tensor:
    """The number of singular values above ``max(atol, rtol * largest)`` (with PyTorch's
    default ``rtol = eps * max(m, n)``)."""
    check_tensor("linalg.matrix_rank", A, "A")
    if A._dtype not in (D.float32, D.float64, D.complex64, D.complex128):
        raise RuntimeError("This function doesn't handle types other than float and double")
    shape = _matrices("linalg.matrix_rank", A, square=False)
    if tol is not None:
        atol, rtol = tol, 0.0
    s = svdvals(A)
    be = s._backend
    k = min(shape[-2:])
    if k == 0:
        return _wrap(be.full(shape[:-2], 0, D.int64), D.int64, be)
    if rtol is None:
        eps = 1.1920928955078125e-07 if A._dtype.to_real() is D.float32 else 2.220446049250313e-16
        rtol = 0.0 if atol is not None and atol > 0 else eps * max(shape[-2:])
    smax = be.max(s._data, (len(shape) - 2,), True)
    thresh = be.maximum(be.mul(smax, float(rtol)), float(atol or 0.0))
    rank = be.sum(be.astype(be.gt(s._data, thresh), D.int64), (len(shape) - 2,), False)
    return _wrap(rank, D.int64, be)


# ---------------------------------------------------------------------------- products
@public(module=_L, method=False)
@recomputed("LinalgCrossBackward0", inputs=lambda a, k: (a[0], a[1]))
def cross(input: Tensor, other: Tensor, *, dim: int = -1, out: Tensor | None = None) -> Tensor:
    """Cross product of 3-vectors along ``dim``."""
    return write(cross_impl("linalg.cross", input, other, dim), out)


public("matmul", module=_L, method=False)(matmul)


@public(module=_L, method=False)
def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out: Tensor | None = None) -> Tensor:
    """``sum(conj(x) * y, dim)``."""
    from .._ops._reduction import sum as _sum

    if x._dtype.is_complex:
        be = x._backend
        x = _wrap(be.conj(x._data), x._dtype, be)
    return write(_sum(mul(x, y), dim), out)


@public(module=_L, method=False)
def multi_dot(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    """``tensors[0] @ tensors[1] @ ...`` (the first and last may be 1-d)."""
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    return write(functools.reduce(matmul, tensors), out)


# The norms live in their own module (they use svdvals, defined above).
from ._norms import dist, matrix_norm, norm, norm_, vector_norm  # noqa: E402, F401
