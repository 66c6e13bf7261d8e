"""Tensor methods that are not ops: conversions, device moves, copies, Python operators."""

from __future__ import annotations

from typing import Any

from ._defaults import as_device, backend_for
from ._ops import _elementwise as E
from ._ops._common import shape_of
from ._ops._inplace import make_inplace
from ._ops._inplace_fast import install_fast_inplace
from ._ops._registry import method
from ._tensor import Tensor, _wrap
from .backend import _dtypes as D
from .backend._device import device as Device

__all__ = ["transfer", "to", "legacy_type_name"]


def transfer(t: Tensor, backend: Any) -> Any:
    """``t``'s array copied onto ``backend`` (another device)."""
    src = t._backend
    if "numpy" in src.capabilities and "numpy" in backend.capabilities:
        return backend.copy(backend.from_numpy(src.to_numpy(src.copy(t._data))))
    return backend.from_list(src.to_list(t._data), shape_of(t), t._dtype)


def _parse_to(args: tuple, kwargs: dict) -> tuple[Device | None, D.dtype | None, bool]:
    dev = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    copy = bool(kwargs.pop("copy", False))
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dev, dtype = a.device, a.dtype
        elif isinstance(a, str | Device) or (isinstance(a, int) and not isinstance(a, bool)):
            dev = a
        elif isinstance(a, bool):
            continue  # non_blocking / copy positional flags
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments: {a!r}")
    return (as_device(dev) if dev is not None else None), dtype, copy


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Move and/or cast: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``.

    Returns ``self`` when nothing changes (unless ``copy=True``).

    Example:
        >>> import ember
        >>> ember.tensor([1, 2]).to(ember.float64)
        tensor([1., 2.], dtype=ember.float64)
    """
    dev, dtype, copy = _parse_to(args, kwargs)
    be = self._backend if dev is None else backend_for(dev)
    dtype = dtype or self._dtype
    if be is self._backend and dtype is self._dtype and not copy:
        return self
    data = self._data if be is self._backend else transfer(self, be)
    if dtype is not self._dtype:
        data = be.astype(data, dtype)
    elif be is self._backend:
        data = be.copy(data)
    from .autograd import _hooks

    return _hooks.record_to(self, _wrap(data, dtype, be))


def cpu(self: Tensor, memory_format: Any = None) -> Tensor:
    """This tensor on the CPU (``self`` when it already is)."""
    return to(self, "cpu")


def cuda(self: Tensor, device: Any = None, non_blocking: bool = False,
         memory_format: Any = None) -> Tensor:
    """This tensor on a CUDA device (the current one by default)."""
    dev = "cuda" if device is None else (f"cuda:{device}" if isinstance(device, int) else device)
    return to(self, dev)


def numpy(self: Tensor, *, force: bool = False) -> Any:
    """A NumPy array sharing memory with this CPU tensor.

    Raises TypeError for tensors on other devices and RuntimeError for tensors that require
    grad (unless ``force=True``, which copies), as PyTorch does.
    """
    be = self._backend
    if self._requires_grad and not force:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                           "tensor.detach().numpy() instead.")
    if be.device.type != "cpu" and not force:
        raise TypeError(f"can't convert {be.device} device type tensor to numpy. Use "
                        f"Tensor.cpu() to copy the tensor to host memory first.")
    if force and be.device.type != "cpu":
        return numpy(cpu(self.detach()))
    if "numpy" not in be.capabilities:
        raise TypeError(f"numpy(): the {be.name!r} backend cannot share memory with NumPy")
    if force:
        return be.to_numpy(be.copy(self._data))
    arr = be.to_numpy(self._data)
    # a fresh view each call, as PyTorch: reshaping the returned array leaves the tensor alone
    return arr.view() if hasattr(arr, "view") else arr


def item(self: Tensor) -> Any:
    """The value of a one-element tensor as a Python number.

    Example:
        >>> import ember
        >>> ember.tensor([2.5]).item()
        2.5
    """
    n = self.numel()
    if n != 1:
        raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
    be = self._backend
    data = self._data if not shape_of(self) else be.reshape(self._data, ())
    return be.to_list(data)


def tolist(self: Tensor) -> Any:
    """The values as (nested) Python lists of numbers; a number for a 0-d tensor."""
    return self._backend.to_list(self._data)


def clone(self: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy with its own memory (recorded by autograd)."""
    from .autograd import _hooks

    return _hooks.record_clone(self, _wrap(self._backend.copy(self._data), self._dtype,
                                           self._backend))


def detach(self: Tensor) -> Tensor:
    """A tensor sharing this one's data, outside any autograd graph."""
    out = _wrap(self._data, self._dtype, self._backend)
    meta = self._ensure_meta()
    if meta.version is None:
        meta.version = [0]
    out._ensure_meta().version = meta.version
    return out


