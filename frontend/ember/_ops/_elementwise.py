"""Elementwise math: unary functions, binary arithmetic, comparisons, logical/bitwise ops.

# NOTE [ Elementwise hot path ]
``a + b`` reaches the backend in a few steps: read both dtypes, promote only when they
differ (memoised), call the backend's kernel, wrap. Validation (broadcasting, devices) is
done only when the kernel raises, so correct programs pay nothing for it.
"""

from __future__ import annotations

from typing import Any

from .._defaults import get_default_dtype
from .._tensor import Tensor, _wrap
from ..autograd.graph import record
from ..backend import _dtypes as D
from ._common import broadcast_error, check_device, is_scalar, promote, shape_of, to_dtype
from ._real_only import refusal
from ._registry import method, public

__all__ = ["binary", "unary", "ARITH", "TRUE_DIV", "COMPARE", "LOGICAL", "BITWISE"]

_BOOL = D.bool_
_NUMBER = (bool, int, float, complex)
ARITH, TRUE_DIV, COMPARE, LOGICAL, BITWISE = 0, 1, 2, 3, 4


def _other(op: str, a: Tensor, b: Any) -> Any:
    if isinstance(b, Tensor):
        if b._backend is not a._backend:
            b = _cross_device(op, a, b)
        return b
    if isinstance(b, _NUMBER):
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
    if kind == COMPARE and dt.kind == "c" and op in _ORDERED:  # complex has no order
        raise refusal(op, NotImplementedError, dt)
    if kind == TRUE_DIV and dt.kind in "bi":
        f = get_default_dtype()
        x = be.astype(x, f) if not isinstance(x, bool | int) else float(x)
        y = be.astype(y, f) if not isinstance(y, bool | int) else float(y)
        return f, x, y
    if kind == BITWISE and dt.kind not in "bi":
        # PyTorch checks the shapes first: a mismatch is a RuntimeError even for floats
        if hasattr(y, "shape") and hasattr(x, "shape"):
            from ._common import broadcast_shapes

            try:
                broadcast_shapes(tuple(be.shape(x)), tuple(be.shape(y)))
            except Exception as exc:
                raise broadcast_error(op, [tuple(be.shape(x)), tuple(be.shape(y))],
                                      exc) from None
        raise NotImplementedError(f'"{op}_cpu" not implemented for \'{_tname(dt)}\'')
    return dt, x, y


_ORDERED = frozenset({"lt", "le", "gt", "ge"})

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



def _write(res: Tensor, out: Tensor | None) -> Tensor:
    if out is None:
        return res
    from ._inplace import write_out

    if res._requires_grad and res._grad_fn is not None:
        raise RuntimeError(f"{res._grad_fn.name()[:-9].lower()}(): functions with out=... "
                           f"arguments don't support automatic differentiation, but one of "
                           f"the arguments requires grad.")
    return write_out(out, res)


def _as_tensor(x: Any, ref: Tensor | None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    from ._common import scalar_to_tensor

    return scalar_to_tensor(x, ref)


# ---------------------------------------------------------------------------- comparisons
def _def_binary(name: str, prim: str, kind: int, doc: str, aliases: tuple[str, ...] = ()):
    def fn(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
        if not isinstance(input, Tensor):
            return _write(binary(name, prim, other, input, kind, reverse=True), out)
        return _write(binary(name, prim, input, other, kind), out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return public(name, aliases=aliases)(fn)


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




def _bool_result(name: str, prim: str, doc: str):
    def fn(input: Tensor) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' must be Tensor")
        be = input._backend
        return _wrap(getattr(be, prim)(input._data), _BOOL, be)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return public(name)(fn)


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
    from ._complex_parts import imag

    return eq(imag(input), 0)


def ones_like_bool(t: Tensor) -> Tensor:
    be = t._backend
    return _wrap(be.full(shape_of(t), True, _BOOL), _BOOL, be)



def _where_method(self: Tensor, condition: Tensor, other: Any) -> Tensor:
    """``self.where(condition, other)``: ``self`` where ``condition`` holds, else ``other``."""
    return where(condition, self, other)


@public(method=False)
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
    res = _wrap(out, dt, be)

    if rg(input if isinstance(input, Tensor) else other, other):
        record("WhereBackward0", lambda g, s: (None, where(condition, g[0], 0.0),
                                               where(condition, 0.0, g[0])),
               (condition, input, other), (res,))
    return res


method("where", _where_method)


def _bitwise_not(input: Tensor) -> Tensor:
    """Bitwise NOT of integers, logical NOT of bools (``~input``)."""
    if input._dtype.kind not in "bi":
        raise NotImplementedError(f'"bitwise_not_cpu" not implemented for '
                                  f'\'{_tname(input._dtype)}\'')
    return unary("bitwise_not", "bitwise_not", input, False)


_bitwise_not.__name__ = _bitwise_not.__qualname__ = "bitwise_not"
bitwise_not = public("bitwise_not")(_bitwise_not)

# Re-export the differentiable families so ``_elementwise`` names every elementwise op.
from ._arith import *  # noqa: E402, F403
from ._arith import (  # noqa: E402, F401
    arctan2,
    divide,
    multiply,
    rg,  # noqa: E402, F401
    subtract,
    true_divide,
)
from ._minmax import *  # noqa: E402, F403
from ._unary import *  # noqa: E402, F403
from ._unary import (  # noqa: E402, F401
    acos,
    acosh,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    asin,
    asinh,
    atan,
    atanh,
    cosh,
    erf,
    erfinv,
    expm1,
    fix,
    log1p,
    log2,
    log10,
    sinh,
    tan,
)
