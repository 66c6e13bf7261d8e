"""Elementwise math: unary functions, binary arithmetic, comparisons, logical/bitwise ops.

# NOTE [ Elementwise hot path ]
``a + b`` reaches the backend in a few steps: read both dtypes, promote only when they
differ (memoised), call the backend's kernel, wrap. Validation (broadcasting, devices) is
done only when the kernel raises, so correct programs pay nothing for it.
"""

from __future__ import annotations

from typing import Any

from .._defaults import get_default_dtype
from .._promotion import category
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._common import broadcast_error, check_device, is_scalar, promote, shape_of, to_dtype
from ._registry import public

__all__ = ["binary", "unary"]

_BOOL = D.bool_
ARITH, TRUE_DIV, COMPARE, LOGICAL, BITWISE = 0, 1, 2, 3, 4


def _other(op: str, a: Tensor, b: Any) -> Any:
    if isinstance(b, Tensor):
        if b._backend is not a._backend:
            b = _cross_device(op, a, b)
        return b
    if isinstance(b, bool | int | float | complex):
        return b
    if is_scalar(b):
        return b.item()
    raise TypeError(f"{op}(): argument 'other' must be Tensor or Number, not {type(b).__name__}")


def _cross_device(op: str, a: Tensor, b: Tensor) -> Tensor:
    # PyTorch lets a 0-dim CPU tensor meet a tensor on another device.
    if not shape_of(b) and b._backend.device.type == "cpu":
        return b.to(a.device)
    check_device(op, a, b)
    return b


def binary(op: str, prim: str, a: Tensor, b: Any, kind: int = ARITH, reverse: bool = False):
    """Apply the backend primitive ``prim`` to tensor ``a`` and tensor-or-number ``b`` (``b``
    first when ``reverse``), with PyTorch's promotion for the op ``kind``."""
    be = a._backend
    b = _other(op, a, b)
    da = a._dtype
    if type(b) is Tensor or isinstance(b, Tensor):
        if da is b._dtype:
            dt = da
            x, y = a._data, b._data
        else:
            dt = promote(a, b)
            x, y = to_dtype(a, dt), to_dtype(b, dt)
    else:
        dt = promote(a, b)
        x, y = (a._data if dt is da else be.astype(a._data, dt)), b
    if kind:
        dt, x, y = _adjust(op, kind, dt, x, y, be)
    try:
        out = getattr(be, prim)(y, x) if reverse else getattr(be, prim)(x, y)
    except Exception as exc:
        shapes = [shape_of(a), shape_of(b) if isinstance(b, Tensor) else ()]
        raise broadcast_error(op, shapes[::-1] if reverse else shapes, exc) from None
    return _wrap(out, _BOOL if kind == COMPARE or kind == LOGICAL else dt, be)


def _adjust(op: str, kind: int, dt: D.dtype, x: Any, y: Any, be: Any):
    if kind == TRUE_DIV and dt.kind in "bi":
        f = get_default_dtype()
        x = be.astype(x, f) if not isinstance(x, bool | int) else float(x)
        y = be.astype(y, f) if not isinstance(y, bool | int) else float(y)
        return f, x, y
    if kind == BITWISE and dt.kind not in "bi":
        raise RuntimeError(f'"{op}_cpu" not implemented for \'{_tname(dt)}\'')
    return dt, x, y


_TNAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
           "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
           "bool": "Bool", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def _tname(dt: D.dtype) -> str:
    return _TNAMES[dt.name]


def unary(op: str, prim: str, a: Tensor, to_float: bool) -> Tensor:
    """Apply the unary primitive ``prim``; with ``to_float`` integer and bool inputs are
    computed in the default float dtype, as PyTorch does for ``exp``, ``sin``, ..."""
    if not isinstance(a, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(a).__name__}")
    be = a._backend
    dt = a._dtype
    x = a._data
    if to_float and dt.kind in "bi":
        dt = get_default_dtype()
        x = be.astype(x, dt)
    return _wrap(getattr(be, prim)(x), dt, be)


# ---------------------------------------------------------------------------- unary ops
def _def_unary(name: str, prim: str, to_float: bool, doc: str, method: bool = True):
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        res = unary(name, prim, input, to_float)
        if out is not None:
            from ._inplace import write_out

            return write_out(out, res)
        return res

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    public(name, method=method)(fn)
    return fn


