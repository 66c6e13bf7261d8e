"""Entries for shape ops: reshaping, transposing, joining, splitting, flipping, triangles.

Shape ops move values without computing on them, so each runs on a few representative
dtypes (float32, int64, bool, float16) rather than all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import ALL, Case, OpEntry, TensorArg
from ._inputs import tensor

__all__ = ["entries", "SHAPE_DTYPES"]

SHAPE_DTYPES = ("float32", "int64", "bool", "float16", "uint8")

# op: list of (variant, input shape, view, extra args, kwargs)
_UNARY_SHAPE: dict[str, list[tuple[str, tuple, str | None, tuple, dict]]] = {
    "reshape": [("2d-to-1d", (3, 4), None, ((12,),), {}),
                ("infer", (2, 3, 4), None, ((4, -1),), {}),
                ("noncontig", (3, 4), "T", ((2, 6),), {}), ("to-0d", (1,), None, ((),), {}),
                ("empty", (0, 3), None, ((3, 0),), {})],
    "flatten": [("all", (2, 3, 4), None, (), {}), ("range", (2, 3, 4), None, (1, -1), {}),
                ("0d", (), None, (), {}), ("noncontig", (3, 4), "T", (), {})],
    "ravel": [("2d", (3, 4), None, (), {}), ("noncontig", (3, 4), "T", (), {})],
    "unflatten": [("dim1", (2, 12), None, (1, (3, 4)), {}),
                  ("neg", (2, 6), None, (-1, (2, -1)), {})],
    "squeeze": [("all", (1, 3, 1), None, (), {}), ("dim", (1, 3, 1), None, (-1,), {}),
                ("noop", (2, 3), None, (0,), {}), ("0d", (), None, (), {})],
    "unsqueeze": [("front", (3, 4), None, (0,), {}), ("neg", (3, 4), None, (-1,), {}),
                  ("0d", (), None, (0,), {})],
    "transpose": [("2d", (3, 4), None, (0, 1), {}), ("neg", (2, 3, 4), None, (-1, 0), {}),
                  ("noncontig", (3, 4), "T", (0, 1), {})],
    "swapaxes": [("3d", (2, 3, 4), None, (0, 2), {})],
    "swapdims": [("3d", (2, 3, 4), None, (1, -1), {})],
    "permute": [("3d", (2, 3, 4), None, ((2, 0, 1),), {}),
                ("neg", (2, 3, 4), None, ((-1, -2, 0),), {})],
    "movedim": [("one", (2, 3, 4), None, (0, -1), {}),
                ("many", (2, 3, 4), None, ((0, 1), (2, 0)), {})],
    "moveaxis": [("one", (2, 3, 4), None, (2, 0), {})],
    "t": [("2d", (3, 4), None, (), {}), ("1d", (4,), None, (), {})],
    "broadcast_to": [("2d", (1, 4), None, ((3, 4),), {}),
                     ("new-dims", (4,), None, ((2, 3, 4),), {})],
    "flip": [("dims", (3, 4), None, ((0, 1),), {}), ("neg", (2, 3, 4), None, ((-1,),), {}),
             ("noncontig", (3, 4), "T", ((0,),), {})],
    "fliplr": [("2d", (3, 4), None, (), {})],
    "flipud": [("2d", (3, 4), None, (), {})],
    "roll": [("flat", (3, 4), None, (5,), {}), ("dims", (3, 4), None, ((1, -1), (0, 1)), {}),
             ("neg", (3, 4), None, (-2, -1), {})],
    "rot90": [("k1", (3, 4), None, (), {}), ("k-1", (3, 4), None, (-1, (0, 1)), {}),
              ("k2", (2, 3), None, (2,), {})],
    "tile": [("2d", (2, 3), None, ((2, 1),), {}), ("extra-dims", (3,), None, ((2, 2),), {})],
    "repeat_interleave": [("int", (2, 3), None, (2,), {}), ("dim", (2, 3), None, (2,), {"dim": 1}),
                          ("tensor", (3,), None, (TensorArg([1, 0, 2], "int64"),), {})],
    "narrow": [("dim0", (4, 5), None, (0, 1, 2), {}), ("neg", (4, 5), None, (-1, 2, 3), {})],
    "select": [("dim0", (4, 5), None, (0, 2), {}), ("neg-index", (4, 5), None, (1, -1), {})],
    "diagonal": [("main", (3, 4), None, (), {}), ("offset", (3, 4), None, (1,), {}),
                 ("neg-offset-3d", (2, 3, 3), None, (-1, 1, 2), {})],
    "diag": [("vec", (3,), None, (), {}),
             ("mat", (3, 4), None, (), {}), ("offset", (3,), None, (-1,), {})],
    "diag_embed": [("vec", (2, 3), None, (), {})],
    "diagflat": [("vec", (3,), None, (), {})],
    "tril": [("main", (3, 4), None, (), {}), ("offset", (3, 4), None, (-1,), {}),
             ("batched", (2, 3, 3), None, (1,), {})],
    "triu": [("main", (3, 4), None, (), {}), ("offset", (3, 4), None, (1,), {}),
             ("noncontig", (3, 4), "T", (), {})],
    "trace": [("square", (3, 3), None, (), {}), ("rect", (3, 4), None, (), {})],
    "atleast_1d": [("0d", (), None, (), {}), ("2d", (2, 3), None, (), {})],
    "atleast_2d": [("0d", (), None, (), {}), ("1d", (3,), None, (), {})],
    "atleast_3d": [("1d", (3,), None, (), {}), ("2d", (2, 3), None, (), {})],
    "unbind": [("dim0", (3, 4), None, (), {}), ("neg", (2, 3), None, (-1,), {})],
    "chunk": [("even", (6, 2), None, (3,), {}), ("uneven", (5, 2), None, (2,), {}),
              ("dim", (2, 7), None, (3, 1), {})],
    "split": [("size", (5, 2), None, (2,), {}), ("sizes", (6, 2), None, ((1, 2, 3),), {}),
              ("dim", (2, 5), None, (2, -1), {})],
    "tensor_split": [("sections", (7, 2), None, (3,), {}), ("indices", (6,), None, ((1, 4),), {})],
    "hsplit": [("2d", (2, 6), None, (3,), {})],
    "vsplit": [("2d", (4, 3), None, (2,), {})],
    "clone": [("2d", (3, 4), None, (), {}), ("noncontig", (3, 4), "T", (), {})],
    "count_nonzero": [("all", (3, 4), None, (), {}), ("dim", (3, 4), None, (1,), {})],
    "cumulative_trapezoid": [("1d", (5,), None, (), {})],
    "trapezoid": [("1d", (5,), None, (), {})],
    "adjoint": [("2d", (3, 4), None, (), {}), ("batched", (2, 3, 4), None, (), {})],
    "diff": [("last", (3, 5), None, (), {}), ("n2-dim0", (4, 3), None, (2, 0), {}),
             ("noncontig", (3, 4), "T", (), {})],
}

_UNARY_ERRORS: dict[str, list[tuple[str, tuple, tuple, dict]]] = {
    "reshape": [("bad-size", (3, 4), ((5,),), {}), ("two-infer", (3, 4), ((-1, -1),), {})],
    "squeeze": [("dim-out-of-range", (1, 3), (3,), {})],
    "unsqueeze": [("dim-out-of-range", (3, 4), (4,), {})],
    "transpose": [("dim-out-of-range", (3, 4), (0, 2), {})],
    "permute": [("not-a-permutation", (2, 3), ((0, 0),), {})],
    "broadcast_to": [("incompatible", (3, 4), ((2, 4),), {})],
    "narrow": [("too-long", (4, 5), (0, 3, 2), {})],
    "select": [("index-out-of-range", (4, 5), (0, 4), {})],
    "flip": [("dim-out-of-range", (3, 4), ((2,),), {})],
    "t": [("3d", (2, 3, 4), (), {})],
}


#: Ops that compute on values (no bool), and those defined for floats only.
_NUMERIC = {"trace": ("float32", "int64", "float16", "uint8"),
            "diff": ("float32", "int64", "float16", "uint8"),
            "trapezoid": ("float32", "float64"), "cumulative_trapezoid": ("float32", "float64")}


def _unary_shape(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for variant, shape, view, args, kw in _UNARY_SHAPE[op]:
            first = variant == _UNARY_SHAPE[op][0][0]
            for dt in _NUMERIC.get(op, SHAPE_DTYPES) if first else ("float32",):
                yield Case(op, variant, dt, (tensor(rng, shape, dt, view=view), *args), dict(kw))

    return gen


def _unary_errors(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for variant, shape, args, kw in _UNARY_ERRORS[op]:
            yield Case(op, variant, "float32", (tensor(rng, shape, "float32"), *args), dict(kw))

    return gen


def _join(op: str) -> Callable[[Any], Iterator[Case]]:
    stacking = op in ("stack", "hstack", "vstack", "dstack", "column_stack", "row_stack")

    def gen(rng: Any) -> Iterator[Case]:
        for dt in SHAPE_DTYPES:
            a, b = tensor(rng, (2, 3), dt), tensor(rng, (2, 3), dt)
            yield Case(op, "two", dt, ([a, b],))
        t = lambda shape, dt="float32", view=None: tensor(rng, shape, dt, view=view)  # noqa
        if op in ("cat", "concat", "concatenate", "stack"):
            yield Case(op, "dim1", "float32", ([t((2, 3)), t((2, 3))], 1))
            yield Case(op, "neg-dim", "float32", ([t((2, 3)), t((2, 3)), t((2, 3))], -1))
            yield Case(op, "noncontig", "float32", ([t((3, 4), view="T"), t((3, 4))],))
            yield Case(op, "promote", "int32+float64", ([t((2,), "int32"), t((2,), "float64")],))
        if not stacking and op != "column_stack":
            yield Case(op, "uneven", "float32", ([t((1, 3)), t((3, 3))],))
            yield Case(op, "with-empty", "float32", ([t((2, 3)), t((0, 3))],))
        if op in ("hstack", "vstack", "dstack", "column_stack", "row_stack"):
            yield Case(op, "1d", "float32", ([t((3,)), t((3,))],))

    return gen


def _join_errors(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "shape-mismatch", "float32",
                   ([tensor(rng, (2, 3), "float32"), tensor(rng, (3, 4), "float32")],))
        yield Case(op, "empty-list", "float32", ([],))

    return gen


def _meshgrid(rng: Any) -> Iterator[Case]:
    x, y = tensor(rng, (3,), "float32"), tensor(rng, (4,), "float32")
    yield Case("meshgrid", "ij", "float32", (x, y), {"indexing": "ij"})
    yield Case("meshgrid", "xy", "float32", (x, y), {"indexing": "xy"})


def _broadcast_tensors(rng: Any) -> Iterator[Case]:
    yield Case("broadcast_tensors", "two", "float32",
               (tensor(rng, (3, 1), "float32"), tensor(rng, (4,), "int64")))


def _cartesian(rng: Any) -> Iterator[Case]:
    yield Case("cartesian_prod", "two", "int64",
               (tensor(rng, (2,), "int64"), tensor(rng, (3,), "int64")))


def _block_diag(rng: Any) -> Iterator[Case]:
    yield Case("block_diag", "two", "float32",
               (tensor(rng, (2, 2), "float32"), tensor(rng, (1, 3), "float32")))


def _broadcast_shapes(rng: Any) -> Iterator[Case]:
    yield Case("broadcast_shapes", "two", "none", ((2, 1), (3,)))
    yield Case("broadcast_shapes", "three", "none", ((1,), (4, 1, 1), (3, 1)))
    yield Case("broadcast_shapes", "empty", "none", ((0, 1), (3,)))


def _broadcast_shapes_errors(rng: Any) -> Iterator[Case]:
    yield Case("broadcast_shapes", "incompatible", "none", ((2, 3), (4,)))


def entries() -> list[OpEntry]:
    out = []
    for op in _UNARY_SHAPE:
        errors = _unary_errors(op) if op in _UNARY_ERRORS else None
        out.append(OpEntry(op, _NUMERIC.get(op, SHAPE_DTYPES), _unary_shape(op), errors))
    for op in ("cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack",
               "column_stack", "row_stack"):
        out.append(OpEntry(op, SHAPE_DTYPES, _join(op), _join_errors(op)))
    out += [
        OpEntry("meshgrid", ("float32",), _meshgrid),
        OpEntry("broadcast_tensors", ALL, _broadcast_tensors),
        OpEntry("cartesian_prod", ("int64",), _cartesian),
        OpEntry("block_diag", ("float32",), _block_diag),
        OpEntry("broadcast_shapes", (), _broadcast_shapes, _broadcast_shapes_errors),
    ]
    return out
