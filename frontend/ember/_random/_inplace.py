"""In-place samplers: ``Tensor.uniform_``, ``normal_``, ``random_``, ``bernoulli_``,
``exponential_``, ``geometric_``, ``cauchy_`` and ``log_normal_``.

Each validates its arguments as PyTorch does, draws ``numel`` values from the generator of
the tensor's device (or ``generator=``), computes them in float64 (see NOTE [ Random
distributions ]) and writes them with the backend's ``copy_into``, bumping the version
counter (NOTE [ In-place writes ]).
"""

from __future__ import annotations

import math
from typing import Any

from .._ops._elementwise import _tname
from .._ops._inplace import bump_version, check_inplace
from .._ops._registry import method
from .._tensor import Tensor
from ..backend import _dtypes as D
from . import _portable
from ._draw import (
    all_true,
    cast_float,
    check_generator,
    randint_values,
    require_float,
    standard_normal,
    u53,
    uniform,
)
from ._functions import check_int_range, fmt

__all__ = ["uniform_", "normal_", "random_", "bernoulli_", "exponential_", "geometric_",
           "cauchy_", "log_normal_"]

_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}


def _args(op: str, args: tuple, kwargs: dict, names: tuple[str, ...],
          defaults: tuple) -> list[Any]:
    """Positional and keyword arguments (``from`` is a keyword in Python) as a list."""
    if len(args) > len(names):
        raise TypeError(f"{op}() takes at most {len(names)} arguments ({len(args)} given)")
    out = list(args) + list(defaults[len(args):])
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"{op}() got an unexpected keyword argument '{key}'")
        i = names.index(key)
        if i < len(args):
            raise TypeError(f"{op}() got multiple values for argument '{key}'")
        out[i] = value
    return [v.item() if isinstance(v, Tensor) and v.dim() == 0 else v for v in out]


def _start(self: Tensor, op: str, generator: Any):
    if not isinstance(self, Tensor):
        raise TypeError(f"{op}(): self must be a Tensor, not {type(self).__name__}")
    check_inplace(self, op)
    be = self._backend
    return be, check_generator(generator, be), tuple(be.shape(self._data))


def _write(self: Tensor, arr: Any, shape: tuple) -> Tensor:
    be = self._backend
    be.copy_into(self._data, be.reshape(arr, shape))
    bump_version(self)
    return self


def _to_dtype(be: Any, x64: Any, dtype: D.dtype) -> Any:
    return cast_float(be, x64, dtype) if dtype.is_floating_point else be.astype(x64, dtype)


def uniform_(self: Tensor, *args: Any, generator: Any = None, **kwargs: Any) -> Tensor:
    """Fill with values uniform in ``[from, to)`` (defaults 0 and 1)."""
    lo, hi = _args("uniform_", args, kwargs, ("from", "to"), (0.0, 1.0))
    lo, hi = float(lo), float(hi)
    require_float("uniform_", "check_uniform_bounds", self.dtype)
    if lo > hi:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={fmt(lo)} > to={fmt(hi)}")
    be, gen, shape = _start(self, "uniform_", generator)
    dt = self._dtype
    u = uniform(be, gen, math.prod(shape), dt)
    if lo != 0.0 or hi != 1.0:
        u = cast_float(be, be.add(be.mul(be.astype(u, D.float64), hi - lo), lo), dt)
    return _write(self, u, shape)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
            generator: Any = None) -> Tensor:
    """Fill with normal values of the given ``mean`` and ``std``."""
    mean, std = float(mean), float(std)
    require_float("normal_", "normal_kernel_cpu", self.dtype)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {fmt(std)}")
    be, gen, shape = _start(self, "normal_", generator)
    z = standard_normal(be, gen, math.prod(shape))
    return _write(self, cast_float(be, be.add(be.mul(z, std), mean), self._dtype), shape)


def _default_to(dtype: D.dtype) -> int:
    if dtype.is_floating_point:
        return (1 << _DIGITS[dtype.name]) + 1
    if dtype is D.bool_:
        return 2
    if dtype is D.uint8:
        return 256
    return 1 << (dtype.bits - 1)