_FLOAT_UNARY = {
    "exp": "Exponential, ``e ** input``.",
    "expm1": "``exp(input) - 1``, accurate for small input.",
    "log": "Natural logarithm.",
    "log2": "Base-2 logarithm.",
    "log10": "Base-10 logarithm.",
    "log1p": "``log(1 + input)``, accurate for small input.",
    "sqrt": "Square root.",
    "sin": "Sine.", "cos": "Cosine.", "tan": "Tangent.",
    "asin": "Arcsine.", "acos": "Arccosine.", "atan": "Arctangent.",
    "sinh": "Hyperbolic sine.", "cosh": "Hyperbolic cosine.", "tanh": "Hyperbolic tangent.",
    "asinh": "Inverse hyperbolic sine.", "acosh": "Inverse hyperbolic cosine.",
    "atanh": "Inverse hyperbolic tangent.",
    "erf": "The error function.", "erfinv": "The inverse error function.",
}
_SAME_UNARY = {
    "floor": "Round towards -inf (integers unchanged).",
    "ceil": "Round towards +inf (integers unchanged).",
    "trunc": "Round towards zero (integers unchanged).",
    "sign": "-1, 0 or 1 according to the sign (nan stays nan).",
    "bitwise_not": "Bitwise NOT of integers, logical NOT of bools.",
}
for _n, _d in _FLOAT_UNARY.items():
    globals()[_n] = _def_unary(_n, _n, True, _d + "\n\nInteger inputs give the default dtype.")
for _n, _d in _SAME_UNARY.items():
    globals()[_n] = _def_unary(_n, _n, False, _d)
for _alias, _target in (("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"),
                        ("arcsinh", "asinh"), ("arccosh", "acosh"), ("arctanh", "atanh"),
                        ("fix", "trunc")):
    globals()[_alias] = _def_unary(_alias, _target, _target in _FLOAT_UNARY,
                                   f"Alias of :func:`{_target}`.")


def _bool_result(name: str, prim: str, doc: str):
    def fn(input: Tensor) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' must be Tensor")
        be = input._backend
        return _wrap(getattr(be, prim)(input._data), _BOOL, be)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    public(name)(fn)
    return fn


isnan = _bool_result("isnan", "isnan", "True where ``input`` is nan.")
isinf = _bool_result("isinf", "isinf", "True where ``input`` is +inf or -inf.")
isfinite = _bool_result("isfinite", "isfinite", "True where ``input`` is finite.")
signbit = _bool_result("signbit", "signbit", "True where the sign bit is set.")
logical_not = _bool_result("logical_not", "logical_not", "True where ``input`` is zero.")


@public()
def isposinf(input: Tensor) -> Tensor:
    """True where ``input`` is +inf."""
    return logical_and(isinf(input), input > 0)


@public()
def isneginf(input: Tensor) -> Tensor:
    """True where ``input`` is -inf."""
    return logical_and(isinf(input), input < 0)


@public()
def isreal(input: Tensor) -> Tensor:
    """True where the imaginary part is zero (always True for real dtypes)."""
    if not input._dtype.is_complex:
        return ones_like_bool(input)
    return eq(imag(input), 0)


def ones_like_bool(t: Tensor) -> Tensor:
    be = t._backend
    return _wrap(be.full(shape_of(t), True, _BOOL), _BOOL, be)


@public(aliases=("absolute",))
def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Absolute value (the modulus for complex input, returned as a real tensor)."""
    if input._dtype is _BOOL:
        res = input.clone()
    else:
        res = unary("abs", "abs", input, False)
        if input._dtype.is_complex:
            res = real(res)
    if out is not None:
        from ._inplace import write_out

        return write_out(out, res)
    return res


absolute = abs


@public(aliases=("negative",))
def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``-input``. Bool tensors are rejected, as in PyTorch."""
    if input._dtype is _BOOL:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    res = unary("neg", "neg", input, False)
    if out is not None:
        from ._inplace import write_out

        return write_out(out, res)
    return res


negative = neg


@public()
def round(input: Tensor, *, decimals: int = 0, out: Tensor | None = None) -> Tensor:
    """Round half to even, optionally to ``decimals`` decimal places."""
    if decimals == 0 or input._dtype.kind in "bi":
        res = unary("round", "round", input, False)
    else:
        scale = 10.0 ** decimals
        res = div(unary("round", "round", mul(input, scale), False), scale)
    if out is not None:
        from ._inplace import write_out

        return write_out(out, res)
    return res


