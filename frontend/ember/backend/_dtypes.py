"""Ember's dtypes.

A :class:`dtype` is a small immutable object shared by the frontend and every backend;
backends map it to their own array library's dtype. The set and the names are PyTorch's.
"""

from __future__ import annotations

__all__ = [
    "dtype",
    "bool_",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "ALL_DTYPES",
    "by_name",
]


class dtype:
    """A tensor element type, e.g. ``ember.float32``.

    Attributes:
        name: the short name (``"float32"``).
        itemsize: bytes per element.
        is_floating_point: True for float16, bfloat16, float32, float64.
        is_complex: True for complex64, complex128.
        is_signed: True unless the type is ``bool`` or ``uint8``.
        kind: ``"b"`` bool, ``"i"`` integer, ``"f"`` floating, ``"c"`` complex.
        bits: width in bits.

    ``repr`` is ``torch``-style (``ember.float32``); a dtype compares equal to the
    NumPy scalar type or dtype of the same name, so ``ember.float32 == np.float32``.
    """

    __slots__ = ("name", "itemsize", "is_floating_point", "is_complex", "is_signed", "kind", "bits",
                 "_rank", "_aliases")

    def __init__(self, name: str, kind: str, itemsize: int, rank: int,
                 aliases: tuple[str, ...] = ()):
        self.name = name
        self.kind = kind
        self.itemsize = itemsize
        self.bits = itemsize * 8
        self.is_floating_point = kind == "f"
        self.is_complex = kind == "c"
        self.is_signed = name not in ("bool", "uint8")
        self._rank = rank  # order inside a category, used by type promotion
        self._aliases = aliases

    def __repr__(self) -> str:
        return f"ember.{self.name}"

    __str__ = __repr__

    def __reduce__(self):
        return (by_name, (self.name,))

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if isinstance(other, dtype):
            return False
        # NumPy scalar types and dtypes compare by name (ember.float32 == np.float32).
        mod = getattr(type(other), "__module__", "") or ""
        if isinstance(other, type):
            mod = getattr(other, "__module__", "") or ""
            other_name = getattr(other, "__name__", None)
        elif mod.startswith("numpy"):
            other_name = getattr(other, "name", None)
        else:
            return NotImplemented
        if not mod.startswith(("numpy", "ml_dtypes")):
            return NotImplemented
        return other_name == self.name or (self.name == "bool" and other_name == "bool_")

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def to_real(self) -> dtype:
        """The real counterpart of a complex dtype (``complex64`` -> ``float32``)."""
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self) -> dtype:
        """The complex counterpart of a floating dtype (``float32`` -> ``complex64``)."""
        return {"float64": complex128, "complex128": complex128}.get(self.name, complex64)


bool_ = dtype("bool", "b", 1, 0)
uint8 = dtype("uint8", "i", 1, 1)
int8 = dtype("int8", "i", 1, 1)
int16 = dtype("int16", "i", 2, 2, ("short",))
int32 = dtype("int32", "i", 4, 3, ("int",))
int64 = dtype("int64", "i", 8, 4, ("long",))
float16 = dtype("float16", "f", 2, 1, ("half",))
bfloat16 = dtype("bfloat16", "f", 2, 1)
float32 = dtype("float32", "f", 4, 2, ("float",))
float64 = dtype("float64", "f", 8, 3, ("double",))
complex64 = dtype("complex64", "c", 8, 2, ("cfloat",))
complex128 = dtype("complex128", "c", 16, 3, ("cdouble",))

ALL_DTYPES: tuple[dtype, ...] = (
    bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64,
    complex128,
)

_BY_NAME = {d.name: d for d in ALL_DTYPES}
for _d in ALL_DTYPES:
    for _alias in _d._aliases:
        _BY_NAME[_alias] = _d


def by_name(name: str) -> dtype:
    """Return the dtype called ``name`` (``"float32"``, ``"float"``, ``"long"``, ...)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise TypeError(f"unknown dtype name {name!r}") from None
