"""Creation functions: ``tensor``, ``zeros``, ``arange``, ``*_like``, the legacy constructor.

The machinery they share (``finish``, backend resolution, constant fills) is in ``_factory``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .._defaults import backend_for, get_default_dtype
from .._tensor import Tensor, _wrap
from ..backend import _dtypes as D
from ._convert import _is_numpy_array, array_from_data, numpy_dtype_to_ember
from ._factory import _filled, _like, _number, _resolve, finish
from ._registry import public

__all__ = [
    "tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty", "eye",
    "arange", "range_", "linspace", "logspace", "zeros_like", "ones_like", "full_like",
    "empty_like", "legacy_new", "finish", "reduce_tensor",
]


@public(method=False)
def tensor(data: Any, *, dtype: D.dtype | None = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Construct a tensor by copying ``data`` (nested lists, numbers, NumPy arrays).

    The dtype is inferred as PyTorch does: ``bool``, ``int64``, the default float dtype,
    or ``complex64``; NumPy arrays keep their dtype.

    Args:
        data: the initial values.
        dtype: the element type (default: inferred).
        device: where to put it (default: the default device).
        requires_grad: record operations for autograd.
        pin_memory: accepted for compatibility; page-locking applies to CUDA only.

    Example:
        >>> import ember
        >>> ember.tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
        >>> ember.tensor(3.14)
        tensor(3.1400)
    """
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.clone()."
            "detach() or sourceTensor.clone().detach().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
    backend = _resolve(dtype, device)
    arr, dt = array_from_data(backend, data, dtype)
    return finish(_wrap(arr, dt, backend), requires_grad)


@public(method=False)
def as_tensor(data: Any, dtype: D.dtype | None = None, device: Any = None) -> Tensor:
    """Like :func:`tensor`, but shares memory when ``data`` already is a tensor (or a NumPy
    array on the CPU) of the requested dtype and device."""
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device,
                       dtype=dtype or data.dtype)
    if _is_numpy_array(data):
        backend = _resolve(dtype, device)
        src = numpy_dtype_to_ember(data.dtype)
        if "numpy" in backend.capabilities and (dtype is None or dtype is src):
            return _wrap(backend.from_numpy(data), src, backend)
    return tensor(data, dtype=dtype, device=device)


@public(method=False)
def asarray(obj: Any, *, dtype: D.dtype | None = None, device: Any = None,
            copy: bool | None = None, requires_grad: bool = False) -> Tensor:
    """``torch.asarray``: share memory when possible unless ``copy=True``."""
    out = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype, device)
    return finish(out, requires_grad)


@public(method=False)
def from_numpy(ndarray: Any) -> Tensor:
    """A CPU tensor sharing memory with the NumPy array ``ndarray`` (both ways).

    Example:
        >>> import numpy as np, ember
        >>> a = np.array([1, 2, 3])
        >>> t = ember.from_numpy(a)
        >>> t[0] = 9
        >>> a
        array([9, 2, 3])
    """
    if not _is_numpy_array(ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dt = numpy_dtype_to_ember(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with "
            "negative strides are not currently supported. (You can probably work around "
            "this by making a copy of your array  with array.copy().) ")
    backend = backend_for("cpu")
    if "numpy" not in backend.capabilities:
        raise RuntimeError(f"from_numpy(): the {backend.name!r} backend serving the CPU cannot "
                           f"share memory with NumPy arrays")
    return _wrap(backend.from_numpy(ndarray), dt, backend)


@public(method=False)
def zeros(*size: Any, out: Tensor | None = None, dtype: D.dtype | None = None, layout=None,
          device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with 0 (default dtype unless ``dtype`` is given).

    Example:
        >>> import ember
        >>> ember.zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]])
    """
    return _filled("zeros", size, 0, dtype, device, requires_grad, out)


@public(method=False)
def ones(*size: Any, out: Tensor | None = None, dtype: D.dtype | None = None, layout=None,
         device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with 1.

    Example:
        >>> import ember
        >>> ember.ones(2, dtype=ember.int32)
        tensor([1, 1], dtype=ember.int32)
    """
    return _filled("ones", size, 1, dtype, device, requires_grad, out)


