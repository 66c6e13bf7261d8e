"""Random creation functions: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``.

Values come from the generator's Philox stream through ``_draw`` (see NOTE [ Random
distributions ]); they are the same on every backend but differ from PyTorch's.
"""

from __future__ import annotations

import math
from typing import Any

from .._defaults import get_default_dtype
from .._ops._common import as_shape, check_device, promote
from .._ops._factory import finish
from .._ops._registry import public
from .._tensor import Tensor, _wrap
from ..autograd.graph import needs_grad, record
from ..backend import _dtypes as D
from ._draw import (
    all_true,
    backend_and_generator,
    cast_float,
    check_generator,
    randint_values,
    require_float,
    standard_normal,
    uniform,
)

__all__ = ["rand", "rand_like", "randn", "randn_like", "randint", "randint_like", "randperm",
           "normal", "check_int_range", "fmt"]


def fmt(x: float | int) -> str:
    """A number as PyTorch's C++ messages print it (``-1``, ``1.5``, ``3.35544e+07``)."""
    return str(x) if isinstance(x, int) else format(x, "g")


def _numel(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


def _target(dtype: D.dtype | None, device: Any, out: Tensor | None,
            default: D.dtype) -> tuple[D.dtype, Any]:
    if dtype is not None and not isinstance(dtype, D.dtype):
        raise TypeError(f"dtype must be an ember.dtype, got {dtype!r}")
    if dtype is None:
        dtype = out.dtype if out is not None else default
    if device is None and out is not None:
        device = out.device
    return dtype, device


def _complex(be: Any, re: Any, im: Any, dtype: D.dtype) -> Any:
    re, im = be.astype(re, dtype), be.astype(im, dtype)
    return be.add(re, be.mul(im, 1j))


def _floats(op: str, kernel: str, sampler, size: tuple, generator, out, dtype, device,
            requires_grad) -> Tensor:
    shape = as_shape(size, op)
    dtype, device = _target(dtype, device, out, get_default_dtype())
    if not dtype.is_complex:
        require_float(op, kernel, dtype)
    be, gen = backend_and_generator(device, generator)
    n = _numel(shape)
    if dtype.is_complex:
        real = dtype.to_real()
        both = sampler(be, gen, 2 * n, real)
        half = (slice(0, 2 * n, 2),), (slice(1, 2 * n, 2),)
        arr = _complex(be, be.getitem(both, half[0]), be.getitem(both, half[1]), dtype)
    else:
        arr = sampler(be, gen, n, dtype)
    return finish(_wrap(be.reshape(arr, shape), dtype, be), requires_grad, out)


def _uniform_sampler(be, gen, n, dtype):
    return uniform(be, gen, n, dtype)


def _normal_sampler(be, gen, n, dtype):
    z = standard_normal(be, gen, n)
    return cast_float(be, z, dtype)


def _complex_normal(be: Any, gen: Any, n: int) -> Any:
    """``n`` complex128 standard normal values (each part of variance 1/2)."""
    both = _complex_normal_sampler(be, gen, 2 * n, D.float64)
    return _complex(be, be.getitem(both, (slice(0, 2 * n, 2),)),
                    be.getitem(both, (slice(1, 2 * n, 2),)), D.complex128)


def _complex_normal_sampler(be, gen, n, dtype):
    # each part has variance 1/2, so the complex value has variance 1 (as PyTorch)
    return cast_float(be, be.mul(standard_normal(be, gen, n), math.sqrt(0.5)), dtype)


@public(method=False)
def rand(*size: Any, generator=None, out: Tensor | None = None, dtype: D.dtype | None = None,
         layout=None, device: Any = None, requires_grad: bool = False,
         pin_memory: bool = False) -> Tensor:
    """A tensor of ``size`` with values uniform in ``[0, 1)``.

    Args:
        size: the shape, as integers or one sequence.
        generator: the :class:`ember.Generator` to draw from (default: the device's).
        out: the output tensor.
        dtype: a floating dtype (default: the default dtype).
        device: where to put it (default: the default device).
        requires_grad: record operations for autograd.

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> ember.rand(2, 3).shape
        ember.Size([2, 3])
    """
    return _floats("rand", "check_uniform_bounds", _uniform_sampler, size, generator, out,
                   dtype, device, requires_grad)


@public(method=False)
def randn(*size: Any, generator=None, out: Tensor | None = None, dtype: D.dtype | None = None,
          layout=None, device: Any = None, requires_grad: bool = False,
          pin_memory: bool = False) -> Tensor:
    """A tensor of ``size`` with standard normal values (mean 0, variance 1).

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> ember.randn(4).dtype
        ember.float32
    """
    dt = dtype or (out.dtype if out is not None else get_default_dtype())
    sampler = _complex_normal_sampler if dt.is_complex else _normal_sampler
    return _floats("randn", "normal_kernel_cpu", sampler, size, generator, out, dtype, device,
                   requires_grad)


def _like_args(input: Tensor, dtype, device):
    if not isinstance(input, Tensor):
        raise TypeError(f"argument 'input' must be Tensor, not {type(input).__name__}")
    return tuple(input.shape), dtype or input.dtype, device if device is not None else input.device


@public(method=False)
def rand_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad: bool = False, memory_format=None) -> Tensor:
    """:func:`rand` with ``input``'s shape (and its dtype and device unless given)."""
    shape, dtype, device = _like_args(input, dtype, device)
    return rand(shape, generator=generator, dtype=dtype, device=device,
                requires_grad=requires_grad)


