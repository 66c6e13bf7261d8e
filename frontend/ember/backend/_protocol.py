"""The backend contract: the primitive kernels every Ember backend implements.

# NOTE [ Backend contract ]
A backend is an object serving one device (``cpu``, ``cuda:0``, ``ref``, ...). It owns an
opaque array type; the frontend never looks inside an array and calls only the methods
documented here. The rules every primitive follows:

* Operands of an elementwise or joining primitive already share one dtype: the frontend
  applies PyTorch's type promotion once, for every backend. A backend never decides a
  result dtype; the result of an elementwise primitive has its operands' dtype (``bool``
  for comparisons, predicates and logical ops).
* Any operand of a binary elementwise primitive may be a Python scalar (bool, int, float,
  complex) instead of an array; it takes the array operand's dtype.
* Broadcasting follows NumPy's (= PyTorch's) rules. Operands that do not broadcast raise
  any exception; the frontend turns it into PyTorch's error message.
* Shapes are tuples of ints, axes are non-negative ints already checked by the frontend,
  scalar (0-d) arrays are arrays of shape ``()``.
* Views: ``reshape`` (when the layout allows), ``permute``, ``expand``, ``getitem`` with a
  basic key and ``diagonal`` return arrays sharing memory with their input, and
  ``copy_into`` writes through them. Strides and offsets are counted in elements.
* Float16 and bfloat16 arithmetic is computed in float32 and rounded once per primitive
  (as PyTorch's CPU kernels do). Integer arithmetic wraps around on overflow.
* Reductions over float16/bfloat16 accumulate in at least float32.

Optional kernels (fused operations) are listed in :data:`OPTIONAL_KERNELS`; a backend
declares the ones it implements in ``capabilities`` and the frontend composes the others
from primitives. See ``docs/backends.md`` for a walk-through.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._device import device as Device
from ._dtypes import dtype as DType
from ._op_tables import BINARY_OPS, COMPARISON_OPS, OPTIONAL_KERNELS, REDUCTION_OPS, UNARY_OPS

__all__ = [
    "Backend",
    "UNARY_OPS",
    "BINARY_OPS",
    "COMPARISON_OPS",
    "REDUCTION_OPS",
    "OPTIONAL_KERNELS",
    "BackendUnavailable",
]

Array = Any
Scalar = bool | int | float | complex
Shape = tuple[int, ...]


class BackendUnavailable(RuntimeError):
    """Raised when a backend is asked for but cannot run here; the message says why."""


class Backend:
    """The abstract backend. Subclasses implement every primitive below.

    Class attributes a subclass sets:

    * ``name`` -- the registry name (``"numpy"``);
    * ``device_type`` -- the device type it serves (``"cpu"``);
    * ``dtypes`` -- the dtypes it supports (a tuple of :class:`ember.dtype`);
    * ``capabilities`` -- a frozenset of optional kernel names from
      :data:`OPTIONAL_KERNELS` plus the flags ``"as_strided"`` (arbitrary strided views),
      ``"numpy"`` (``from_numpy``/``to_numpy`` share memory with NumPy arrays) and
      ``"dlpack"``.

    An instance serves one device, given to ``__init__``; ``is_available`` and
    ``unavailable_reason`` are class methods so an unusable backend can be listed without
    being instantiated.
    """

    name: str = "abstract"
    device_type: str = "none"
    dtypes: tuple[DType, ...] = ()
    capabilities: frozenset[str] = frozenset()

    def __init__(self, device: Device):
        self.device = device

    # ------------------------------------------------------------------ availability
    @classmethod
    def is_available(cls) -> bool:
        """True when this backend can run here (its library imports, a device exists)."""
        return cls.unavailable_reason() is None

    @classmethod
    def unavailable_reason(cls) -> str | None:
        """None when available, else a short reason ("CuPy is not installed")."""
        return None

    @classmethod
    def device_count(cls) -> int:
        """How many devices of ``device_type`` this backend can serve (indices 0..n-1)."""
        return 1

    def synchronize(self) -> None:
        """Wait until every kernel queued on this device has finished (no-op on CPUs)."""

    def optional(self, kernel: str):
        """Return the fused kernel called ``kernel`` when declared in ``capabilities``."""
        return getattr(self, kernel) if kernel in self.capabilities else None

    # ------------------------------------------------------------------ introspection
    def shape(self, x: Array) -> Shape:
        """The shape of ``x`` as a tuple of ints."""
        raise NotImplementedError

    def strides(self, x: Array) -> Shape:
        """The strides of ``x`` in elements (PyTorch's ``Tensor.stride()``)."""
        raise NotImplementedError

    def storage_offset(self, x: Array) -> int:
        """The offset of ``x``'s first element in its storage, in elements."""
        raise NotImplementedError

    def shares_memory(self, x: Array, y: Array) -> bool:
        """True when ``x`` and ``y`` are views of the same storage."""
        raise NotImplementedError

    # ------------------------------------------------------------------ creation
    def full(self, shape: Shape, value: Scalar, dtype: DType) -> Array:
        """A new contiguous array of ``shape`` filled with ``value`` converted to ``dtype``."""
        raise NotImplementedError

    def arange(self, start: int | float, step: int | float, n: int, dtype: DType) -> Array:
        """``[start + i * step for i in range(n)]`` as a 1-d array of ``dtype``.

        The frontend computes ``n`` (PyTorch's ``ceil((end - start) / step)``); each value
        is computed in float64 (or exactly, for integers) and then converted to ``dtype``.
        """
        raise NotImplementedError

    def from_list(self, data: Any, shape: Shape, dtype: DType) -> Array:
        """An array of ``shape`` and ``dtype`` from nested lists of Python scalars.

        The frontend has checked that ``data`` is rectangular with ``shape`` (a bare scalar
        for shape ``()``); values are converted with PyTorch's casting rules.
        """
        raise NotImplementedError

    def to_list(self, x: Array) -> Any:
        """Nested lists of Python scalars (bool, int, float or complex); a scalar for 0-d."""
        raise NotImplementedError

    def random_bits(self, key: tuple[int, int], counter: int, n: int) -> Array:
        """``n`` 32-bit words of Philox4x32-10 as a 1-d int64 array (values in [0, 2**32)).

        Word ``i`` is lane ``i % 4`` of the block for the 128-bit counter ``counter + i // 4``
        under the 64-bit ``key``; see ``ember.backend.philox``, whose pure-Python
        implementation is the definition. The default builds the list in Python; fast
        backends override it and must produce identical bits.
        """
        from . import philox

        return self.from_list(philox.philox_words(key, counter, n), (n,), _int64())

    # ------------------------------------------------------------------ casting and copies
    def astype(self, x: Array, dtype: DType) -> Array:
        """A new array of ``x``'s values converted to ``dtype``.

        Float to integer truncates towards zero (out-of-range values are unspecified,
        as in PyTorch); anything to bool is ``x != 0``; integers wrap when narrowed.
        """
        raise NotImplementedError

    def copy(self, x: Array) -> Array:
        """A new contiguous array with ``x``'s values (``clone``)."""
        raise NotImplementedError

    def copy_into(self, dst: Array, src: Array | Scalar) -> None:
        """Write ``src`` (broadcast to ``dst``'s shape, same dtype) into ``dst`` in place.

        ``dst`` may be a view: the write goes through to its storage. ``src`` may overlap
        ``dst``; the result is as if ``src`` were copied first.
        """
        raise NotImplementedError

    # ------------------------------------------------------------------ views
    def reshape(self, x: Array, shape: Shape) -> Array:
        """``x`` with a new shape of the same size: a view when the strides allow one,
        else a contiguous copy (PyTorch's ``reshape``)."""
        raise NotImplementedError

    def permute(self, x: Array, axes: Shape) -> Array:
        """A view with the axes reordered: result axis ``i`` is input axis ``axes[i]``."""
        raise NotImplementedError

    def expand(self, x: Array, shape: Shape) -> Array:
        """A broadcast view of ``x`` with ``shape`` (new leading axes, size-1 axes repeated
        with stride 0)."""
        raise NotImplementedError

    def getitem(self, x: Array, key: tuple) -> Array:
        """A view for a basic key: a tuple with one entry per axis of ``x`` (after
        ``None`` entries are skipped), each an ``int`` (in range, non-negative; removes the
        axis), a ``slice`` with non-negative start/stop in range and positive step, or
        ``None`` (inserts an axis of size 1)."""
        raise NotImplementedError

    def as_strided(self, x: Array, shape: Shape, strides: Shape, offset: int) -> Array:
        """A view of ``x``'s storage with the given shape, element strides and storage
        offset (capability ``"as_strided"``)."""
        raise NotImplementedError

    def diagonal(self, x: Array, offset: int, axis1: int, axis2: int) -> Array:
        """A view of the diagonal ``offset`` of the plane (axis1, axis2), appended as the
        last axis (NumPy's and PyTorch's ``diagonal``)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ elementwise
    def unary(self, op: str, x: Array) -> Array:
        """Apply the elementwise unary primitive ``op`` (a key of :data:`UNARY_OPS`)."""
        return getattr(self, op)(x)

    def binary(self, op: str, a: Array | Scalar, b: Array | Scalar) -> Array:
        """Apply the binary primitive ``op`` (:data:`BINARY_OPS` or :data:`COMPARISON_OPS`)."""
        return getattr(self, op)(a, b)

    def where(self, cond: Array, x: Array | Scalar, y: Array | Scalar) -> Array:
        """``x`` where the bool array ``cond`` is True, else ``y``, broadcast together; ``x``
        and ``y`` share a dtype (or are scalars, taking the other's dtype)."""
        raise NotImplementedError

    def clip(self, x: Array, lo: Array | Scalar | None, hi: Array | Scalar | None) -> Array:
        """``minimum(maximum(x, lo), hi)`` with either bound optional; nan stays nan."""
        raise NotImplementedError

    # ------------------------------------------------------------------ reductions
    def reduce(self, op: str, x: Array, axes: Shape, keepdims: bool) -> Array:
        """Apply the reduction ``op`` (a key of :data:`REDUCTION_OPS`) over ``axes``."""
        return getattr(self, op)(x, axes, keepdims)

    def argmax(self, x: Array, axis: int | None, keepdims: bool) -> Array:
        """int64 index of the first maximum along ``axis`` (of the flattened array when
        None); nan counts as the maximum."""
        raise NotImplementedError

    def argmin(self, x: Array, axis: int | None, keepdims: bool) -> Array:
        """int64 index of the first minimum along ``axis``; nan counts as the minimum."""
        raise NotImplementedError

    def cumsum(self, x: Array, axis: int) -> Array:
        """Inclusive cumulative sum along ``axis`` in ``x``'s dtype."""
        raise NotImplementedError

    def cumprod(self, x: Array, axis: int) -> Array:
        """Inclusive cumulative product along ``axis`` in ``x``'s dtype."""
        raise NotImplementedError

    def sort(self, x: Array, axis: int, descending: bool, stable: bool) -> tuple[Array, Array]:
        """``(values, int64 indices)`` sorted along ``axis``; nan sorts as the largest value.
        With ``stable`` equal elements keep their order (descending too)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ linear algebra
    def matmul(self, a: Array, b: Array) -> Array:
        """NumPy's ``matmul``: 1-d operands are promoted and squeezed, batch axes broadcast."""
        raise NotImplementedError

    def inv(self, x: Array) -> Array:
        """Inverse of each square matrix in the batch ``(..., n, n)``; singular input raises
        any exception (the frontend reports it as PyTorch does)."""
        raise NotImplementedError

    def det(self, x: Array) -> Array:
        """Determinant of each square matrix in the batch ``(..., n, n)``."""
        raise NotImplementedError

    def solve(self, a: Array, b: Array) -> Array:
        """Solve ``a @ x = b`` for ``a`` of shape ``(..., n, n)`` and ``b`` of shape
        ``(..., n, k)``, batch axes broadcast."""
        raise NotImplementedError

    def svdvals(self, x: Array) -> Array:
        """Singular values of each matrix ``(..., m, n)``, descending: ``(..., min(m, n))``."""
        raise NotImplementedError

    def svd(self, x: Array) -> tuple[Array, Array, Array]:
        """Reduced singular value decomposition of each real floating matrix ``(..., m, n)``:
        ``(U (..., m, k), S (..., k), Vh (..., k, n))`` with ``k = min(m, n)``, ``S``
        descending, ``U`` with orthonormal columns and ``Vh`` with orthonormal rows, so
        that ``U @ diag(S) @ Vh`` is ``x``. Each singular vector's sign is the backend's
        choice (the frontend only uses sign-invariant products)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ joining, indexing
    def cat(self, xs: Sequence[Array], axis: int) -> Array:
        """Concatenate arrays of one dtype along an existing ``axis``."""
        raise NotImplementedError

    def flip(self, x: Array, axes: Shape) -> Array:
        """A copy of ``x`` with the order of elements reversed along ``axes``."""
        raise NotImplementedError

    def pad(self, x: Array, widths: Sequence[tuple[int, int]], value: Scalar) -> Array:
        """Constant padding: ``widths[i] = (before, after)`` for axis ``i`` (non-negative)."""
        raise NotImplementedError

    def index(self, x: Array, key: tuple) -> Array:
        """Advanced indexing with NumPy's semantics, returning a copy. ``key`` has entries
        as for :meth:`getitem` plus int64 arrays (already in range, non-negative) and bool
        arrays (masks covering as many axes as they have dimensions)."""
        raise NotImplementedError

    def index_put(self, x: Array, key: tuple, values: Array | Scalar, accumulate: bool) -> None:
        """In place: ``x[key] = values`` (``+=`` with ``accumulate``, where repeated indices
        all add up). ``key`` is as for :meth:`index`; ``values`` broadcasts to the indexed
        shape and has ``x``'s dtype."""
        raise NotImplementedError

    def gather(self, x: Array, axis: int, index: Array) -> Array:
        """``out[i][j][k] = x[i][index[i][j][k]][k]`` for ``axis == 1`` (PyTorch's gather);
        ``index`` is int64, in range, with ``index.shape[d] <= x.shape[d]`` for ``d != axis``."""
        raise NotImplementedError

    def scatter(self, x: Array, axis: int, index: Array, src: Array | Scalar,
                reduce: str | None) -> Array:
        """A copy of ``x`` with ``src`` values written at ``index`` along ``axis``
        (PyTorch's scatter): ``reduce`` None overwrites, ``"sum"`` adds (every duplicate
        counts), ``"prod"`` multiplies, ``"amax"``/``"amin"`` keep the extreme."""
        raise NotImplementedError

    def nonzero(self, x: Array) -> Array:
        """int64 array ``(n, x.ndim)`` of the coordinates of nonzero elements, row-major."""
        raise NotImplementedError

    def unique(self, x: Array) -> tuple[Array, Array, Array]:
        """``(sorted unique values of flattened x, int64 inverse indices with x's shape,
        int64 counts)``."""
        raise NotImplementedError


def _int64():
    from ._dtypes import int64

    return int64


def _make_abstract(name: str, doc: str, arity: int):
    if arity == 1:
        def kernel(self, x):
            raise NotImplementedError(f"backend {self.name!r} does not implement {name!r}")
    else:
        def kernel(self, a, b):
            raise NotImplementedError(f"backend {self.name!r} does not implement {name!r}")
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = doc
    return kernel


for _name, _doc in UNARY_OPS.items():
    setattr(Backend, _name, _make_abstract(_name, _doc, 1))
for _name, _doc in {**BINARY_OPS, **COMPARISON_OPS}.items():
    setattr(Backend, _name, _make_abstract(_name, _doc, 2))
for _name, _doc in REDUCTION_OPS.items():
    def _reduction(self, x, axes, keepdims, _name=_name):
        raise NotImplementedError(f"backend {self.name!r} does not implement {_name!r}")
    _reduction.__name__ = _reduction.__qualname__ = _name
    _reduction.__doc__ = f"{_doc} Signature: ``{_name}(x, axes, keepdims)``."
    setattr(Backend, _name, _reduction)