@public(method=False)
def empty(*size: Any, out: Tensor | None = None, dtype: D.dtype | None = None, layout=None,
          device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
          memory_format=None) -> Tensor:
    """A tensor of ``size``; Ember fills it with zeros (PyTorch leaves it uninitialised)."""
    return _filled("empty", size, 0, dtype, device, requires_grad, out)


@public(method=False)
def full(size: Any, fill_value: Any, *, out: Tensor | None = None, dtype: D.dtype | None = None,
         layout=None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``; the dtype follows the value (bool,
    int64, the default float dtype or complex64) unless ``dtype`` is given.

    Example:
        >>> import ember
        >>> ember.full((2, 3), 7.0)
        tensor([[7., 7., 7.],
                [7., 7., 7.]])
    """
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _filled("full", (size,) if isinstance(size, int) else (tuple(size),), fill_value,
                   dtype, device, requires_grad, out)


@public(method=False)
def zeros_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None) -> Tensor:
    """Zeros with ``input``'s shape (and its dtype and device unless given)."""
    return _like("zeros_like", input, 0, dtype, device, requires_grad)


@public(method=False)
def ones_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None) -> Tensor:
    """Ones with ``input``'s shape (and its dtype and device unless given)."""
    return _like("ones_like", input, 1, dtype, device, requires_grad)


@public(method=False)
def empty_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None) -> Tensor:
    """A tensor with ``input``'s shape; Ember fills it with zeros."""
    return _like("empty_like", input, 0, dtype, device, requires_grad)


@public(method=False)
def full_like(input: Tensor, fill_value: Any, *, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None) -> Tensor:
    """``fill_value`` with ``input``'s shape (and its dtype and device unless given)."""
    return _like("full_like", input, fill_value, dtype, device, requires_grad)


@public(method=False)
def eye(n: int, m: int | None = None, *, out=None, dtype=None, layout=None, device=None,
        requires_grad=False) -> Tensor:
    """A 2-d tensor with ones on the diagonal and zeros elsewhere.

    Example:
        >>> import ember
        >>> ember.eye(2)
        tensor([[1., 0.],
                [0., 1.]])
    """
    m = n if m is None else m
    if n < 0 or m < 0:
        raise RuntimeError(f"eye(): n and m must be non-negative, got n={n}, m={m}")
    dtype = dtype or get_default_dtype()
    backend = _resolve(dtype, device)
    rows = backend.reshape(backend.arange(0, 1, n, D.int64), (n, 1))
    cols = backend.reshape(backend.arange(0, 1, m, D.int64), (1, m))
    arr = backend.astype(backend.eq(rows, cols), dtype)
    return finish(_wrap(arr, dtype, backend), requires_grad, out)


@public(method=False)
def arange(start: Any = 0, end: Any = None, step: Any = 1, *, out=None, dtype=None, layout=None,
           device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) spaced by ``step``; int64 when all
    arguments are integers, else the default float dtype.

    Example:
        >>> import ember
        >>> ember.arange(0, 10, 2)
        tensor([0, 2, 4, 6, 8])
    """
    if end is None:
        start, end = 0, start
    start, end, step = _number(start, "start"), _number(end, "end"), _number(step, "step")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if any(isinstance(v, float) and not math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = max(0, math.ceil((end - start) / step))
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, end, step))
        dtype = get_default_dtype() if floats else D.int64
    backend = _resolve(dtype, device)
    return finish(_wrap(backend.arange(start, step, n, dtype), dtype, backend), requires_grad,
                  out)


@public("range", method=False)
def range_(start: Any = 0, end: Any = None, step: Any = 1, *, out=None, dtype=None, layout=None,
           device=None, requires_grad=False) -> Tensor:
    """Deprecated: values from ``start`` to ``end`` *inclusive*, default float dtype.
    Use :func:`arange`."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    if end is None:
        start, end = 0, start
    start, end, step = _number(start, "start"), _number(end, "end"), _number(step, "step")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    n = int(math.floor((end - start) / step)) + 1
    dtype = dtype or get_default_dtype()
    backend = _resolve(dtype, device)
    return finish(_wrap(backend.arange(start, step, max(n, 0), dtype), dtype, backend),
                  requires_grad, out)