def detach_(self: Tensor) -> Tensor:
    """Detach this tensor from the graph in place (it becomes a leaf)."""
    self._grad_fn = None
    self._requires_grad = False
    return self


def requires_grad_(self: Tensor, requires_grad: bool = True) -> Tensor:
    """Set ``requires_grad`` in place and return ``self``."""
    self.requires_grad = requires_grad
    return self


_LEGACY = {
    D.float32: "FloatTensor", D.float64: "DoubleTensor", D.float16: "HalfTensor",
    D.bfloat16: "BFloat16Tensor", D.int64: "LongTensor", D.int32: "IntTensor",
    D.int16: "ShortTensor", D.int8: "CharTensor", D.uint8: "ByteTensor", D.bool_: "BoolTensor",
    D.complex64: "ComplexFloatTensor", D.complex128: "ComplexDoubleTensor",
}
_FROM_LEGACY = {name: dt for dt, name in _LEGACY.items()}


def legacy_type_name(t: Tensor) -> str:
    """``'ember.FloatTensor'``, ``'ember.cuda.LongTensor'``, ..."""
    dev = t._backend.device.type
    scope = "ember." if dev == "cpu" else f"ember.{dev}."
    return scope + _LEGACY[t._dtype]


def type_(self: Tensor, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
    """With no argument, the legacy type name (``'ember.FloatTensor'``); else a cast to a
    dtype or a type name such as ``'torch.DoubleTensor'``."""
    if dtype is None:
        return legacy_type_name(self)
    if isinstance(dtype, str):
        name = dtype.rsplit(".", 1)[-1]
        if name not in _FROM_LEGACY:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = _FROM_LEGACY[name]
    elif isinstance(dtype, type) and issubclass(dtype, Tensor):
        dtype = _FROM_LEGACY.get(dtype.__name__, D.float32)
    return to(self, dtype)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """Cast to ``other``'s dtype."""
    return to(self, other.dtype)


def _caster(dt: D.dtype, name: str):
    def cast(self: Tensor, memory_format: Any = None) -> Tensor:
        return to(self, dt)

    cast.__name__ = cast.__qualname__ = name
    cast.__doc__ = f"``self.to({dt})``."
    return cast


def _new_filled(value: Any):
    def new(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
            requires_grad: bool = False, **kw: Any) -> Tensor:
        from ._ops._common import as_shape
        from ._ops._creation import full

        shape = as_shape(size, "new")
        return full(shape, value, dtype=dtype or self.dtype, device=device or self.device,
                    requires_grad=requires_grad)

    return new


def new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False, **kw: Any) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``, with this tensor's dtype and device."""
    from ._ops._creation import full

    return full(tuple(size), fill_value, dtype=dtype or self.dtype, device=device or self.device,
                requires_grad=requires_grad)


def new_tensor(self: Tensor, data: Any, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False, **kw: Any) -> Tensor:
    """``ember.tensor(data)`` with this tensor's dtype and device by default."""
    from ._ops._creation import tensor

    return tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                  requires_grad=requires_grad)


def _data_get(self: Tensor) -> Tensor:
    return detach(self)


def _data_set(self: Tensor, value: Tensor) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
    self._data = value._data
    self._dtype = value._dtype
    self._backend = value._backend


for _name, _fn in {
    "to": to, "cpu": cpu, "cuda": cuda, "numpy": numpy, "item": item, "tolist": tolist,
    "clone": clone, "detach": detach, "detach_": detach_, "requires_grad_": requires_grad_,
    "type": type_, "type_as": type_as, "new_full": new_full, "new_tensor": new_tensor,
    "new_zeros": _new_filled(0), "new_ones": _new_filled(1), "new_empty": _new_filled(0),
}.items():
    method(_name, _fn)
for _dt, _name in ((D.float32, "float"), (D.float64, "double"), (D.float16, "half"),
                   (D.bfloat16, "bfloat16"), (D.int64, "long"), (D.int32, "int"),
                   (D.int16, "short"), (D.int8, "char"), (D.uint8, "byte"), (D.bool_, "bool"),
                   (D.complex64, "cfloat"), (D.complex128, "cdouble")):
    method(_name, _caster(_dt, _name))

def _autograd_methods() -> None:
    from .autograd import _api

    method("backward", _api.tensor_backward)
    method("retain_grad", _api.retain_grad)
    method("register_hook", _api.register_hook)


_autograd_methods()
Tensor.data = property(_data_get, _data_set, doc="The tensor's data, outside autograd.")


# ---------------------------------------------------------------------------- operators
def _matmul():
    from ._ops._linalg import matmul

    return matmul


def _rsub(self: Tensor, other: Any) -> Tensor:
    return E.sub(other, self)


def _eq(self: Tensor, other: Any) -> Any:
    if other is None or not (isinstance(other, Tensor) or E.is_scalar(other)):
        return False
    return E.eq(self, other)


def _ne(self: Tensor, other: Any) -> Any:
    if other is None or not (isinstance(other, Tensor) or E.is_scalar(other)):
        return True
    return E.ne(self, other)


