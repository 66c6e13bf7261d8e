"""Creation, conversion, casting and copies on an array-API namespace."""

from __future__ import annotations

from typing import Any

from .._dtypes import dtype as DType
from ._base import _SCALARS, ArrayAPICore

__all__ = ["CreationMixin"]


class CreationMixin(ArrayAPICore):
    # ------------------------------------------------------------------ creation
    def full(self, shape, value, dtype: DType):
        xdt = self._x(dtype)
        return self.xp.full(tuple(shape), self._scalar(value, xdt), dtype=xdt,
                            device=self._xp_device)

    def arange(self, start, step, n, dtype: DType):
        xp, dev = self.xp, self._xp_device
        if isinstance(start, int) and isinstance(step, int) and dtype.kind in "bi":
            # Exact integer values: i * step + start in int64 (wrapping), then narrowed.
            i = xp.arange(n, dtype=self._i64, device=dev)
            vals = i * self._scalar(step, self._i64) + self._scalar(start, self._i64)
        else:
            # The contract computes every value in float64, as PyTorch does.
            i = xp.arange(n, dtype=self._f64, device=dev)
            vals = i * float(step) + float(start)
        return self.astype(vals, dtype)

    def from_list(self, data, shape, dtype: DType):
        xdt = self._x(dtype)
        flat: list[Any] = []
        _flatten(data, flat)
        # Convert each value in Python (wrap-around, truncation) so that the namespace
        # only ever sees in-range scalars of the target kind: the standard leaves
        # out-of-range conversions unspecified and array_api_strict rejects them.
        vals = [self._scalar(v, xdt) for v in flat]
        arr = self.xp.asarray(vals, dtype=xdt, device=self._xp_device)
        return self.xp.reshape(arr, tuple(shape))

    def to_list(self, x):
        # The standard has no ``tolist``: read the elements one by one through the 0-d
        # conversions (``__bool__``/``__int__``/``__float__``/``__complex__``) it does
        # define. Backends with a host copy (NumPy, CuPy) override this.
        kind = self._kind(x)
        conv = {"b": bool, "i": int, "f": float, "c": complex}[kind]
        if x.dtype in self._half:
            x = self.xp.astype(x, self._f32)
        shape = tuple(x.shape)
        flat = self.xp.reshape(x, (-1,))
        vals = [conv(flat[i]) for i in range(flat.shape[0])]
        if not shape:
            return vals[0]
        return _nest(vals, shape)

    # ------------------------------------------------------------------ casting and copies
    def astype(self, x, dtype: DType):
        xp = self.xp
        xdt = self._x(dtype)
        src = self._kind(x)
        if src == "c" and dtype.kind != "c":
            if dtype.kind == "b":
                return x != 0  # the standard forbids complex -> bool casts too
            # The standard forbids complex -> real casts; PyTorch drops the imaginary part.
            x = xp.real(x)
        return xp.astype(x, xdt, copy=True)

    def copy(self, x):
        return self.xp.asarray(x, copy=True)

    def copy_into(self, dst, src) -> None:
        if isinstance(src, _SCALARS):
            src = self._scalar(src, dst.dtype)
        elif self.shares_memory(dst, src):
            src = self.copy(src)  # the contract: as if src were copied first
        dst[...] = src


def _flatten(data: Any, out: list[Any]) -> None:
    if isinstance(data, list | tuple):
        for item in data:
            _flatten(item, out)
    else:
        out.append(data)


def _nest(vals: list[Any], shape: tuple[int, ...]) -> Any:
    if len(shape) == 1:
        return vals
    step = len(vals) // shape[0] if shape[0] else 0
    if step == 0:
        return [_nest([], shape[1:]) for _ in range(shape[0])]
    return [_nest(vals[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]
