"""``ReferenceBackend``: the pure-Python backend, Ember's executable specification.

This module only binds the primitives of :class:`ember.backend.Backend` to the functions of
the sibling modules, in the protocol's section order:

* ``_array``       the strided array (NOTE [ Strided arrays ]) and broadcasting;
* ``_dtypes``      element values and the casting rule (NOTE [ Reference element values ]);
* ``_scalar_math`` IEEE-faithful scalar functions;
* ``_elementwise`` unary, binary, comparison, where, clip, casts and copies;
* ``_reduction``   reductions, arg reductions, scans, sort, unique;
* ``_shape``       views, cat, flip, pad;
* ``_linalg``      matmul, inv, det, solve, svdvals, svd;
* ``_indexing``    advanced indexing, index_put, gather, scatter, nonzero.

Standard library only: this package never imports NumPy (a test proves it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ember.backend import (
    ALL_DTYPES,
    BINARY_OPS,
    COMPARISON_OPS,
    REDUCTION_OPS,
    UNARY_OPS,
    Backend,
)
from ember.backend import dtype as DType

from . import _complex_views, _elementwise, _indexing, _linalg, _reduction, _shape
from ._array import RefArray, from_values, full, values
from ._dtypes import converter

__all__ = ["ReferenceBackend", "RefArray"]

Scalar = bool | int | float | complex
Shape = tuple[int, ...]


def _flatten(data: Any, depth: int) -> list:
    """The scalars of ``depth``-times nested lists, in row-major order."""
    if depth == 0:
        return [data]
    return [v for item in data for v in _flatten(item, depth - 1)]


def _nest(flat: list, shape: Shape) -> Any:
    """Inverse of :func:`_flatten`: nested lists of ``shape`` (a scalar for ``()``)."""
    if not shape:
        return flat[0]
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


class ReferenceBackend(Backend):
    """Every primitive of the backend contract in plain Python (device type ``ref``)."""

    name = "reference"
    device_type = "ref"
    dtypes = tuple(ALL_DTYPES)
    capabilities = frozenset({"as_strided", "view_as_real", "view_as_complex"})

    # ------------------------------------------------------------------ introspection
    def shape(self, x: RefArray) -> Shape:
        return x.shape

    def strides(self, x: RefArray) -> Shape:
        return x.strides

    def storage_offset(self, x: RefArray) -> int:
        return x.offset

    def shares_memory(self, x: RefArray, y: RefArray) -> bool:
        return x.storage is y.storage

    # ------------------------------------------------------------------ creation
    def full(self, shape: Shape, value: Scalar, dtype: DType) -> RefArray:
        return full(shape, value, dtype)

    def arange(self, start: int | float, step: int | float, n: int, dtype: DType) -> RefArray:
        exact = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, step))
        if exact:
            raw = [start + i * step for i in range(n)]
        else:
            raw = [float(start) + i * float(step) for i in range(n)]
        to_dtype = converter(dtype)
        return from_values([to_dtype(v) for v in raw], (n,), dtype)

    def from_list(self, data: Any, shape: Shape, dtype: DType) -> RefArray:
        shape = tuple(shape)
        to_dtype = converter(dtype)
        return from_values([to_dtype(v) for v in _flatten(data, len(shape))], shape, dtype)

    def to_list(self, x: RefArray) -> Any:
        return _nest(values(x), x.shape)

    # random_bits: the base class's pure-Python Philox (ember.backend.philox) is the
    # definition, so the reference keeps it.

    # ------------------------------------------------------------------ casting and copies
    def astype(self, x: RefArray, dtype: DType) -> RefArray:
        return _elementwise.astype(x, dtype)

    def copy(self, x: RefArray) -> RefArray:
        return _elementwise.copy(x)

    def copy_into(self, dst: RefArray, src: RefArray | Scalar) -> None:
        _elementwise.copy_into(dst, src)

    # ------------------------------------------------------------------ views
    def reshape(self, x: RefArray, shape: Shape) -> RefArray:
        return _shape.reshape(x, shape)

    def permute(self, x: RefArray, axes: Shape) -> RefArray:
        return _shape.permute(x, axes)

    def expand(self, x: RefArray, shape: Shape) -> RefArray:
        return _shape.expand(x, shape)

    def getitem(self, x: RefArray, key: tuple) -> RefArray:
        return _shape.getitem(x, key)

    def as_strided(self, x: RefArray, shape: Shape, strides: Shape, offset: int) -> RefArray:
        return _shape.as_strided(x, shape, strides, offset)

    def diagonal(self, x: RefArray, offset: int, axis1: int, axis2: int) -> RefArray:
        return _shape.diagonal(x, offset, axis1, axis2)

    def view_as_real(self, x: RefArray) -> RefArray:
        return _complex_views.view_as_real(x)

    def view_as_complex(self, x: RefArray) -> RefArray:
        return _complex_views.view_as_complex(x)

    # ------------------------------------------------------------------ elementwise
    # One method per name of UNARY_OPS, BINARY_OPS and COMPARISON_OPS is attached below the
    # class; ``unary`` and ``binary`` dispatch without the getattr.
    def unary(self, op: str, x: RefArray) -> RefArray:
        return _elementwise.unary(op, x)

    def binary(self, op: str, a: RefArray | Scalar, b: RefArray | Scalar) -> RefArray:
        return _elementwise.binary(op, a, b)

    def where(self, cond: RefArray, x: RefArray | Scalar, y: RefArray | Scalar) -> RefArray:
        return _elementwise.where(cond, x, y)

    def clip(self, x: RefArray, lo: RefArray | Scalar | None,
             hi: RefArray | Scalar | None) -> RefArray:
        return _elementwise.clip(x, lo, hi)

    # ------------------------------------------------------------------ reductions
    def reduce(self, op: str, x: RefArray, axes: Shape, keepdims: bool) -> RefArray:
        return _reduction.reduce(op, x, tuple(axes), keepdims)

    def argmax(self, x: RefArray, axis: int | None, keepdims: bool) -> RefArray:
        return _reduction.argmax(x, axis, keepdims)

    def argmin(self, x: RefArray, axis: int | None, keepdims: bool) -> RefArray:
        return _reduction.argmin(x, axis, keepdims)

    def cumsum(self, x: RefArray, axis: int) -> RefArray:
        return _reduction.cumsum(x, axis)

    def cumprod(self, x: RefArray, axis: int) -> RefArray:
        return _reduction.cumprod(x, axis)

    def sort(self, x: RefArray, axis: int, descending: bool,
             stable: bool) -> tuple[RefArray, RefArray]:
        return _reduction.sort(x, axis, descending, stable)

    # ------------------------------------------------------------------ linear algebra
    def matmul(self, a: RefArray, b: RefArray) -> RefArray:
        return _linalg.matmul(a, b)

    def inv(self, x: RefArray) -> RefArray:
        return _linalg.inv(x)

    def det(self, x: RefArray) -> RefArray:
        return _linalg.det(x)

    def solve(self, a: RefArray, b: RefArray) -> RefArray:
        return _linalg.solve(a, b)

    def svdvals(self, x: RefArray) -> RefArray:
        return _linalg.svdvals(x)

    def svd(self, x: RefArray) -> tuple[RefArray, RefArray, RefArray]:
        return _linalg.svd(x)

    # ------------------------------------------------------------------ joining, indexing
    def cat(self, xs: Sequence[RefArray], axis: int) -> RefArray:
        return _shape.cat(list(xs), axis)

    def flip(self, x: RefArray, axes: Shape) -> RefArray:
        return _shape.flip(x, tuple(axes))

    def pad(self, x: RefArray, widths: Sequence[tuple[int, int]], value: Scalar) -> RefArray:
        return _shape.pad(x, widths, value)

    def index(self, x: RefArray, key: tuple) -> RefArray:
        return _indexing.index(x, key)

    def index_put(self, x: RefArray, key: tuple, values: RefArray | Scalar,
                  accumulate: bool) -> None:
        _indexing.index_put(x, key, values, accumulate)

    def gather(self, x: RefArray, axis: int, index: RefArray) -> RefArray:
        return _indexing.gather(x, axis, index)

    def scatter(self, x: RefArray, axis: int, index: RefArray, src: RefArray | Scalar,
                reduce: str | None) -> RefArray:
        return _indexing.scatter(x, axis, index, src, reduce)

    def nonzero(self, x: RefArray) -> RefArray:
        return _indexing.nonzero(x)

    def unique(self, x: RefArray) -> tuple[RefArray, RefArray, RefArray]:
        return _reduction.unique(x)


# ---------------------------------------------------------------------------- named kernels
def _unary_method(op: str, doc: str):
    def kernel(self, x: RefArray) -> RefArray:
        return _elementwise.unary(op, x)
    kernel.__name__ = kernel.__qualname__ = op
    kernel.__doc__ = doc
    return kernel


def _binary_method(op: str, doc: str):
    def kernel(self, a: RefArray | Scalar, b: RefArray | Scalar) -> RefArray:
        return _elementwise.binary(op, a, b)
    kernel.__name__ = kernel.__qualname__ = op
    kernel.__doc__ = doc
    return kernel


def _reduction_method(op: str, doc: str):
    def kernel(self, x: RefArray, axes: Shape, keepdims: bool) -> RefArray:
        return _reduction.reduce(op, x, tuple(axes), keepdims)
    kernel.__name__ = kernel.__qualname__ = op
    kernel.__doc__ = doc
    return kernel


for _op, _doc in UNARY_OPS.items():
    setattr(ReferenceBackend, _op, _unary_method(_op, _doc))
for _op, _doc in {**BINARY_OPS, **COMPARISON_OPS}.items():
    setattr(ReferenceBackend, _op, _binary_method(_op, _doc))
for _op, _doc in REDUCTION_OPS.items():
    setattr(ReferenceBackend, _op, _reduction_method(_op, _doc))
del _op, _doc