@public(method=False)
def linspace(start: Any, end: Any, steps: int, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False) -> Tensor:
    """``steps`` values evenly spaced from ``start`` to ``end`` inclusive (computed from
    both ends, as PyTorch does).

    Example:
        >>> import ember
        >>> ember.linspace(0, 1, 5)
        tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    start, end = _number(start, "start"), _number(end, "end")
    if not isinstance(steps, int) or steps < 0:
        raise RuntimeError(f"linspace(): number of steps must be non-negative, got {steps}")
    dtype = dtype or get_default_dtype()
    backend = _resolve(dtype, device)
    work = dtype if dtype.is_floating_point else D.float64
    if steps == 0:
        arr = backend.full((0,), 0, dtype)
    elif steps == 1:
        arr = backend.full((1,), start, dtype)
    else:
        s = backend.full((), start, work)
        e = backend.full((), end, work)
        step = backend.div(backend.sub(e, s), float(steps - 1))
        # PyTorch's kernel computes start + step * i with a fused multiply-add; doing the
        # product and sum in float64 and rounding once gives the same bits.
        wide = D.float64
        s, e, step = (backend.astype(v, wide) for v in (s, e, step))
        idx = backend.arange(0, 1, steps, wide)
        from_start = backend.add(s, backend.mul(idx, step))
        rev = backend.arange(steps - 1, -1, steps, wide)
        from_end = backend.sub(e, backend.mul(rev, step))
        halfway = backend.lt(idx, float(steps // 2))
        arr = backend.where(halfway, from_start, from_end)
        if dtype.kind == "i":
            arr = backend.trunc(arr)
        arr = backend.astype(arr, dtype)
    return finish(_wrap(arr, dtype, backend), requires_grad, out)


@public(method=False)
def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out=None, dtype=None,
             layout=None, device=None, requires_grad=False) -> Tensor:
    """``base ** linspace(start, end, steps)``."""
    dtype = dtype or get_default_dtype()
    exps = linspace(start, end, steps, dtype=D.float64, device=device)
    be = exps._backend
    arr = be.astype(be.pow(float(base), exps._data), dtype)
    return finish(_wrap(arr, dtype, be), requires_grad, out)


_LEGACY_TYPES: dict[str, D.dtype] = {}


def legacy_new(cls: type, args: tuple, kwargs: dict) -> Tensor:
    """``ember.Tensor(*sizes)`` / ``ember.Tensor(data)``: default-dtype tensors."""
    dtype = kwargs.pop("dtype", None) or _LEGACY_TYPES.get(cls.__name__) or get_default_dtype()
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"new() got unexpected keyword arguments {sorted(kwargs)}")
    if cls is not Tensor and not issubclass(cls, Tensor):
        raise TypeError(f"{cls!r} is not a Tensor class")
    backend = _resolve(dtype, device)
    if not args:
        arr = backend.full((0,), 0, dtype)
    elif all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        arr = backend.full(tuple(args), 0, dtype)
    elif len(args) == 1:
        arr, _ = array_from_data(backend, args[0], dtype)
    else:
        raise TypeError(f"new() received an invalid combination of arguments: {args!r}")
    t = object.__new__(cls)
    t._data = arr
    t._dtype = dtype
    t._backend = backend
    t._requires_grad = False
    t._grad_fn = None
    t._meta = None
    return t


def _rebuild(payload: Any, shape: tuple, dtype_name: str, device: str, requires_grad: bool,
             cls: type = Tensor) -> Tensor:
    dtype = D.by_name(dtype_name)
    backend = backend_for(device)
    if "numpy" in backend.capabilities and type(payload).__module__ == "numpy":
        arr = backend.from_numpy(payload)
    else:
        arr = backend.from_list(payload, shape, dtype)
    t = _wrap(arr, dtype, backend)
    if cls is not Tensor:
        t = cls(t, requires_grad=requires_grad) if requires_grad else cls(t)
        return t
    t._requires_grad = requires_grad
    return t


def reduce_tensor(t: Tensor):
    """Pickle support (used by multiprocessing and ``copy``): data by value."""
    be = t._backend
    payload = be.to_numpy(be.copy(t._data)) if "numpy" in be.capabilities else t.tolist()
    return (_rebuild, (payload, tuple(t.shape), t.dtype.name, str(t.device), t.requires_grad,
                       type(t)))
