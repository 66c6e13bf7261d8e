"""The core of the array-API kernel base: namespace, dtype mapping, scalars, half precision.

# NOTE [ Array-API kernel base ]
:class:`ArrayAPIBackend` implements every primitive of :class:`ember.backend.Backend` for
a Python array-API namespace ``xp`` (a subclass sets the class attribute ``xp``, usually
``array_api_compat.array_namespace(...)`` of its array type). The shared code uses only
what the array API standard 2023.12 offers, so it runs unchanged on NumPy, CuPy and
``array_api_strict`` (the test suite runs it there to prove it). Where the standard lacks
something (``erf``, ``fmod`` with C semantics, scatter, strided views, ...), the kernel is
built from standard functions and a comment at that line says so. Backends override any
method with a faster native one; the override lives in a module of the same name.

Rules every mixin relies on:

* dtypes map by name: ``_to_xp_dtype(ember_dtype)`` / ``_from_xp_dtype(xp_dtype)``; an
  ember dtype the namespace lacks (``bfloat16``, ``float16`` on ``array_api_strict``) is
  left out of ``dtypes``;
* a Python scalar operand is converted to the array operand's dtype with PyTorch's
  casting (integers wrap around) by :meth:`_scalar`;
* float16/bfloat16 arithmetic is computed in float32 and rounded back once per primitive
  (:meth:`_up` / :meth:`_down`) wherever rounding could differ.
"""

from __future__ import annotations

import math
from typing import Any

from .._dtypes import ALL_DTYPES
from .._dtypes import dtype as DType
from .._protocol import Backend

__all__ = ["ArrayAPICore"]

_SCALARS = (bool, int, float, complex)


class ArrayAPICore(Backend):
    """Namespace plumbing shared by the kernel mixins (see NOTE [ Array-API kernel base ])."""

    #: the array-API namespace; a subclass sets it.
    xp: Any = None
    #: the ``device=`` argument passed to creation functions (None: the namespace default).
    _xp_device: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.xp is not None and "dtypes" not in cls.__dict__:
            cls.dtypes = tuple(d for d in ALL_DTYPES if cls._to_xp_dtype(d) is not None)

    def __init__(self, device: Any):
        super().__init__(device)
        xp = self.xp
        if xp is None:
            raise TypeError(f"{type(self).__name__} must set the class attribute 'xp'")
        # Normalised through an empty array, since a namespace may name a dtype by an
        # object that differs from ``array.dtype`` (NumPy's scalar types vs np.dtype).
        self._xp_of: dict[DType, Any] = {
            d: xp.empty((0,), dtype=self._to_xp_dtype(d), device=self._xp_device).dtype
            for d in self.dtypes
        }
        self._ember_of: dict[Any, DType] = {v: k for k, v in self._xp_of.items()}
        by_name = {d.name: x for d, x in self._xp_of.items()}
        self._bool = by_name["bool"]
        self._i64 = by_name["int64"]
        self._f32 = by_name["float32"]
        self._f64 = by_name.get("float64", self._f32)
        self._half = tuple(self._xp_of[d] for d in self.dtypes if d.name in ("float16", "bfloat16"))

    # ------------------------------------------------------------------ dtypes
    @classmethod
    def _to_xp_dtype(cls, dt: DType) -> Any:
        """The namespace's dtype called like ``dt`` (None when it has none)."""
        return getattr(cls.xp, dt.name, None)

    def _from_xp_dtype(self, xdt: Any) -> DType:
        """The ember dtype of a namespace dtype."""
        return self._ember_of[xdt]

    def _x(self, dt: DType) -> Any:
        return self._xp_of[dt]

    def _kind(self, x: Any) -> str:
        """The ember kind of an array: ``b``, ``i``, ``f`` or ``c``."""
        return self._ember_of[x.dtype].kind

    def _has(self, name: str, version: str) -> bool:
        """True when the namespace offers ``name``, standardised in ``version`` (checked
        against ``__array_api_version__``: array_api_strict defines later functions but
        refuses them under an earlier version)."""
        have = getattr(self.xp, "__array_api_version__", "2021.12")
        return have >= version and hasattr(self.xp, name)

    # ------------------------------------------------------------------ scalars
    def _scalar(self, value: Any, xdt: Any) -> Any:
        """``value`` as the Python scalar of the namespace dtype ``xdt``, cast as PyTorch
        casts: integers wrap around, floats truncate towards zero, complex drops its
        imaginary part when the target is real."""
        dt = self._ember_of[xdt]
        kind = dt.kind
        if kind == "c":
            return complex(value)
        if isinstance(value, complex):
            value = value.real
        if kind == "f":
            return float(value)
        if kind == "b":
            return bool(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                return 0  # unspecified in PyTorch too; 0 keeps the conversion total
            value = math.trunc(value)
        value = int(value)
        lo = -(1 << (dt.bits - 1)) if dt.is_signed else 0
        if not lo <= value < lo + (1 << dt.bits):
            value = (value - lo) % (1 << dt.bits) + lo
        return value

    def _asarray(self, value: Any, like: Any) -> Any:
        """``value`` as an array of ``like``'s dtype (a Python scalar becomes 0-d)."""
        if isinstance(value, _SCALARS):
            return self.xp.asarray(self._scalar(value, like.dtype), dtype=like.dtype,
                                   device=self._xp_device)
        return value

    def _arrays(self, a: Any, b: Any) -> tuple[Any, Any]:
        """Both operands of a binary primitive as arrays of one dtype."""
        if isinstance(a, _SCALARS):
            if isinstance(b, _SCALARS):
                raise TypeError("a binary primitive needs at least one array operand")
            return self._asarray(a, b), b
        return a, self._asarray(b, a)

    # ------------------------------------------------------------------ half precision
    def _up(self, x: Any) -> Any:
        """float16/bfloat16 -> float32 (other dtypes unchanged)."""
        return self.xp.astype(x, self._f32) if x.dtype in self._half else x

    def _down(self, r: Any, xdt: Any) -> Any:
        """Round a float32 result back to the half dtype ``xdt`` (no-op otherwise)."""
        return self.xp.astype(r, xdt) if r.dtype != xdt else r

    # ------------------------------------------------------------------ availability
    @classmethod
    def unavailable_reason(cls) -> str | None:
        return None if cls.xp is not None else "no array namespace configured"
