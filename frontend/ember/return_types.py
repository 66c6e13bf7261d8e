"""Named-tuple result types of ops that return several tensors (``ember.return_types``).

Each type is a tuple subclass with named fields, as ``torch.return_types``: ``ember.max(x, 1)``
returns ``ember.return_types.max(values=..., indices=...)``, which unpacks like a tuple and
prints like PyTorch's, one field per line.

Example:
    >>> import ember
    >>> r = ember.tensor([[1., 5.], [4., 2.]]).max(dim=1)
    >>> r.indices
    tensor([1, 0])
    >>> values, indices = r
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "aminmax",
    "cummax",
    "cummin",
    "kthvalue",
    "linalg_inv_ex",
    "linalg_slogdet",
    "max",
    "median",
    "min",
    "mode",
    "nanmedian",
    "slogdet",
    "sort",
    "topk",
]


class _ReturnType(tuple):
    """Base of the named result tuples: fields by name and by position."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __new__(cls, values: Any = None, *args: Any, **kwargs: Any):
        if args or kwargs or not isinstance(values, (tuple, list)):
            items = (values, *args) if values is not None or args else ()
            given = dict(zip(cls._fields, items))
            given.update(kwargs)
            missing = [f for f in cls._fields if f not in given]
            if missing or len(given) != len(cls._fields):
                raise TypeError(f"ember.return_types.{cls.__name__} takes a {len(cls._fields)}-"
                                f"sequence or the fields {', '.join(cls._fields)}")
            values = tuple(given[f] for f in cls._fields)
        if len(values) != len(cls._fields):
            raise TypeError(f"ember.return_types.{cls.__name__} takes a {len(cls._fields)}-"
                            f"sequence ({len(values)}-sequence given)")
        return super().__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"ember.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__

    def __reduce__(self):
        return (type(self), (tuple(self),))


def _make(name: str, fields: tuple[str, ...]) -> type:
    ns: dict[str, Any] = {"__slots__": (), "_fields": fields, "__module__": __name__,
                          "__qualname__": name,
                          "__doc__": f"``({', '.join(fields)})`` returned by ``{name}``."}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: tuple.__getitem__(self, i), doc=f"Field {i}.")
    return type(name, (_ReturnType,), ns)


max = _make("max", ("values", "indices"))
min = _make("min", ("values", "indices"))
sort = _make("sort", ("values", "indices"))
topk = _make("topk", ("values", "indices"))
kthvalue = _make("kthvalue", ("values", "indices"))
median = _make("median", ("values", "indices"))
nanmedian = _make("nanmedian", ("values", "indices"))
mode = _make("mode", ("values", "indices"))
cummax = _make("cummax", ("values", "indices"))
cummin = _make("cummin", ("values", "indices"))
aminmax = _make("aminmax", ("min", "max"))
slogdet = _make("slogdet", ("sign", "logabsdet"))
linalg_slogdet = _make("linalg_slogdet", ("sign", "logabsdet"))
linalg_inv_ex = _make("linalg_inv_ex", ("inverse", "info"))
