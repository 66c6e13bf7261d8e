"""Entries for random ops: the same seed must give the same values on every backend.

Each case seeds with ``manual_seed`` right before the call, so the expected values are
the reference backend's draw from the same Philox stream. PyTorch's generator differs by
design, so these cases are never compared with the PyTorch oracle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import DEVICE, FLOATS, Case, Dtype, OpEntry, TensorArg
from ._inputs import tensor

__all__ = ["entries", "SEED"]

SEED = 20240611
_NOTE = "Ember's Philox streams are not PyTorch's generator"


def seeded(op: str) -> Callable[..., Any]:
    """``call`` for a case: ``manual_seed(SEED)`` then ``ns.<op>(...)``."""

    def call(ns: Any, *args: Any, **kwargs: Any) -> Any:
        ns.manual_seed(SEED)
        return getattr(ns, op)(*args, **kwargs)

    return call


def _case(op: str, variant: str, dtype: str, args: tuple, kw: dict | None = None) -> Case:
    return Case(op, variant, dtype, args, dict(kw or {}), call=seeded(op), oracle=False,
                note=_NOTE)


def _floats(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield _case(op, "2d", "float32", (2, 3), {"device": DEVICE})
        yield _case(op, "odd-size", "float32", ((7,),), {"device": DEVICE})
        yield _case(op, "0d", "float32", ((),), {"device": DEVICE})
        yield _case(op, "empty", "float32", (0, 3), {"device": DEVICE})
        for dt in FLOATS[1:]:
            yield _case(op, "dtype", dt, (3, 2), {"dtype": Dtype(dt), "device": DEVICE})

    return gen


def _like(op: str, extra: tuple = ()) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in ("float32", "float64") if op != "randint_like" else ("int64", "float32"):
            yield _case(op, "2d", dt, (tensor(rng, (2, 3), dt), *extra))

    return gen


def _randint(rng: Any) -> Iterator[Case]:
    d = {"device": DEVICE}
    yield _case("randint", "low-high", "int64", (0, 10, (3, 4)), d)
    yield _case("randint", "high-only", "int64", (5, (2, 2)), d)
    yield _case("randint", "negative-int32", "int32", (-3, 3, (5,)),
                {"dtype": Dtype("int32"), **d})
    yield _case("randint", "wide", "int64", (0, 2**40, (4,)), d)
    yield _case("randint", "uint8", "uint8", (0, 256, (6,)), {"dtype": Dtype("uint8"), **d})


def _randperm(rng: Any) -> Iterator[Case]:
    d = {"device": DEVICE}
    yield _case("randperm", "n10", "int64", (10,), d)
    yield _case("randperm", "n0", "int64", (0,), d)
    yield _case("randperm", "int32", "int32", (6,), {"dtype": Dtype("int32"), **d})


def _normal(rng: Any) -> Iterator[Case]:
    yield _case("normal", "tensors", "float32",
                (tensor(rng, (2, 3), "float32"), tensor(rng, (2, 3), "float32", "pos")))
    yield _case("normal", "scalars-size", "float32", (2.0, 0.5, (3, 2)), {"device": DEVICE})
    yield _case("normal", "tensor-mean", "float64", (tensor(rng, (4,), "float64"), 1.0))


def _bernoulli(rng: Any) -> Iterator[Case]:
    for dt in ("float32", "float64"):
        yield _case("bernoulli", "tensor-p", dt, (TensorArg([[0.0, 0.25], [0.5, 1.0]], dt),))
        yield _case("bernoulli", "scalar-p", dt, (tensor(rng, (2, 5), dt),), {"p": 0.3})


def _multinomial(rng: Any) -> Iterator[Case]:
    p = TensorArg([0.1, 0.2, 0.3, 0.4], "float32")
    yield _case("multinomial", "without-replacement", "float32", (p, 3))
    yield _case("multinomial", "replacement", "float32", (p, 10), {"replacement": True})
    yield _case("multinomial", "2d", "float64",
                (TensorArg([[1.0, 0.0, 2.0], [0.5, 0.5, 0.0]], "float64"), 2))


def entries() -> list[OpEntry]:
    return [
        OpEntry("rand", FLOATS, _floats("rand")),
        OpEntry("randn", FLOATS, _floats("randn")),
        OpEntry("rand_like", FLOATS[:2], _like("rand_like")),
        OpEntry("randn_like", FLOATS[:2], _like("randn_like")),
        OpEntry("randint_like", ("int64", "float32"), _like("randint_like", (10,))),
        OpEntry("randint", ("int64", "int32", "uint8"), _randint),
        OpEntry("randperm", ("int64", "int32"), _randperm),
        OpEntry("normal", FLOATS[:2], _normal),
        OpEntry("bernoulli", FLOATS[:2], _bernoulli),
        OpEntry("multinomial", FLOATS[:2], _multinomial),
    ]
