"""The parts of complex numbers (``real``, ``imag``, ``conj``, ``sgn``, ``angle``), each
differentiable with PyTorch's complex gradient.

None of them is holomorphic, so each records a formula written for complex input (NOTE
[ Complex gradients ] in ``autograd/_complex.py``): for ``s = f(z)`` with output gradient
``G``, the input gradient is ``G * conj(ds/dz) + conj(G) * ds/dconj(z)``.
"""

from __future__ import annotations

import math

from .._defaults import get_default_dtype
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ._arith import div, mul, sub
from ._complex_views import has_part_views, view_as_real
from ._elementwise import eq, unary, where
from ._registry import public
from ._unary import abs, sign
from ._views import select

__all__ = ["real", "imag", "conj", "sgn", "angle"]


def _tracked(t: Tensor) -> bool:
    return t._requires_grad and grad_state.enabled


def _part(input: Tensor, prim: str) -> Tensor:
    be = input._backend
    return _wrap(getattr(be, prim)(input._data), input._dtype.to_real(), be)


@public(method=False)  # Tensor.real is a property, as in PyTorch
def real(input: Tensor) -> Tensor:
    """The real part (the input itself for real tensors): a view of a complex input,
    ``view_as_real(input)[..., 0]``, whose writes change the input.

    Its gradient is the real output gradient, as a complex tensor.
    """
    if not input._dtype.is_complex:
        return input
    if has_part_views(input):
        return select(view_as_real(input), -1, 0)
    res = _part(input, "real")  # a backend without part views: a copy
    if _tracked(input):  # PyTorch reads the part through view_as_real(z)[..., 0]
        record("SelectBackward0", lambda g, _s: (g[0],), (input,), (res,), complex_ok=True)
    return res


@public(method=False)  # Tensor.imag is a property, as in PyTorch
def imag(input: Tensor) -> Tensor:
    """The imaginary part of a complex tensor, a view of it (``view_as_real(input)[...,
    1]``); its gradient is ``1j`` times the output's."""
    if not input._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    if has_part_views(input):
        return select(view_as_real(input), -1, 1)
    res = _part(input, "imag")
    if _tracked(input):
        record("SelectBackward0", lambda g, _s: (mul(g[0], 1j),), (input,), (res,),
               complex_ok=True)
    return res


@public()
def conj(input: Tensor) -> Tensor:
    """The complex conjugate (the input itself for real tensors)."""
    if not input._dtype.is_complex:
        return input
    res = unary("conj", "conj", input, False)
    if _tracked(input):
        record("ConjBackward0", lambda g, _s: (conj(g[0]),), (input,), (res,), complex_ok=True)
    return res


def _unit(z: Tensor, modulus: Tensor) -> Tensor:
    """``z / |z|``, 0 where ``z`` is 0."""
    zero = eq(modulus, 0)
    return where(zero, 0, div(z, where(zero, 1, modulus)))


def _sgn_backward(g: tuple, saved: tuple) -> tuple:
    z, = saved
    a = abs(z)
    s = _unit(z, a)
    zero = eq(a, 0)
    # s = z / |z|: ds/dz = 1 / (2|z|), ds/dconj(z) = -s^2 / (2|z|)
    num = sub(g[0], mul(conj(g[0]), mul(s, s)))
    return (where(zero, 0, div(num, mul(where(zero, 1, a), 2))),)


@public()
def sgn(input: Tensor) -> Tensor:
    """``sign`` for real input; ``z / |z|`` (0 at 0) for complex input."""
    if not input._dtype.is_complex:
        if not _tracked(input):
            return sign(input)
        res = sign(input.detach())  # recorded below under PyTorch's name, SgnBackward0
        record("SgnBackward0", lambda g, _s: (mul(g[0], 0),), (input,), (res,))
        return res
    with_grad = _tracked(input)
    prev, grad_state.enabled = grad_state.enabled, False
    try:
        res = _unit(input, abs(input))
    finally:
        grad_state.enabled = prev
    if with_grad:
        record("SgnBackward0", _sgn_backward, (input,), (res,), (input,), complex_ok=True)
    return res


def _angle_backward(g: tuple, saved: tuple) -> tuple:
    z, = saved
    if not z._dtype.is_complex:
        return (mul(g[0], 0),)
    a2 = mul(abs(z), abs(z))
    zero = eq(a2, 0)
    # angle = atan2(y, x): dL/dx + i dL/dy = g * (-y + ix) / |z|^2 = g * 1j * z / |z|^2
    return (where(zero, 0, mul(div(mul(z, g[0]), where(zero, 1, a2)), 1j)),)


@public()
def angle(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The argument of each element in radians, in ``(-pi, pi]``: ``atan2(imag, real)``
    for complex input; ``pi`` for negative and ``0`` for other real input (nan stays nan).
    Integer input gives the default float dtype."""
    from ._elementwise import _write, isnan
    from ._power import atan2

    with_grad = _tracked(input)
    prev, grad_state.enabled = grad_state.enabled, False
    try:
        if input._dtype.is_complex:
            res = atan2(_part(input, "imag"), _part(input, "real"))
        else:
            x = input if input._dtype.kind == "f" else input.to(get_default_dtype())
            res = where(isnan(x), x, where(x < 0, math.pi, x.new_zeros(x.shape)))
    finally:
        grad_state.enabled = prev
    if with_grad:
        record("AngleBackward0", _angle_backward, (input,), (res,), (input,), complex_ok=True)
    return _write(res, out)
