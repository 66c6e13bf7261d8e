"""``F64AccBackend``: Ember's NumPy kernels, with float64 accumulation for low precision.

NumPy sums float32 pairwise in float32 and ``matmul`` accumulates float32 dot products in
float32, so long reductions lose digits (``[1e8, 1, -1e8]`` sums to 0). This backend
accumulates every float32, float16 and bfloat16 (and complex64) reduction, scan, product,
matmul, einsum and fused softmax/logsumexp in float64 (complex128) and rounds the result
once to the input dtype. That is what the backend contract allows: "reductions over
float16/bfloat16 accumulate in at least float32" (more is fine) and a backend never
decides the result dtype -- the result keeps the input's dtype.

Every other kernel is inherited. The base class is the installed NumPy backend, fetched
from Ember's registry (public API) rather than imported from ``ember_numpy``'s private
modules, so this plugin depends only on what Ember documents.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from ember.backend import Backend, registry

__all__ = ["F64AccBackend", "accumulation_dtype"]

_F64, _C128 = np.dtype(np.float64), np.dtype(np.complex128)


def _numpy_backend() -> type[Backend]:
    return registry.spec("numpy").backend_class()


def accumulation_dtype(dt: np.dtype) -> np.dtype | None:
    """The dtype a reduction over ``dt`` accumulates in here, or None when this backend
    keeps NumPy's own behaviour (float64, complex128, integers and bool)."""
    if dt.kind == "c":
        return _C128 if dt.itemsize < 16 else None
    # float16, float32, and ml_dtypes' bfloat16 (kind "V" for NumPy, 2 bytes)
    if (dt.kind == "f" and dt.itemsize < 8) or dt.name == "bfloat16":
        return _F64
    return None


def _quiet(kernel: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``kernel`` without NumPy's floating-point warnings (``inf - inf`` in a sum is
    nan, silently, in PyTorch too)."""

    @functools.wraps(kernel)
    def quiet(*args: Any) -> Any:
        with np.errstate(all="ignore"):
            return kernel(*args)

    return quiet


class F64AccBackend(_numpy_backend()):  # type: ignore[misc]
    """NumPy on the CPU under the device type ``f64acc``; float32 accumulates in float64."""

    name = "f64acc"
    device_type = "f64acc"

    # ------------------------------------------------------------------ reductions
    def _wide_reduce(self, ufunc: np.ufunc, x: Any, axes: tuple[int, ...],
                     keepdims: bool) -> Any:
        acc = accumulation_dtype(x.dtype)
        r = ufunc.reduce(x.astype(acc), axis=tuple(axes), keepdims=keepdims)
        return np.asarray(r).astype(x.dtype)  # rounded once; 0-d stays an array

    @_quiet
    def sum(self, x: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
        if not axes or accumulation_dtype(x.dtype) is None:
            return super().sum(x, axes, keepdims)
        return self._wide_reduce(np.add, x, axes, keepdims)

    @_quiet
    def prod(self, x: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
        if not axes or accumulation_dtype(x.dtype) is None:
            return super().prod(x, axes, keepdims)
        return self._wide_reduce(np.multiply, x, axes, keepdims)

    @_quiet
    def cumsum(self, x: Any, axis: int) -> Any:
        acc = accumulation_dtype(x.dtype)
        if acc is None or x.ndim == 0:
            return super().cumsum(x, axis)
        return np.cumsum(x.astype(acc), axis=axis).astype(x.dtype)

    @_quiet
    def cumprod(self, x: Any, axis: int) -> Any:
        acc = accumulation_dtype(x.dtype)
        if acc is None or x.ndim == 0:
            return super().cumprod(x, axis)
        return np.cumprod(x.astype(acc), axis=axis).astype(x.dtype)

    # ------------------------------------------------------------------ linear algebra
    @_quiet
    def matmul(self, a: Any, b: Any) -> Any:
        acc = accumulation_dtype(a.dtype)
        if acc is None:
            return super().matmul(a, b)
        return np.matmul(a.astype(acc), b.astype(acc), out=...).astype(a.dtype)

    # ------------------------------------------------------------------ fused kernels
    # Declared in ``capabilities`` by the NumPy backend; the conformance suite checks each
    # against the frontend's composite of primitives.
    @_quiet
    def einsum(self, equation: str, *arrays: Any) -> Any:
        acc = accumulation_dtype(arrays[0].dtype)
        if acc is None:
            return super().einsum(equation, *arrays)
        r = np.einsum(equation, *(a.astype(acc) for a in arrays))
        return np.asarray(r).astype(arrays[0].dtype)

    @_quiet
    def softmax(self, x: Any, axis: int) -> Any:
        acc = accumulation_dtype(x.dtype)
        if acc is None:
            return super().softmax(x, axis)
        return super().softmax(x.astype(acc), axis).astype(x.dtype)

    @_quiet
    def log_softmax(self, x: Any, axis: int) -> Any:
        acc = accumulation_dtype(x.dtype)
        if acc is None:
            return super().log_softmax(x, axis)
        return super().log_softmax(x.astype(acc), axis).astype(x.dtype)

    @_quiet
    def logsumexp(self, x: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
        acc = accumulation_dtype(x.dtype)
        if acc is None:
            return super().logsumexp(x, axes, keepdims)
        return np.asarray(super().logsumexp(x.astype(acc), axes, keepdims)).astype(x.dtype)
