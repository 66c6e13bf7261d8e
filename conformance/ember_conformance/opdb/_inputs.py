"""Deterministic input values: nested Python lists drawn from a seeded ``random.Random``.

Shapes stay tiny (at most 4x5 or 2x3x4) so the pure-Python reference backend runs the
whole suite in minutes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from typing import Any

from ._core import TensorArg

__all__ = [
    "DOMAINS", "IINFO", "SPECIAL_FLOATS", "values", "tensor", "noncontig", "shaped",
    "int_boundaries", "special", "scalar_for",
]

#: (min, max) of each integer dtype.
IINFO = {"int8": (-128, 127), "int16": (-32768, 32767), "int32": (-(2**31), 2**31 - 1),
         "int64": (-(2**63), 2**63 - 1), "uint8": (0, 255)}

#: Float inputs that exercise IEEE corner cases (every backend must agree on them).
SPECIAL_FLOATS = (math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 100.0)

#: Value domains: (low, high) for floats; integer ops clip to the dtype's range.
DOMAINS = {
    "real": (-3.0, 3.0),
    "small": (-1.5, 1.5),
    "pos": (0.1, 4.0),
    "unit": (-0.95, 0.95),
    "ge1": (1.0, 4.0),
    "gtm1": (-0.9, 3.0),
    "nonzero": (0.5, 3.0),  # magnitude; the sign is random
}


def _draw(rng: random.Random, dtype: str, domain: str) -> Any:
    if dtype == "bool":
        return rng.random() < 0.5
    if dtype.startswith("complex"):
        return complex(_draw(rng, "float64", domain), _draw(rng, "float64", domain))
    if domain == "shift":  # shift amounts and small exponents: always in range
        return rng.randint(0, 7) if dtype in IINFO else float(rng.randint(0, 3))
    if domain == "exp":
        return rng.randint(0, 3) if dtype in IINFO else round(rng.uniform(-2.0, 3.0), 4)
    lo, hi = DOMAINS[domain]
    if dtype in IINFO:
        imin, imax = IINFO[dtype]
        ilo, ihi = max(math.ceil(lo * 3), imin), min(math.floor(hi * 3), imax)
        if domain == "nonzero":
            v = rng.randint(1, 6)
            return v if dtype == "uint8" or rng.random() < 0.5 else -v
        if domain in ("pos", "ge1"):
            ilo = max(ilo, 1)
        return rng.randint(ilo, max(ilo, ihi))
    if domain == "nonzero":
        v = rng.uniform(lo, hi)
        return round(v if rng.random() < 0.5 else -v, 4)
    return round(rng.uniform(lo, hi), 4)


def values(rng: random.Random, shape: Sequence[int], dtype: str, domain: str = "real") -> Any:
    """Nested lists of ``shape`` with values of ``dtype`` from ``domain``."""
    if not shape:
        return _draw(rng, dtype, domain)
    return [values(rng, shape[1:], dtype, domain) for _ in range(shape[0])]


def tensor(rng: random.Random, shape: Sequence[int], dtype: str, domain: str = "real",
           view: str | None = None) -> TensorArg:
    """A :class:`TensorArg` of ``shape`` (for ``view`` the base is shaped so that the
    *view* has ``shape``)."""
    shape = tuple(shape)
    if view == "T":
        base = (*shape[:-2], shape[-1], shape[-2])
    elif view == "step":
        base = (*shape[:-1], shape[-1] * 2)
    else:
        base = shape
    empty = math.prod(base) == 0 and len(base) > 1
    return TensorArg(values(rng, base, dtype, domain), dtype, view, base if empty else None)


def noncontig(rng: random.Random, shape: Sequence[int], dtype: str, domain: str = "real"
              ) -> Iterator[tuple[str, TensorArg]]:
    """The two non-contiguous recipes for ``shape``: a transpose and a strided slice."""
    if len(shape) >= 2:
        yield "noncontig-T", tensor(rng, shape, dtype, domain, "T")
    yield "noncontig-step", tensor(rng, shape, dtype, domain, "step")


def shaped(flat: Sequence[Any], shape: Sequence[int]) -> Any:
    """Reshape a flat list into nested lists of ``shape`` (cycling through ``flat``)."""
    flat = list(flat)
    n = math.prod(shape)
    items = [flat[i % len(flat)] for i in range(n)] if flat else []

    def build(offset: int, dims: Sequence[int]) -> Any:
        if not dims:
            return items[offset]
        step = math.prod(dims[1:])
        return [build(offset + i * step, dims[1:]) for i in range(dims[0])]

    return build(0, tuple(shape))


def int_boundaries(dtype: str) -> list[int]:
    """The extremes of an integer dtype and the values around zero."""
    lo, hi = IINFO[dtype]
    vals = [lo, lo + 1, -1, 0, 1, 2, hi - 1, hi]
    return [v for v in vals if lo <= v <= hi]


def special(dtype: str) -> TensorArg | None:
    """A 1-d tensor of corner values: IEEE specials for floats, extremes for integers."""
    if dtype in IINFO:
        return TensorArg(int_boundaries(dtype), dtype)
    if dtype == "bool":
        return TensorArg([True, False, True], dtype)
    return TensorArg(list(SPECIAL_FLOATS), dtype)


def scalar_for(rng: random.Random, dtype: str, domain: str = "real") -> Any:
    """A Python scalar of the dtype's category (bool, int or float)."""
    return _draw(rng, "bool" if dtype == "bool" else "int64" if dtype in IINFO else "float64",
                 domain)
