"""Unary math (``exp``, ``sin``, ``sigmoid``, ``abs``, ...), each with its backward.

Each entry of ``_FORMULAS`` gives PyTorch's node name and the gradient as a function of the
output gradient ``g``, the input ``x`` and the result ``r``; the formula saves only the
one it uses (``"x"`` or ``"r"``). Formulas are tensor expressions, hence differentiable
again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._defaults import get_default_dtype
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record
from ..backend import _dtypes as D
from ._autodiff import differentiable
from ._elementwise import _BOOL, TRUE_DIV, _write, binary, unary
from ._real_only import refusal
from ._registry import public

__all__ = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "abs", "neg", "reciprocal",
           "rsqrt", "square", "round", "trunc", "floor", "ceil", "sign", "frac"]

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0

# name -> (backward node, uses "x" or "r", gradient formula(g, x_or_r))
_FORMULAS: dict[str, tuple[str, str, Callable[[Any, Any], Any]]] = {
    "exp": ("ExpBackward0", "r", lambda g, r: g * r),
    "expm1": ("Expm1Backward0", "r", lambda g, r: g * (r + 1)),
    "log": ("LogBackward0", "x", lambda g, x: g / x),
    "log2": ("Log2Backward0", "x", lambda g, x: g / (x * _LN2)),
    "log10": ("Log10Backward0", "x", lambda g, x: g / (x * _LN10)),
    "log1p": ("Log1PBackward0", "x", lambda g, x: g / (x + 1)),
    "sqrt": ("SqrtBackward0", "r", lambda g, r: g / (r * 2)),
    "sin": ("SinBackward0", "x", lambda g, x: g * cos(x)),
    "cos": ("CosBackward0", "x", lambda g, x: g * -sin(x)),
    "tan": ("TanBackward0", "r", lambda g, r: g * (r * r + 1)),
    "asin": ("AsinBackward0", "x", lambda g, x: g / sqrt(1 - x * x)),
    "acos": ("AcosBackward0", "x", lambda g, x: -g / sqrt(1 - x * x)),
    "atan": ("AtanBackward0", "x", lambda g, x: g / (x * x + 1)),
    "sinh": ("SinhBackward0", "x", lambda g, x: g * cosh(x)),
    "cosh": ("CoshBackward0", "x", lambda g, x: g * sinh(x)),
    "tanh": ("TanhBackward0", "r", lambda g, r: g * (1 - r * r)),
    "asinh": ("AsinhBackward0", "x", lambda g, x: g / sqrt(x * x + 1)),
    "acosh": ("AcoshBackward0", "x", lambda g, x: g / (  # the complex branch is the product's
        sqrt(x - 1) * sqrt(x + 1) if x._dtype.is_complex else sqrt(x * x - 1))),
    "atanh": ("AtanhBackward0", "x", lambda g, x: g / (1 - x * x)),
    "erf": ("ErfBackward0", "x", lambda g, x: g * _TWO_OVER_SQRT_PI * exp(-(x * x))),
    "erfinv": ("ErfinvBackward0", "r", lambda g, r: g * _SQRT_PI_OVER_TWO * exp(r * r)),
    "floor": ("FloorBackward0", "x", lambda g, x: g * 0),
    "ceil": ("CeilBackward0", "x", lambda g, x: g * 0),
    "trunc": ("TruncBackward0", "x", lambda g, x: g * 0),
    "sign": ("SignBackward0", "x", lambda g, x: g * 0),
    "round": ("RoundBackward0", "x", lambda g, x: g * 0),
}
_TO_FLOAT = {"exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin", "cos", "tan",
             "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf",
             "erfinv"}


def _recorded(name: str, x: Tensor, res: Tensor) -> Tensor:
    node, uses, formula = _FORMULAS[name]
    saved = res.detach() if uses == "r" else x
    record(node, lambda g, s: (formula(g[0], s[0]),), (x,), (res,), (saved,))
    return res


#: Primitives PyTorch refuses for complex input (NotImplementedError).
_REAL_ONLY = frozenset({"floor", "ceil", "trunc", "sign", "erf", "erfinv"})


def _def(name: str, prim: str, doc: str):
    to_float = prim in _TO_FLOAT
    real_only = prim in _REAL_ONLY

    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        if real_only and isinstance(input, Tensor) and input._dtype.kind == "c":
            raise refusal(name, NotImplementedError, input._dtype)
        res = unary(name, prim, input, to_float)
        if input._requires_grad and grad_state.enabled:
            _recorded(prim, input, res)
        return _write(res, out) if out is not None else res

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc + ("\n\nInteger inputs give the default dtype." if to_float else "")
    return public(name)(fn)


exp = _def("exp", "exp", "Exponential, ``e ** input``.")
expm1 = _def("expm1", "expm1", "``exp(input) - 1``, accurate for small input.")
log = _def("log", "log", "Natural logarithm.")
log2 = _def("log2", "log2", "Base-2 logarithm.")
log10 = _def("log10", "log10", "Base-10 logarithm.")
log1p = _def("log1p", "log1p", "``log(1 + input)``, accurate for small input.")
sqrt = _def("sqrt", "sqrt", "Square root.")
sin = _def("sin", "sin", "Sine.")
cos = _def("cos", "cos", "Cosine.")
tan = _def("tan", "tan", "Tangent.")
asin = _def("asin", "asin", "Arcsine.")
acos = _def("acos", "acos", "Arccosine.")
atan = _def("atan", "atan", "Arctangent.")
sinh = _def("sinh", "sinh", "Hyperbolic sine.")
cosh = _def("cosh", "cosh", "Hyperbolic cosine.")
tanh = _def("tanh", "tanh", "Hyperbolic tangent.")
asinh = _def("asinh", "asinh", "Inverse hyperbolic sine.")
acosh = _def("acosh", "acosh", "Inverse hyperbolic cosine.")
atanh = _def("atanh", "atanh", "Inverse hyperbolic tangent.")
erf = _def("erf", "erf", "The error function.")
erfinv = _def("erfinv", "erfinv", "The inverse error function.")
floor = _def("floor", "floor", "Round towards -inf (integers unchanged).")
ceil = _def("ceil", "ceil", "Round towards +inf (integers unchanged).")
trunc = _def("trunc", "trunc", "Round towards zero (integers unchanged).")
sign = _def("sign", "sign", "-1, 0 or 1 according to the sign (0 for nan).")
arcsin = _def("arcsin", "asin", "Alias of :func:`asin`.")
arccos = _def("arccos", "acos", "Alias of :func:`acos`.")
arctan = _def("arctan", "atan", "Alias of :func:`atan`.")
arcsinh = _def("arcsinh", "asinh", "Alias of :func:`asinh`.")
arccosh = _def("arccosh", "acosh", "Alias of :func:`acosh`.")
arctanh = _def("arctanh", "atanh", "Alias of :func:`atanh`.")
fix = _def("fix", "trunc", "Alias of :func:`trunc`.")
bitwise_not = None  # defined in _elementwise (not differentiable)


@public(aliases=("absolute",))
def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Absolute value (the modulus for complex input, returned as a real tensor)."""
    if input._dtype is _BOOL:
        return _write(input.clone(), out)
    res = unary("abs", "abs", input, False)
    if input._dtype.is_complex:
        res = _wrap(res._backend.real(res._data), input._dtype.to_real(), res._backend)
    if input._requires_grad and grad_state.enabled:
        record("AbsBackward0", _abs_backward, (input,), (res,), (input,), complex_ok=True)
    return _write(res, out)