@public(method=False)
def randn_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad: bool = False, memory_format=None) -> Tensor:
    """:func:`randn` with ``input``'s shape (and its dtype and device unless given)."""
    shape, dtype, device = _like_args(input, dtype, device)
    return randn(shape, generator=generator, dtype=dtype, device=device,
                 requires_grad=requires_grad)


_CTYPES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short",
           "int32": "int", "int64": "long"}


def _int_bounds(dtype: D.dtype) -> tuple[int, int]:
    if dtype is D.bool_:
        return 0, 1
    if dtype is D.uint8:
        return 0, 255
    bits = dtype.bits
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def check_int_range(low: int, high: int, dtype: D.dtype) -> None:
    """PyTorch's checks of a ``[low, high)`` range for ``random_``/``randint``."""
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")
    if dtype.kind in "bi":
        lo, hi = _int_bounds(dtype)
        name = _CTYPES[dtype.name]
        if not lo <= low <= hi:
            raise RuntimeError(f"from is out of bounds for {name}")
        if not lo <= high - 1 <= hi:
            raise RuntimeError(f"to - 1 is out of bounds for {name}")


def _as_int(x: Any, op: str, name: str) -> int:
    if isinstance(x, Tensor):
        x = x.item()
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if not hasattr(x, "__index__") or isinstance(x, bool):
        raise TypeError(f"{op}(): argument '{name}' must be int, not {type(x).__name__}")
    return x.__index__()


def _int_tensor(op, low, high, shape, generator, out, dtype, device, requires_grad) -> Tensor:
    dtype, device = _target(dtype, device, out, D.int64)
    low, high = _as_int(low, op, "low"), _as_int(high, op, "high")
    check_int_range(low, high, dtype)
    if low < -(1 << 63) or high > 1 << 63:
        raise RuntimeError(f"{op}(): bounds [{low}, {high}) do not fit in int64")
    be, gen = backend_and_generator(device, generator)
    arr = randint_values(be, gen, _numel(shape), low, high)
    if dtype is not D.int64:
        arr = be.astype(arr, dtype)
    return finish(_wrap(be.reshape(arr, shape), dtype, be), requires_grad, out)