@public()
def rsqrt(input: Tensor) -> Tensor:
    """``1 / sqrt(input)``."""
    return reciprocal(sqrt(input))


@public()
def reciprocal(input: Tensor) -> Tensor:
    """``1 / input`` (integer input gives the default float dtype)."""
    return binary("reciprocal", "div", input, 1.0, TRUE_DIV, reverse=True)


@public()
def sigmoid(input: Tensor) -> Tensor:
    """The logistic function ``1 / (1 + exp(-input))``."""
    return reciprocal(add(exp(neg(input if input._dtype.kind not in "bi" else
                                      input.to(get_default_dtype()))), 1.0))


@public()
def square(input: Tensor) -> Tensor:
    """``input * input`` (bool input gives int64)."""
    if input._dtype is _BOOL:
        input = input.to(D.int64)
    return mul(input, input)


@public()
def frac(input: Tensor) -> Tensor:
    """``input - trunc(input)`` for floating input."""
    return sub(input, trunc(input))


@public()
def real(input: Tensor) -> Tensor:
    """The real part (a view for real tensors)."""
    if not input._dtype.is_complex:
        return input
    be = input._backend
    return _wrap(be.real(input._data), input._dtype.to_real(), be)


@public()
def imag(input: Tensor) -> Tensor:
    """The imaginary part of a complex tensor."""
    if not input._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    be = input._backend
    return _wrap(be.imag(input._data), input._dtype.to_real(), be)


@public()
def conj(input: Tensor) -> Tensor:
    """The complex conjugate (the input itself for real tensors)."""
    if not input._dtype.is_complex:
        return input
    return unary("conj", "conj", input, False)


# ---------------------------------------------------------------------------- binary ops
def _scale(other: Any, alpha: Any) -> Any:
    if alpha == 1:
        return other
    return mul(other, alpha) if isinstance(other, Tensor) else other * alpha


def _check_alpha(op: str, input: Tensor, other: Any, alpha: Any) -> None:
    if alpha != 1 and isinstance(alpha, float) and input._dtype.kind in "bi" and (
        not isinstance(other, Tensor) or other._dtype.kind in "bi"
    ):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


def _write(res: Tensor, out: Tensor | None) -> Tensor:
    if out is None:
        return res
    from ._inplace import write_out

    return write_out(out, res)


@public()
def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input + alpha * other`` with broadcasting and type promotion.

    Example:
        >>> import ember
        >>> ember.add(ember.tensor([1, 2]), ember.tensor([10, 20]), alpha=2)
        tensor([21, 42])
    """
    if not isinstance(input, Tensor):
        return _write(binary("add", "add", other, _scale(input, 1), reverse=True), out)
    if alpha != 1:
        _check_alpha("add", input, other, alpha)
        other = _scale(other, alpha)
    return _write(binary("add", "add", input, other), out)


@public(aliases=("subtract",))
def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input - alpha * other``. Two bool operands are rejected, as in PyTorch."""
    if isinstance(input, Tensor) and input._dtype is _BOOL and (
        isinstance(other, bool) or (isinstance(other, Tensor) and other._dtype is _BOOL)
    ):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if not isinstance(input, Tensor):
        return _write(binary("sub", "sub", other, input, reverse=True), out)
    if alpha != 1:
        _check_alpha("sub", input, other, alpha)
        other = _scale(other, alpha)
    return _write(binary("sub", "sub", input, other), out)


subtract = sub


