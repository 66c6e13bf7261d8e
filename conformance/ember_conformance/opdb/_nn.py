"""Shared helpers of the ``ember.nn.functional`` entries (keys ``"nn.functional.<name>"``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import Case, OpEntry, Tol
from ._inputs import tensor

__all__ = ["F", "F64", "NN_TOLS", "fcase", "fentry", "only", "per_dtype"]

#: The key prefix: ``resolve(ns, "nn.functional.relu")`` is ``ns.nn.functional.relu``.
F = "nn.functional."
F64 = ("float32", "float64")
#: Layers sum over windows and channels: a few ulp of float32 accumulate.
NN_TOLS = {"float32": Tol(1e-5, 1e-5), "float64": Tol(1e-9, 1e-9),
           "float16": Tol(1e-2, 1e-2), "bfloat16": Tol(5e-2, 5e-2)}


def fcase(name: str, variant: str, dtype: str, /, *args: Any, **kwargs: Any) -> Case:
    """A case of ``ember.nn.functional.<name>(*args, **kwargs)``."""
    return Case(F + name, variant, dtype, args, kwargs)


def per_dtype(name: str, shapes: dict[str, tuple], kw: dict | None = None,
              dtypes: tuple[str, ...] = F64, domain: str = "real"
              ) -> Callable[[Any], Iterator[Case]]:
    """One case per (variant, dtype): each variant is a tuple of input shapes."""
    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            for variant, in_shapes in shapes.items():
                args = tuple(tensor(rng, s, dt, domain) for s in in_shapes)
                yield fcase(name, variant, dt, *args, **dict(kw or {}))

    return gen


def fentry(name: str, samples: Callable[[Any], Iterator[Case]],
           errors: Callable[[Any], Iterator[Case]] | None = None,
           dtypes: tuple[str, ...] = F64, tols: dict[str, Tol] | None = None) -> OpEntry:
    """The entry of ``ember.nn.functional.<name>``."""
    return OpEntry(F + name, dtypes, samples, errors, dict(NN_TOLS if tols is None else tols))


def only(name: str, gen: Callable[[Any], Iterator[Case]]) -> Callable[[Any], Iterator[Case]]:
    """The cases of ``gen`` (which yields several functions' cases) for ``name`` alone."""
    def sub(rng: Any) -> Iterator[Case]:
        yield from (c for c in gen(rng) if c.op == F + name)

    return sub
