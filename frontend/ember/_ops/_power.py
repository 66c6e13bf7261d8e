"""``pow``, ``float_power`` and ``atan2``, each with its backward formula beside its
forward (the rest of the binary arithmetic is in ``_arith``)."""

from __future__ import annotations

import cmath
import math
from typing import Any

from .._tensor import Tensor
from ..autograd.graph import record
from ..backend import _dtypes as D
from ._arith import rg  # _arith imports this module last, after defining rg
from ._common import promote
from ._elementwise import TRUE_DIV, _other, _write, binary, shape_of
from ._registry import public

__all__ = ["pow", "float_power", "atan2", "arctan2"]


# ---------------------------------------------------------------------------- pow
@public()
def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:
    """``input ** exponent`` with broadcasting; integers to negative integer powers raise.

    Example:
        >>> import ember
        >>> ember.pow(ember.tensor([1, 2, 3]), 2)
        tensor([1, 4, 9])
    """
    if not isinstance(input, Tensor):  # number ** tensor
        base = input
        dt = promote(exponent, base)
        if dt.kind in "bi":
            _check_neg_int_pow(exponent)
        res = binary("pow", "pow", exponent, base, reverse=True)
        if rg(exponent):
            record("PowBackward2", lambda g, s: (_number_base_grad(g[0], res, base, s[0]),),
                   (exponent,), (res,), (exponent,))
        return _write(res, out)
    dt = promote(input, _other("pow", input, exponent))
    if dt.kind in "bi":
        _check_neg_int_pow(exponent)
    res = binary("pow", "pow", input, exponent)
    if rg(input, exponent):
        _record_pow(res, input, exponent)
    return _write(res, out)


def _number_base_grad(g: Tensor, res: Tensor, base: Any, exponent: Tensor) -> Tensor:
    """The gradient of ``base ** exponent`` for a number ``base``: ``g * res * log(base)``
    (nan for a negative real base; 0 where ``0 ** exponent`` is flat, as PyTorch)."""
    if isinstance(base, complex):
        return g * res.detach() * cmath.log(base)
    if base > 0:
        return g * res.detach() * math.log(base)
    grad = g * res.detach() * (-math.inf if base == 0 else math.nan)
    if base == 0:
        from ._elementwise import where

        grad = where(exponent >= 0, 0, grad)
    return grad


def _record_pow(res: Tensor, x: Tensor, e: Any) -> None:
    if not isinstance(e, Tensor):
        def backward(grads: tuple, saved: tuple) -> tuple:
            if e == 0:
                return (grads[0] * 0,)
            return (grads[0] * e * pow(saved[0], e - 1),)

        record("PowBackward0", backward, (x,), (res,), (x,))
        return
    need_x, need_e = x._requires_grad, e._requires_grad

    def backward2(grads: tuple, saved: tuple) -> tuple:
        g = grads[0]
        sx, se, r = saved
        gx = g * se * pow(sx, se - 1) if need_x else None
        if need_e:
            from ._elementwise import logical_and, where
            from ._unary import log

            # 0 ** e is flat in e where e >= 0 (complex e: real, >= 0), as PyTorch
            cond = (logical_and(se.imag == 0, se.real >= 0) if se._dtype.is_complex
                    else se >= 0)
            mask = logical_and(sx == 0, cond)
            ge = where(mask, 0.0, g * r * log(sx))
        else:
            ge = None
        return gx, ge

    record("PowBackward1", backward2, (x, e), (res,), (x, e, res.detach()))


def _check_neg_int_pow(exponent: Any) -> None:
    if isinstance(exponent, Tensor):
        if exponent._dtype.kind == "i":
            be = exponent._backend
            neg = be.to_list(be.any(be.lt(exponent._data, 0),
                                    tuple(range(len(shape_of(exponent)))), False))
            if neg:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
    elif isinstance(exponent, int) and not isinstance(exponent, bool) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


@public()
def float_power(input: Any, exponent: Any) -> Tensor:
    """``pow`` computed in float64 (complex128 for complex input)."""
    dt = D.complex128 if (isinstance(input, Tensor) and input._dtype.is_complex) else D.float64
    if isinstance(input, Tensor):
        input = input.to(dt)
    if isinstance(exponent, Tensor):
        exponent = exponent.to(dt)
    return pow(input, exponent)


@public(aliases=("arctan2",))
def atan2(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Elementwise arctangent of ``input / other`` with the quadrant of the signs."""
    res = binary("atan2", "atan2", input, other, TRUE_DIV)
    if rg(input, other):
        tensor_other = isinstance(other, Tensor)

        def backward(grads: tuple, saved: tuple) -> tuple:
            g = grads[0]
            x, y = saved if tensor_other else (saved[0], other)
            denom = x * x + y * y
            return g * y / denom, (-g * x / denom if tensor_other else None)

        record("Atan2Backward0", backward, (input, other), (res,),
               (input, other) if tensor_other else (input,))
    return _write(res, out)


arctan2 = atan2