absolute = abs


def _abs_backward(g: tuple, saved: tuple) -> tuple:
    from ._complex_parts import sgn  # z / |z| for complex z: d|z| gives g * sgn(z)

    return (g[0] * sgn(saved[0]),)


@public(aliases=("negative",))
def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``-input``. Bool tensors are rejected, as in PyTorch."""
    if input._dtype is _BOOL:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    res = unary("neg", "neg", input, False)
    if input._requires_grad and grad_state.enabled:
        record("NegBackward0", lambda g, s: (-g[0],), (input,), (res,))
    return _write(res, out)


negative = neg


@public()
def round(input: Tensor, *, decimals: int = 0, out: Tensor | None = None) -> Tensor:
    """Round half to even, optionally to ``decimals`` decimal places."""
    if decimals == 0 or input._dtype.kind in "bi":
        res = unary("round", "round", input, False)
        if input._requires_grad and grad_state.enabled:
            _recorded("round", input, res)
        return _write(res, out)
    return _write(_round_decimals(input, decimals), out)


@differentiable("RoundBackward1", lambda ctx, g: g * 0)
def _round_decimals(input: Tensor, decimals: int) -> Tensor:
    from ._arith import div, mul

    scale = 10.0 ** decimals
    return div(round(mul(input, scale)), scale)


def _float_input(input: Tensor) -> Tensor:
    return input if input._dtype.kind not in "bi" else input.to(get_default_dtype())


@public()
def reciprocal(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``1 / input`` (integer input gives the default float dtype)."""
    res = binary("reciprocal", "div", input, 1.0, TRUE_DIV, reverse=True)
    if input._requires_grad and grad_state.enabled:
        record("ReciprocalBackward0", lambda g, s: (-g[0] * s[0] * s[0],), (input,), (res,),
               (res.detach(),))
    return _write(res, out)


@public()
def rsqrt(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``1 / sqrt(input)``."""
    x = _float_input(input)
    be = x._backend
    res = _wrap(be.div(1.0, be.sqrt(x._data)), x._dtype, be)
    if input._requires_grad and grad_state.enabled:
        record("RsqrtBackward0", lambda g, s: (g[0] * (s[0] * s[0] * s[0]) * -0.5,), (input,),
               (res,), (res.detach(),))
    return _write(res, out)


@public()
def sigmoid(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The logistic function ``1 / (1 + exp(-input))``.

    Example:
        >>> import ember
        >>> ember.sigmoid(ember.tensor([0.0]))
        tensor([0.5000])
    """
    x = _float_input(input)
    be = x._backend
    res = _wrap(be.div(1.0, be.add(be.exp(be.neg(x._data)), 1.0)), x._dtype, be)
    if input._requires_grad and grad_state.enabled:
        record("SigmoidBackward0", lambda g, s: (g[0] * s[0] * (1 - s[0]),), (input,), (res,),
               (res.detach(),))
    return _write(res, out)


@public()
def square(input: Tensor) -> Tensor:
    """``input ** 2`` (bool input gives int64)."""
    from ._arith import pow

    if input._dtype is _BOOL:
        input = input.to(D.int64)
    return pow(input, 2)


@public()
@differentiable("FracBackward0", lambda ctx, g: g)
def frac(input: Tensor) -> Tensor:
    """``input - trunc(input)`` for floating input."""
    from ._arith import sub

    return sub(input, trunc(input))