def _invert(self: Tensor) -> Tensor:
    if self._dtype.kind not in "bi":
        raise TypeError(f"~ (bitwise_not) is only supported for integer and bool tensors, "
                        f"got {self._dtype}")
    return E.bitwise_not(self)


_OPERATORS: dict[str, Any] = {
    "__add__": E.add, "__radd__": E.add,
    "__sub__": E.sub, "__rsub__": _rsub,
    "__mul__": E.mul, "__rmul__": E.mul,
    "__truediv__": E.div, "__rtruediv__": lambda s, o: E.div(o, s),
    "__floordiv__": E.floor_divide, "__rfloordiv__": lambda s, o: E.floor_divide(o, s),
    "__mod__": E.remainder, "__rmod__": lambda s, o: E.remainder(o, s),
    "__pow__": E.pow, "__rpow__": lambda s, o: E.pow(o, s),
    "__and__": E.bitwise_and, "__rand__": E.bitwise_and,
    "__or__": E.bitwise_or, "__ror__": E.bitwise_or,
    "__xor__": E.bitwise_xor, "__rxor__": E.bitwise_xor,
    "__lshift__": E.bitwise_left_shift, "__rshift__": E.bitwise_right_shift,
    "__matmul__": lambda s, o: _matmul()(s, o), "__rmatmul__": lambda s, o: _matmul()(o, s),
    "__lt__": E.lt, "__le__": E.le, "__gt__": E.gt, "__ge__": E.ge,
    "__eq__": _eq, "__ne__": _ne,
    "__neg__": E.neg, "__pos__": lambda s: s, "__abs__": E.abs, "__invert__": _invert,
}
for _name, _fn in _OPERATORS.items():
    setattr(Tensor, _name, _fn)
Tensor.__hash__ = lambda self: id(self)  # __eq__ is elementwise, as in PyTorch

_INPLACE_OPS = {
    "add": E.add, "sub": E.sub, "mul": E.mul, "div": E.div, "floor_divide": E.floor_divide,
    "remainder": E.remainder, "fmod": E.fmod, "pow": E.pow, "clamp": E.clamp, "clip": E.clamp,
    "maximum": E.maximum, "minimum": E.minimum, "neg": E.neg, "abs": E.abs, "exp": E.exp,
    "log": E.log, "sqrt": E.sqrt,
    "sigmoid": E.sigmoid, "tanh": E.tanh, "sin": E.sin, "cos": E.cos, "floor": E.floor,
    "ceil": E.ceil, "round": E.round, "trunc": E.trunc, "sign": E.sign, "reciprocal": E.reciprocal,
    "rsqrt": E.rsqrt, "lerp": E.lerp, "addcmul": E.addcmul, "addcdiv": E.addcdiv,
    "logical_not": E.logical_not, "bitwise_not": E.bitwise_not, "square": E.square,
    "expm1": E.expm1, "log1p": E.log1p, "log2": E.log2, "log10": E.log10, "erf": E.erf,
    "atan2": E.atan2, "fix": E.trunc, "frac": E.frac, "tan": E.tan, "asin": E.asin,
    "acos": E.acos, "atan": E.atan, "sinh": E.sinh, "cosh": E.cosh, "eq": E.eq, "ne": E.ne,
    "lt": E.lt, "le": E.le, "gt": E.gt, "ge": E.ge, "bitwise_and": E.bitwise_and,
    "bitwise_or": E.bitwise_or, "bitwise_xor": E.bitwise_xor, "subtract": E.sub,
    "multiply": E.mul, "divide": E.div, "true_divide": E.div, "negative": E.neg,
    "absolute": E.abs, "erfinv": E.erfinv, "logical_and": E.logical_and,
    "logical_or": E.logical_or, "logical_xor": E.logical_xor,
}
for _name, _fn in _INPLACE_OPS.items():
    if _fn is not None:
        make_inplace(_name, _fn)
install_fast_inplace()  # NOTE [ Writing in place ]

_IOPS = {"__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_", "__itruediv__": "div_",
         "__ifloordiv__": "floor_divide_", "__imod__": "remainder_", "__ipow__": "pow_",
         "__iand__": "bitwise_and_", "__ior__": "bitwise_or_", "__ixor__": "bitwise_xor_"}


def _attach_iops() -> None:
    for dunder, name in _IOPS.items():
        setattr(Tensor, dunder, getattr(Tensor, name))
    from ._ops._complex_parts import imag, real

    # ``x.real`` / ``x.imag`` are properties in PyTorch (``torch.real(x)`` the functions)
    Tensor.real = property(real, lambda self, v: real(self).copy_(v),
                           doc="The real part (the tensor itself when real); a view.")
    Tensor.imag = property(imag, lambda self, v: imag(self).copy_(v),
                           doc="The imaginary part of a complex tensor; a view.")
