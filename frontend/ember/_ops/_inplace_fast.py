"""In-place arithmetic written straight into the destination: ``add_``, ``sub_``, ``mul_``,
``div_``, ``addcmul_``, ``addcdiv_`` and ``lerp_``.

# NOTE [ Writing in place ]
The general path (NOTE [ In-place writes ]) computes the result out of place and copies it
in: an allocation and two passes over memory per op, which is most of an optimizer step's
cost. When no autograd is involved and every operand already has the destination's dtype
(tensors on its device, or Python numbers that do not promote), the backend's optional
``binary_into`` kernel writes each step of the formula into the destination (or into one
temporary) directly, in the same order of operations as the out-of-place composite, so the
bits are the same. Anything else -- recording for autograd, promotion, a bad shape, a
backend without the kernel -- takes the general path, which also raises the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._tensor import Tensor
from ..autograd.grad_mode import grad_state
from ._inplace import bump_version
from ._registry import _METHODS, method

__all__ = ["install_fast_inplace"]

_NO = object()
def _operand(t: Tensor, v: Any, division: bool = False) -> Any:
    """``v`` as a raw operand of ``t``'s dtype, or ``_NO`` (see NOTE [ Writing in place ])."""
    kind = t._dtype.kind
    if isinstance(v, Tensor):
        if v._backend is t._backend and v._dtype is t._dtype and not (
                v._requires_grad and grad_state.enabled):
            return v._data if kind == "f" or not division else _NO
        return _NO
    tv = type(v)
    if tv is float:
        return v if kind == "f" else _NO
    if tv is int:
        return v if kind == "f" or (kind == "i" and not division) else _NO
    return _NO


def _target(t: Tensor) -> Any:
    """The ``binary_into`` kernel when ``t`` may be written without the general path."""
    if t._requires_grad and grad_state.enabled:
        return None
    return t._backend.optional("binary_into")


def _run(t: Tensor, steps: Callable[[Any], None], fallback: Callable[[], Tensor]) -> Tensor:
    into = _target(t)
    if into is None:
        return fallback()
    try:
        steps(into)
    except (ValueError, TypeError, OverflowError):  # shapes or scalars: the general path
        return fallback()  # raises PyTorch's error (NumPy checks before writing)
    bump_version(t)
    return t


def install_fast_inplace() -> None:
    """Register the fast ``add_``, ``sub_``, ... Tensor methods in place of the general ones
    (already registered by ``make_inplace``), which they fall back to."""
    general = {name: _METHODS[name] for name in
               ("add_", "sub_", "mul_", "div_", "addcmul_", "addcdiv_", "lerp_")}

    def additive(op: str) -> Any:
        fallback = general[op + "_"]

        def method(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
            o = _operand(self, other)
            if o is _NO or (alpha != 1 and _operand(self, alpha) is _NO):
                return fallback(self, other, alpha=alpha)
            return _run(self, lambda into: _add(self, into, o, alpha, op),
                        lambda: fallback(self, other, alpha=alpha))

        method.__name__ = method.__qualname__ = op + "_"
        return method

    add_, sub_ = additive("add"), additive("sub")

    def mul_(self: Tensor, other: Any) -> Tensor:
        o = _operand(self, other)
        if o is _NO:
            return general["mul_"](self, other)
        return _run(self, lambda into: into("mul", self._data, self._data, o),
                    lambda: general["mul_"](self, other))

    def div_(self: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        o = _operand(self, other, division=True)
        if o is _NO or rounding_mode is not None:
            return general["div_"](self, other, rounding_mode=rounding_mode)
        return _run(self, lambda into: into("div", self._data, self._data, o),
                    lambda: general["div_"](self, other))

    def addcmul_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        return _addc(self, tensor1, tensor2, value, "mul",
                     lambda: general["addcmul_"](self, tensor1, tensor2, value=value))

    def addcdiv_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        return _addc(self, tensor1, tensor2, value, "div",
                     lambda: general["addcdiv_"](self, tensor1, tensor2, value=value))

    def lerp_(self: Tensor, end: Tensor, weight: Any) -> Tensor:
        def fallback() -> Tensor:
            return general["lerp_"](self, end, weight)

        e = _operand(self, end) if isinstance(end, Tensor) else _NO
        if e is _NO or type(weight) is not float or self._dtype.kind != "f":
            return fallback()

        def steps(into: Any) -> None:  # the composite's one branch (_minmax.lerp)
            diff = self._backend.sub(e, self._data)
            if weight < 0.5:
                into("mul", diff, diff, weight)
                into("add", self._data, self._data, diff)
            else:
                into("mul", diff, diff, 1 - weight)
                into("sub", self._data, e, diff)

        return _run(self, steps, fallback)

    for fn in (add_, sub_, mul_, div_, addcmul_, addcdiv_, lerp_):
        fn.__doc__ = general[fn.__name__].__doc__
        method(fn.__name__, fn)


def _add(t: Tensor, into: Any, o: Any, alpha: Any, op: str) -> None:
    if alpha != 1:  # as _arith._scale: the scaled operand first
        o = o * alpha if isinstance(o, int | float) else t._backend.mul(o, alpha)
    into(op, t._data, t._data, o)


def _addc(t: Tensor, t1: Any, t2: Any, value: Any, op: str, fallback: Callable) -> Tensor:
    a = _operand(t, t1, division=op == "div") if isinstance(t1, Tensor) else _NO
    b = _operand(t, t2, division=op == "div") if isinstance(t2, Tensor) else _NO
    if a is _NO or b is _NO or (value != 1 and _operand(t, value) is _NO):
        return fallback()

    def steps(into: Any) -> None:  # the composite's order (_minmax.addcmul / addcdiv)
        q = getattr(t._backend, op)(a, b)
        if value != 1:
            into("mul", q, q, value)
        into("add", t._data, t._data, q)

    return _run(t, steps, fallback)