@public(method=False)
def randint(*args: Any, size: Any = None, low: Any = None, high: Any = None, generator=None,
            out: Tensor | None = None, dtype: D.dtype | None = None, layout=None,
            device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """``randint(low=0, high, size)``: integers uniform in ``[low, high)`` (int64 default).

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> x = ember.randint(3, 10, (100,))
        >>> bool((x >= 3).all() and (x < 10).all())
        True
    """
    args = list(args)
    if size is None:
        if not args:
            raise TypeError("randint() missing required argument 'size'")
        size = args.pop()
    if high is None:
        if not args:
            raise TypeError("randint() missing required argument 'high'")
        high = args.pop()
    if args:
        if low is not None:
            raise TypeError("randint() got multiple values for argument 'low'")
        low = args.pop()
    if args:
        raise TypeError("randint() received an invalid combination of arguments")
    shape = as_shape((size,), "randint")
    return _int_tensor("randint", 0 if low is None else low, high, shape, generator, out,
                       dtype, device, requires_grad)


@public(method=False)
def randint_like(input: Tensor, low: Any = 0, high: Any = None, *, generator=None, dtype=None,
                 layout=None, device=None, requires_grad: bool = False,
                 memory_format=None) -> Tensor:
    """:func:`randint` with ``input``'s shape: ``randint_like(input, high)`` or
    ``randint_like(input, low, high)``."""
    if high is None:
        low, high = 0, low
    shape, dtype, device = _like_args(input, dtype, device)
    return _int_tensor("randint_like", low, high, shape, generator, None, dtype, device,
                       requires_grad)


@public(method=False)
def randperm(n: int, *, generator=None, out: Tensor | None = None, dtype: D.dtype = D.int64,
             layout=None, device: Any = None, requires_grad: bool = False,
             pin_memory: bool = False) -> Tensor:
    """A random permutation of ``0 .. n - 1``: the stable argsort of ``n`` 63-bit random
    keys.

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> sorted(ember.randperm(5).tolist())
        [0, 1, 2, 3, 4]
    """
    n = _as_int(n, "randperm", "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = dtype or D.int64
    if dtype.kind in "bi" and n > 0 and n - 1 > _int_bounds(dtype)[1]:
        raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")
    from ._draw import int63

    be, gen = backend_and_generator(device if device is not None or out is None
                                    else out.device, generator)
    if n == 0:
        idx = be.full((0,), 0, D.int64)
    else:
        _, idx = be.sort(int63(be, gen, n), 0, False, True)
    if dtype is not D.int64:
        idx = be.astype(idx, dtype)
    return finish(_wrap(idx, dtype, be), requires_grad, out)


# ---------------------------------------------------------------------------- normal
def _check_std_scalar(std: float) -> None:
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {fmt(std)}")


def _check_std_tensor(std: Tensor) -> None:
    be = std._backend
    if std.numel() and not all_true(be, be.ge(std._data, 0)):
        raise RuntimeError("normal expects all elements of std >= 0.0")


@public(method=False)
def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator=None,
           out: Tensor | None = None, dtype: D.dtype | None = None, layout=None,
           device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Normal values with the given ``mean`` and ``std`` (tensors or numbers; with two
    numbers, ``size`` is required). Computed as ``mean + std * z`` in float64.

    Example:
        >>> import ember
        >>> _ = ember.manual_seed(0)
        >>> ember.normal(ember.zeros(3), 1.0).shape
        ember.Size([3])
        >>> ember.normal(2.0, 3.0, size=(2, 2)).shape
        ember.Size([2, 2])
    """
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mt and not st:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got "
                            f"({type(mean).__name__}, {type(std).__name__}), but expected one "
                            "of: (Tensor mean, Tensor std), (Tensor mean, float std), (float "
                            "mean, Tensor std), (float mean, float std, tuple of ints size)")
        mean, std = float(mean), float(std)
        _check_std_scalar(std)
        shape = as_shape((size,), "normal")
        dtype, device = _target(dtype, device, out, get_default_dtype())
        require_float("normal", "normal_kernel_cpu", dtype)
        be, gen = backend_and_generator(device, generator)
        z = standard_normal(be, gen, _numel(shape))
        arr = cast_float(be, be.add(be.mul(z, std), mean), dtype)
        return finish(_wrap(be.reshape(arr, shape), dtype, be), requires_grad, out)
    if size is not None:
        raise TypeError("normal(): 'size' is only accepted when mean and std are numbers")
    if mt and st:
        check_device("normal", mean, std)
        from .._ops._common import broadcast_shapes

        shape = broadcast_shapes(tuple(mean.shape), tuple(std.shape))
        dt = promote(mean, std)
        ref = mean
    else:
        ref = mean if mt else std
        shape, dt = tuple(ref.shape), ref.dtype
    if st and std._dtype.is_complex:
        raise RuntimeError("normal expects standard deviation to be non-complex")
    if not dt.is_complex:
        require_float("normal", "normal_kernel_cpu", dt)
    if st:
        _check_std_tensor(std)
    else:
        _check_std_scalar(float(std))
    be = ref._backend
    gen = check_generator(generator, be)
    if dt.is_complex:  # a complex mean: complex normal noise, each part of variance std^2/2
        if needs_grad(mean if mt else None, std if st else None):
            raise RuntimeError("normal does not support automatic differentiation for outputs "
                               "with complex dtype.")
        work = D.complex128
        z = be.reshape(_complex_normal(be, gen, _numel(shape)), shape)
    else:
        work = D.float64
        z = be.reshape(standard_normal(be, gen, _numel(shape)), shape)
    s = be.astype(std._data, work) if st else float(std)
    m = be.astype(mean._data, work) if mt else float(mean)
    arr = be.add(be.mul(z, s), m)
    arr = be.astype(arr, dt) if dt.is_complex else cast_float(be, arr, dt)
    if be.shape(arr) != shape:
        arr = be.copy(be.expand(arr, shape))
    res = _wrap(arr, dt, be)
    if needs_grad(mean if mt else None, std if st else None):
        # mean + std * z: the gradients are g for the mean and g * z for the std.
        zt = _wrap(be.astype(z, dt), dt, be)
        record("NormalBackward" + ("3" if mt and st else "1" if mt else "2"),
               lambda g, _s: ((g[0] if mt else None), (g[0] * zt if st else None)),
               (mean if mt else None, std if st else None), (res,))
    return finish(res, False, out)