def random_(self: Tensor, *args: Any, generator: Any = None, **kwargs: Any) -> Tensor:
    """Fill with integers uniform in ``[from, to)``: ``random_(to)``, ``random_(from, to)``,
    or ``random_()`` for ``[0, 2**mantissa]`` (floating) or ``[0, max]`` (integers)."""
    if len(args) == 1 and not kwargs:
        args = (0, args[0])
    lo, hi = _args("random_", args, kwargs, ("from", "to"), (0, None))
    dt = self.dtype
    if dt.is_complex:
        raise NotImplementedError(f'"random_from_to" not implemented for \'{_tname(dt)}\'')
    lo = int(lo)
    hi = _default_to(dt) if hi is None else int(hi)
    check_int_range(lo, hi, dt)
    be, gen, shape = _start(self, "random_", generator)
    vals = randint_values(be, gen, math.prod(shape), lo, hi)
    return _write(self, vals if dt is D.int64 else be.astype(vals, dt), shape)


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """Fill with 1 with probability ``p`` (a number or a tensor broadcast to ``self``), else 0.
    Each value is ``u53 < p``."""
    be = self._backend
    if isinstance(p, Tensor):
        pa = be.astype(p.to(self.device)._data, D.float64)
        ok = be.logical_and(be.ge(pa, 0.0), be.le(pa, 1.0))
        if p.numel() and not all_true(be, ok):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    else:
        pa = float(p)
        if not 0.0 <= pa <= 1.0:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={fmt(pa)}")
    be, gen, shape = _start(self, "bernoulli_", generator)
    u = be.reshape(u53(be, gen, math.prod(shape)), shape)
    return _write(self, be.astype(be.lt(u, pa), self._dtype), shape)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
    """Fill with exponential values of rate ``lambd``: ``-log(1 - u53) / lambd``."""
    dt = self.dtype
    if not dt.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {_tname(dt)}")
    lambd = float(lambd)
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={fmt(lambd)}")
    be, gen, shape = _start(self, "exponential_", generator)
    u1 = be.sub(1.0, u53(be, gen, math.prod(shape)))
    x = be.div(_portable.log_unit(be, u1), -lambd)
    return _write(self, cast_float(be, x, dt), shape)


def geometric_(self: Tensor, p: float, *, generator: Any = None) -> Tensor:
    """Fill with the number of Bernoulli(``p``) trials up to the first success:
    ``max(1, ceil(log(1 - u53) / log(1 - p)))``."""
    p = float(p)
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={fmt(p)}")
    be, gen, shape = _start(self, "geometric_", generator)
    u1 = be.sub(1.0, u53(be, gen, math.prod(shape)))
    x = be.ceil(be.div(_portable.log_unit(be, u1), math.log1p(-p)))
    return _write(self, _to_dtype(be, be.maximum(x, 1.0), self._dtype), shape)


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *,
            generator: Any = None) -> Tensor:
    """Fill with Cauchy values: ``median + sigma * tan(pi * (u53 - 1/2))``."""
    require_float("cauchy_", "cauchy_cpu", self.dtype)
    median, sigma = float(median), float(sigma)
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={fmt(sigma)}")
    be, gen, shape = _start(self, "cauchy_", generator)
    u = u53(be, gen, math.prod(shape))
    sin, cos = _portable.sincos_turns(be, be.mul(u, 0.5))
    tan = be.div(be.neg(cos), sin)  # tan(pi*u - pi/2) = -cot(pi*u)
    return _write(self, cast_float(be, be.add(be.mul(tan, sigma), median), self._dtype), shape)


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *,
                generator: Any = None) -> Tensor:
    """Fill with ``exp(N(mean, std))`` values."""
    require_float("log_normal_", "log_normal_cpu", self.dtype)
    mean, std = float(mean), float(std)
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={fmt(std)}")
    be, gen, shape = _start(self, "log_normal_", generator)
    z = standard_normal(be, gen, math.prod(shape))
    x = _portable.exp(be, be.add(be.mul(z, std), mean))
    return _write(self, cast_float(be, x, self._dtype), shape)


for _fn in (uniform_, normal_, random_, bernoulli_, exponential_, geometric_, cauchy_,
            log_normal_):
    method(_fn.__name__, _fn)