@public(aliases=("multiply",))
def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input * other`` with broadcasting and type promotion."""
    if not isinstance(input, Tensor):
        return _write(binary("mul", "mul", other, input, reverse=True), out)
    return _write(binary("mul", "mul", input, other), out)


multiply = mul


@public(aliases=("divide", "true_divide"))
def div(input: Any, other: Any, *, rounding_mode: str | None = None,
        out: Tensor | None = None) -> Tensor:
    """``input / other``; ``rounding_mode`` None (true division, integers give floats),
    ``"trunc"`` or ``"floor"`` (integers stay integers).

    Example:
        >>> import ember
        >>> ember.div(ember.tensor([7, -7]), 2, rounding_mode="floor")
        tensor([ 3, -4])
    """
    if not isinstance(input, Tensor):
        from ._common import scalar_to_tensor

        input = scalar_to_tensor(input, other)
    if rounding_mode is None:
        return _write(binary("div", "div", input, other, TRUE_DIV), out)
    if rounding_mode == "floor":
        return _write(floor_divide(input, other), out)
    if rounding_mode == "trunc":
        dt = promote(input, _other("div", input, other))
        if dt.kind in "bi":
            q = floor_divide(input, other)
            r = remainder(input, other)
            fix = logical_and(ne(r, 0), ne(lt(r, 0), lt(_as_tensor(other, input), 0)))
            return _write(add(q, fix.to(dt)), out)
        return _write(trunc(binary("div", "div", input, other, TRUE_DIV)), out)
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                       f"found '{rounding_mode}'")


divide = div
true_divide = div


def _as_tensor(x: Any, ref: Tensor) -> Tensor:
    if isinstance(x, Tensor):
        return x
    from ._common import scalar_to_tensor

    return scalar_to_tensor(x, ref)


def _check_int_zero(op: str, input: Tensor, other: Any) -> None:
    dt = promote(input, _other(op, input, other))
    if dt.kind in "bi":
        zero = (other == 0) if not isinstance(other, Tensor) else bool(any_nonzero_eq0(other))
        if zero:
            raise RuntimeError("ZeroDivisionError")


def any_nonzero_eq0(t: Tensor) -> bool:
    be = t._backend
    return be.to_list(be.any(be.eq(t._data, 0), tuple(range(len(shape_of(t)))), False))


@public()
def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``floor(input / other)``; integer division by zero raises ``ZeroDivisionError``
    (PyTorch raises RuntimeError("ZeroDivisionError"))."""
    if not isinstance(input, Tensor):
        input = _as_tensor(input, other)
    _check_int_zero("floor_divide", input, other)
    return _write(binary("floor_divide", "floor_divide", input, other), out)


