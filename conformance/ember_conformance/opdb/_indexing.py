"""Entries for indexing ops: gather/scatter, index_*, masked_*, take, nonzero."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._core import Case, OpEntry, TensorArg
from ._inputs import tensor
from ._shape import SHAPE_DTYPES

__all__ = ["entries"]

_I = lambda data: TensorArg(data, "int64")  # noqa: E731


def _mask(rng: Any, shape: tuple[int, ...]) -> TensorArg:
    return tensor(rng, shape, "bool")


def _gather(rng: Any) -> Iterator[Case]:
    for dt in SHAPE_DTYPES:
        yield Case("gather", "dim1", dt, (tensor(rng, (3, 4), dt), 1, _I([[0, 3], [1, 1], [2, 0]])))
    yield Case("gather", "dim0-neg", "float32", (tensor(rng, (3, 4), "float32"), -2,
                                                 _I([[2, 0, 1, 0]])))
    yield Case("gather", "noncontig", "float32", (tensor(rng, (3, 4), "float32", view="T"), 0,
                                                  _I([[0, 1, 2, 2]])))


def _gather_errors(rng: Any) -> Iterator[Case]:
    yield Case("gather", "index-out-of-range", "float32",
               (tensor(rng, (3, 4), "float32"), 1, _I([[0, 4]])))


def _scatter(op: str) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in ("float32", "int64", "float64"):
            idx = _I([[0, 1, 2, 0], [2, 0, 1, 1]])
            yield Case(op, "src", dt, (tensor(rng, (3, 4), dt), 0, idx, tensor(rng, (2, 4), dt)))
        if op == "scatter":
            yield Case(op, "value", "float32", (tensor(rng, (3, 4), "float32"), 1,
                                                _I([[0], [3], [1]]), 2.5))
            yield Case(op, "reduce-add", "float32",
                       (tensor(rng, (3, 4), "float32"), 1, _I([[0, 0], [1, 1], [2, 2]]),
                        tensor(rng, (3, 2), "float32")), {"reduce": "add"})
        if op == "scatter_reduce":
            return

    return gen


def _scatter_reduce(rng: Any) -> Iterator[Case]:
    for red in ("sum", "prod", "mean", "amax", "amin"):
        yield Case("scatter_reduce", red, "float32",
                   (tensor(rng, (3, 4), "float32"), 0, _I([[0, 1, 0, 2], [0, 0, 1, 2]]),
                    tensor(rng, (2, 4), "float32"), red))


def _index_select(rng: Any) -> Iterator[Case]:
    for dt in SHAPE_DTYPES:
        yield Case("index_select", "dim0", dt, (tensor(rng, (4, 3), dt), 0, _I([3, 0, 0])))
    yield Case("index_select", "neg-dim", "float32", (tensor(rng, (4, 3), "float32"), -1,
                                                      _I([2, 1])))
    yield Case("index_select", "empty-index", "float32", (tensor(rng, (4, 3), "float32"), 0,
                                                          _I([])))


def _index_select_errors(rng: Any) -> Iterator[Case]:
    yield Case("index_select", "index-out-of-range", "float32",
               (tensor(rng, (4, 3), "float32"), 0, _I([4])))


def _masked_select(rng: Any) -> Iterator[Case]:
    for dt in SHAPE_DTYPES:
        yield Case("masked_select", "same", dt, (tensor(rng, (3, 4), dt), _mask(rng, (3, 4))))
    yield Case("masked_select", "broadcast", "float32", (tensor(rng, (3, 4), "float32"),
                                                         _mask(rng, (4,))))


def _masked_fill(rng: Any) -> Iterator[Case]:
    for dt in SHAPE_DTYPES:
        yield Case("masked_fill", "scalar", dt, (tensor(rng, (3, 4), dt), _mask(rng, (3, 4)), 1))
    yield Case("masked_fill", "broadcast", "float32", (tensor(rng, (3, 4), "float32"),
                                                       _mask(rng, (1, 4)), -2.5))
    yield Case("masked_fill", "0d-tensor-value", "float32",
               (tensor(rng, (3, 4), "float32"), _mask(rng, (3, 4)), TensorArg(7.0, "float32")))


def _masked_scatter(rng: Any) -> Iterator[Case]:
    for dt in (*SHAPE_DTYPES, "float64"):
        yield Case("masked_scatter", "same", dt, (tensor(rng, (3, 4), dt), _mask(rng, (3, 4)),
                                                  tensor(rng, (3, 4), dt)))
    yield Case("masked_scatter", "broadcast", "float64", (tensor(rng, (3, 4), "float64"),
                                                          _mask(rng, (4,)),
                                                          tensor(rng, (12,), "float64")))


def _masked_fill_errors(rng: Any) -> Iterator[Case]:
    yield Case("masked_fill", "int-mask", "float32",
               (tensor(rng, (2,), "float32"), _I([1, 0]), 1.0))


def _take(rng: Any) -> Iterator[Case]:
    yield Case("take", "flat", "float32", (tensor(rng, (3, 4), "float32"), _I([[0, 11], [-1, 5]])))
    yield Case("take", "noncontig", "int64", (tensor(rng, (3, 4), "int64", view="T"), _I([1, 2])))


def _take_along_dim(rng: Any) -> Iterator[Case]:
    yield Case("take_along_dim", "dim1", "float32",
               (tensor(rng, (3, 4), "float32"), _I([[0], [3], [2]]), 1))


def _nonzero(op: str) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in SHAPE_DTYPES:
            yield Case(op, "2d", dt, (tensor(rng, (3, 4), dt, "small"),))
        yield Case(op, "0d", "float32", (TensorArg(1.0, "float32"),))
        yield Case(op, "empty", "float32", (TensorArg([], "float32"),))
        if op == "nonzero":
            yield Case(op, "as-tuple", "int64", (tensor(rng, (3, 4), "int64", "small"),),
                       {"as_tuple": True})

    return gen


def _index_op(op: str) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        idx = _I([2, 0])
        if op == "index_fill":
            yield Case(op, "dim0", "float32", (tensor(rng, (3, 4), "float32"), 0, idx, -1.0))
            yield Case(op, "dim1", "int64", (tensor(rng, (3, 4), "int64"), 1, idx, 7))
            return
        for dt in ("float32", "int64"):
            yield Case(op, "dim0", dt, (tensor(rng, (3, 4), dt), 0, idx, tensor(rng, (2, 4), dt)))
        if op == "index_add":
            yield Case(op, "repeated-alpha", "float32",
                       (tensor(rng, (3, 4), "float32"), 1, _I([0, 0, 3]),
                        tensor(rng, (3, 3), "float32")), {"alpha": 2.0})

    return gen


def _index_put(rng: Any) -> Iterator[Case]:
    for dt in ("float32", "int64"):
        yield Case("index_put", "2d-pairs", dt, (tensor(rng, (3, 4), dt), (_I([0, 2]), _I([1, 3])),
                                                 tensor(rng, (2,), dt)))
    yield Case("index_put", "accumulate-repeats", "float32",
               (tensor(rng, (4,), "float32"), (_I([1, 1, 3]),), tensor(rng, (3,), "float32")),
               {"accumulate": True})
    yield Case("index_put", "bool-mask", "float32",
               (tensor(rng, (2, 3), "float32"), (_mask(rng, (2, 3)),), TensorArg(0.5, "float32")))


def _put(rng: Any) -> Iterator[Case]:
    for dt in ("float32", "int64"):
        yield Case("put", "flat", dt, (tensor(rng, (3, 4), dt), _I([0, 11, -1]),
                                       tensor(rng, (3,), dt)))
    yield Case("put", "accumulate", "float32", (tensor(rng, (2, 2), "float32"), _I([1, 1]),
                                                tensor(rng, (2,), "float32")), {"accumulate": True})


def entries() -> list[OpEntry]:
    sd = SHAPE_DTYPES
    return [
        OpEntry("gather", sd, _gather, _gather_errors),
        OpEntry("scatter", ("float32", "int64", "float64"), _scatter("scatter")),
        OpEntry("scatter_add", ("float32", "int64", "float64"), _scatter("scatter_add")),
        OpEntry("scatter_reduce", ("float32",), _scatter_reduce),
        OpEntry("index_select", sd, _index_select, _index_select_errors),
        OpEntry("masked_select", sd, _masked_select),
        OpEntry("masked_fill", sd, _masked_fill, _masked_fill_errors),
        OpEntry("masked_scatter", (*sd, "float64"), _masked_scatter),
        OpEntry("take", ("float32", "int64"), _take),
        OpEntry("take_along_dim", ("float32",), _take_along_dim),
        OpEntry("nonzero", sd, _nonzero("nonzero")),
        OpEntry("argwhere", sd, _nonzero("argwhere")),
        OpEntry("index_add", ("float32", "int64"), _index_op("index_add")),
        OpEntry("index_copy", ("float32", "int64"), _index_op("index_copy")),
        OpEntry("index_fill", ("float32", "int64"), _index_op("index_fill")),
        OpEntry("index_put", ("float32", "int64"), _index_put),
        OpEntry("put", ("float32", "int64"), _put),
    ]
