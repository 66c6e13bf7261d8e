"""``view_as_real`` and ``view_as_complex``: one storage seen in two dtypes.

# NOTE [ Reinterpreted storage ]
PyTorch lays a complex tensor out as (real, imaginary) pairs, so a complex storage of ``n``
elements is also a real storage of ``2n``: element ``2k`` is the real part of complex
element ``k`` and ``2k + 1`` its imaginary part. The reference storage holds Python
``complex`` numbers, so the real view is a :class:`Storage` whose ``data`` is a
:class:`_Parts` sequence reading and writing the parts of the complex list in place (and
the complex view of a real storage a :class:`_Pairs` sequence over the float list). Every
reader and writer of the backend indexes ``data`` element by element, so views through
either storage see each other's writes. A storage keeps its reinterpretation
(``Storage.reinterpreted``, both ways), so views stay on one storage object and
``shares_memory`` holds between them.
"""

from __future__ import annotations

from ember.backend import dtype as DType

from ._array import RefArray, Storage

__all__ = ["view_as_real", "view_as_complex"]


class _Parts:
    """A complex element list read as its (real, imaginary) parts."""

    __slots__ = ("_c",)

    def __init__(self, complex_data: list) -> None:
        self._c = complex_data

    def __len__(self) -> int:
        return 2 * len(self._c)

    def __getitem__(self, p: int) -> float:
        z = self._c[p >> 1]
        return z.imag if p & 1 else z.real

    def __setitem__(self, p: int, v: float) -> None:
        k = p >> 1
        z = self._c[k]
        self._c[k] = complex(z.real, v) if p & 1 else complex(v, z.imag)


class _Pairs:
    """A real element list read as complex numbers from consecutive pairs."""

    __slots__ = ("_r",)

    def __init__(self, real_data: list) -> None:
        self._r = real_data

    def __len__(self) -> int:
        return len(self._r) // 2

    def __getitem__(self, k: int) -> complex:
        return complex(self._r[2 * k], self._r[2 * k + 1])

    def __setitem__(self, k: int, z: complex) -> None:
        self._r[2 * k] = z.real
        self._r[2 * k + 1] = z.imag


def _other(storage: Storage, dtype: DType, wrap: type) -> Storage:
    other = storage.reinterpreted
    if other is None:
        other = Storage(wrap(storage.data), dtype)  # type: ignore[arg-type]
        other.reinterpreted = storage
        storage.reinterpreted = other
    return other


def view_as_real(x: RefArray) -> RefArray:
    """The complex ``x`` as real (re, im) pairs: shape ``(*shape, 2)``, aliasing ``x``."""
    storage = _other(x.storage, x.dtype.to_real(), _Parts)
    return RefArray(storage, (*x.shape, 2), tuple(2 * s for s in x.strides) + (1,),
                    2 * x.offset)


def view_as_complex(x: RefArray) -> RefArray:
    """The real ``x`` of shape ``(*shape, 2)`` (last stride 1, even strides and offset) as
    complex numbers of shape ``shape``, aliasing ``x``."""
    storage = _other(x.storage, x.dtype.to_complex(), _Pairs)
    return RefArray(storage, x.shape[:-1], tuple(s // 2 for s in x.strides[:-1]),
                    x.offset // 2)