@public()
def remainder(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Python's ``%``: the result has the sign of ``other``."""
    if not isinstance(input, Tensor):
        input = _as_tensor(input, other)
    _check_int_zero("remainder", input, other)
    return _write(binary("remainder", "remainder", input, other), out)


@public()
def fmod(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """C's ``fmod``: the result has the sign of ``input``."""
    _check_int_zero("fmod", input, other)
    return _write(binary("fmod", "fmod", input, other), out)


@public()
def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:
    """``input ** exponent`` with broadcasting; integers to negative integer powers raise.

    Example:
        >>> import ember
        >>> ember.pow(ember.tensor([1, 2, 3]), 2)
        tensor([1, 4, 9])
    """
    if not isinstance(input, Tensor):
        base = input
        input = _as_tensor(exponent, None) if not isinstance(exponent, Tensor) else exponent
        dt = promote(input, base)
        if dt.kind in "bi":
            _check_neg_int_pow(dt, input)
        return _write(binary("pow", "pow", input, base, reverse=True), out)
    dt = promote(input, _other("pow", input, exponent))
    if dt.kind in "bi":
        _check_neg_int_pow(dt, exponent)
    return _write(binary("pow", "pow", input, exponent), out)


def _check_neg_int_pow(dt: D.dtype, exponent: Any) -> None:
    if isinstance(exponent, Tensor):
        if exponent._dtype.kind == "i" and bool(lt(exponent, 0).any()):
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


@public()
def atan2(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Elementwise arctangent of ``input / other`` with the quadrant of the signs."""
    return _write(binary("atan2", "atan2", input, other, TRUE_DIV), out)


arctan2 = public("arctan2")(lambda input, other: atan2(input, other))


def _def_binary(name: str, prim: str, kind: int, doc: str, aliases: tuple[str, ...] = ()):
    def fn(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
        if not isinstance(input, Tensor):
            return _write(binary(name, prim, other, input, kind, reverse=True), out)
        return _write(binary(name, prim, input, other, kind), out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    public(name, aliases=aliases)(fn)
    return fn


maximum = _def_binary("maximum", "maximum", ARITH, "Elementwise maximum; nan propagates.")
minimum = _def_binary("minimum", "minimum", ARITH, "Elementwise minimum; nan propagates.")
fmax = _def_binary("fmax", "maximum", ARITH, "Elementwise maximum (see ``maximum``).")
fmin = _def_binary("fmin", "minimum", ARITH, "Elementwise minimum (see ``minimum``).")
eq = _def_binary("eq", "eq", COMPARE, "Elementwise ``==`` as a bool tensor.")
ne = _def_binary("ne", "ne", COMPARE, "Elementwise ``!=``.", ("not_equal",))
lt = _def_binary("lt", "lt", COMPARE, "Elementwise ``<``.", ("less",))
le = _def_binary("le", "le", COMPARE, "Elementwise ``<=``.", ("less_equal",))
gt = _def_binary("gt", "gt", COMPARE, "Elementwise ``>``.", ("greater",))
ge = _def_binary("ge", "ge", COMPARE, "Elementwise ``>=``.", ("greater_equal",))
logical_and = _def_binary("logical_and", "logical_and", LOGICAL, "Elementwise logical AND.")
logical_or = _def_binary("logical_or", "logical_or", LOGICAL, "Elementwise logical OR.")
logical_xor = _def_binary("logical_xor", "logical_xor", LOGICAL, "Elementwise logical XOR.")
bitwise_and = _def_binary("bitwise_and", "bitwise_and", BITWISE, "Bitwise AND (``&``).")
bitwise_or = _def_binary("bitwise_or", "bitwise_or", BITWISE, "Bitwise OR (``|``).")
bitwise_xor = _def_binary("bitwise_xor", "bitwise_xor", BITWISE, "Bitwise XOR (``^``).")
bitwise_left_shift = _def_binary("bitwise_left_shift", "left_shift", BITWISE, "``<<``.")
bitwise_right_shift = _def_binary("bitwise_right_shift", "right_shift", BITWISE, "``>>``.")
not_equal, less, less_equal = ne, lt, le
greater, greater_equal = gt, ge


@public()
def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``input + weight * (end - input)``."""
    return add(input, mul(sub(end, input), weight))


@public()
def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 * tensor2``."""
    return add(input, mul(mul(tensor1, tensor2), value) if value != 1 else mul(tensor1, tensor2))


@public()
def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 / tensor2``."""
    if tensor1._dtype.kind in "bi" and tensor2._dtype.kind in "bi":
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a "
                           "future release addcdiv will perform a true division of tensor1 and "
                           "tensor2. The historic addcdiv behavior can be implemented as "
                           "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float "
                           "inputs. The future addcdiv behavior is just the latter "
                           "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
    q = div(tensor1, tensor2)
    return add(input, mul(q, value) if value != 1 else q)


@public(aliases=("clip",))
def clamp(input: Tensor, min: Any = None, max: Any = None, *, out: Tensor | None = None
          ) -> Tensor:
    """Clamp every element into ``[min, max]`` (either bound may be a tensor or None).

    Example:
        >>> import ember
        >>> ember.clamp(ember.tensor([-2., 0.5, 3.]), min=-1, max=1)
        tensor([-1.0000,  0.5000,  1.0000])
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    dt = input._dtype
    for bound in (min, max):
        if bound is not None:
            dt_b = promote(input, _other("clamp", input, bound))
            if category(dt_b) > category(dt):
                dt = dt_b
    be = input._backend
    lo = to_dtype(min, dt) if isinstance(min, Tensor) else min
    hi = to_dtype(max, dt) if isinstance(max, Tensor) else max
    return _write(_wrap(be.clip(to_dtype(input, dt), lo, hi), dt, be), out)


clip = clamp


@public()
def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``input`` where ``condition`` holds, else ``other``; with one argument,
    ``nonzero(condition, as_tuple=True)``."""
    if input is None and other is None:
        from ._indexing import nonzero

        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError("where(): argument 'condition' must be Tensor")
    if condition._dtype is not _BOOL:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_tname(condition._dtype)}")
    ref = input if isinstance(input, Tensor) else other if isinstance(other, Tensor) else None
    if ref is None:
        ref = _as_tensor(input, condition)
        input = ref
    dt = promote(ref, other if ref is input else input)
    be = condition._backend
    x = to_dtype(input, dt) if isinstance(input, Tensor) else input
    y = to_dtype(other, dt) if isinstance(other, Tensor) else other
    for t in (input, other):
        if isinstance(t, Tensor) and t._backend is not be:
            check_device("where", condition, t)
    try:
        out = be.where(condition._data, x, y)
    except Exception as exc:
        shapes = [shape_of(t) if isinstance(t, Tensor) else () for t in (condition, input, other)]
        raise broadcast_error("where", shapes, exc) from None
    return _wrap(out, dt, be)
