"""Entries for products (``matmul``, ``einsum``, ...) and ``ember.linalg``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import FLOATS, Case, OpEntry, TensorArg, Tol
from ._inputs import tensor, values

__all__ = ["entries"]

_PROD_DTYPES = ("float32", "float64", "int64", "float16", "bfloat16", "int32")
_TOLS = {"float32": Tol(1e-4, 1e-4), "float64": Tol(1e-9, 1e-9),
         "float16": Tol(1e-2, 1e-2), "bfloat16": Tol(5e-2, 5e-2)}
_F = ("float32", "float64")
L = "ember.linalg."


def _well_conditioned(rng: Any, n: int, dtype: str, batch: tuple[int, ...] = ()) -> TensorArg:
    """A diagonally dominant matrix (or batch of them): invertible, well conditioned."""

    def one() -> list[list[float]]:
        m = values(rng, (n, n), "float64", "small")
        for i in range(n):
            m[i][i] += 4.0 if rng.random() < 0.5 else -4.0
        return m

    def build(dims: tuple[int, ...]) -> Any:
        return one() if not dims else [build(dims[1:]) for _ in range(dims[0])]

    return TensorArg(build(batch), dtype)


def _products(op: str, shapes: list[tuple[str, tuple, ...]], dtypes=_PROD_DTYPES,
              kw: dict | None = None) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for i, (variant, *operand_shapes) in enumerate(shapes):
            for dt in dtypes if i == 0 else _F:
                ops = tuple(tensor(rng, s, dt, "small") if isinstance(s, tuple) else s
                            for s in operand_shapes)
                yield Case(op, variant, dt, ops, dict(kw or {}))

    return gen


def _shape_error(op: str, *shapes: tuple) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "shape-mismatch", "float32",
                   tuple(tensor(rng, s, "float32") for s in shapes))

    return gen


def _square(op: str, dtypes=_F, batched: bool = True) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            yield Case(op, "3x3", dt, (_well_conditioned(rng, 3, dt),))
            if batched:
                yield Case(op, "batched", dt, (_well_conditioned(rng, 2, dt, (2,)),))
        yield Case(op, "1x1", "float64", (_well_conditioned(rng, 1, "float64"),))

    return gen


def _solve(rng: Any) -> Iterator[Case]:
    for dt in _F:
        yield Case(L + "solve", "matrix-rhs", dt, (_well_conditioned(rng, 3, dt),
                                                  tensor(rng, (3, 2), dt)))
        yield Case(L + "solve", "batched", dt, (_well_conditioned(rng, 2, dt, (2,)),
                                               tensor(rng, (2, 2, 1), dt)))


def _singular(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "not-square", "float32", (tensor(rng, (2, 3), "float32"),))
        yield Case(op, "int-input", "int64", (TensorArg([[1, 0], [0, 1]], "int64"),))

    return gen


def _norms(op: str, variants: list[tuple[str, tuple, dict]]) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for i, (variant, shape, kw) in enumerate(variants):
            for dt in FLOATS if i == 0 else _F:
                yield Case(op, variant, dt, (tensor(rng, shape, dt),), dict(kw))

    return gen


def _einsum(rng: Any) -> Iterator[Case]:
    t = lambda s, dt="float32": tensor(rng, s, dt, "small")  # noqa: E731
    yield Case("einsum", "matmul", "float32", ("ij,jk->ik", t((2, 3)), t((3, 4))))
    yield Case("einsum", "trace", "float64", ("ii->", t((3, 3), "float64")))
    yield Case("einsum", "diagonal", "float32", ("ii->i", t((3, 3))))
    yield Case("einsum", "batched", "float32", ("bij,bjk->bik", t((2, 2, 3)), t((2, 3, 2))))
    yield Case("einsum", "outer-implicit", "int64", ("i,j", t((3,), "int64"), t((2,), "int64")))
    yield Case("einsum", "transpose-sum", "float32", ("ij->j", t((3, 4))))
    yield Case("einsum", "ellipsis", "float32", ("...ij,...jk", t((2, 2, 3)), t((3, 2))))


def _tensordot(rng: Any) -> Iterator[Case]:
    t = lambda s: tensor(rng, s, "float32", "small")  # noqa: E731
    yield Case("tensordot", "dims1", "float32", (t((2, 3)), t((3, 4))), {"dims": 1})
    yield Case("tensordot", "dims2", "float32", (t((2, 3, 4)), t((3, 4, 2))))
    yield Case("tensordot", "dims-lists", "float32", (t((3, 2)), t((3, 4))),
               {"dims": ([0], [0])})


def _multi_dot(rng: Any) -> Iterator[Case]:
    for dt in _F:
        ms = [tensor(rng, s, dt, "small") for s in ((2, 3), (3, 4), (4, 2))]
        yield Case(L + "multi_dot", "three", dt, (ms,))
        yield Case(L + "multi_dot", "vector-ends", dt,
                   ([tensor(rng, (3,), dt), tensor(rng, (3, 2), dt), tensor(rng, (2,), dt)],))


def entries() -> list[OpEntry]:
    T = _TOLS
    mm_shapes = [("2d", (3, 4), (4, 2)), ("1d-1d", (4,), (4,)), ("1d-2d", (3,), (3, 2)),
                 ("2d-1d", (2, 3), (3,)), ("batched-broadcast", (2, 3, 4), (4, 5)),
                 ("batch-dims", (2, 1, 2, 3), (3, 3, 2)), ("empty", (0, 3), (3, 2)),
                 ("0-inner", (2, 0), (0, 3))]
    out = [
        OpEntry("matmul", _PROD_DTYPES, _products("matmul", mm_shapes),
                _shape_error("matmul", (2, 3), (4, 2)), tols=T),
        OpEntry(L + "matmul", _F, _products(L + "matmul", mm_shapes[:3], _F), tols=T),
        OpEntry("mm", _PROD_DTYPES, _products("mm", [("2d", (3, 4), (4, 2))]),
                _shape_error("mm", (2, 3), (4, 2)), tols=T),
        OpEntry("bmm", _PROD_DTYPES, _products("bmm", [("3d", (2, 3, 4), (2, 4, 2))]),
                _shape_error("bmm", (2, 3, 4), (3, 4, 2)), tols=T),
        OpEntry("mv", _PROD_DTYPES, _products("mv", [("2d", (3, 4), (4,))]),
                _shape_error("mv", (3, 4), (3,)), tols=T),
        OpEntry("dot", _PROD_DTYPES, _products("dot", [("1d", (5,), (5,)), ("empty", (0,), (0,))]),
                _shape_error("dot", (3,), (4,)), tols=T),
        OpEntry("vdot", _F, _products("vdot", [("1d", (5,), (5,))], _F), tols=T),
        OpEntry("inner", _PROD_DTYPES, _products("inner", [("2d", (2, 3), (4, 3)),
                                                           ("1d", (3,), (3,))]), tols=T),
        OpEntry("outer", _PROD_DTYPES, _products("outer", [("1d", (3,), (4,))]), tols=T),
        OpEntry("addmm", _PROD_DTYPES, _products("addmm", [("2d", (3, 2), (3, 4), (4, 2)),
                                                           ("broadcast", (2,), (3, 4), (4, 2))]),
                tols=T),
        OpEntry("addmv", _F, _products("addmv", [("2d", (3,), (3, 4), (4,))], _F,
                                       {"beta": 0.5, "alpha": 2.0}), tols=T),
        OpEntry("baddbmm", _F, _products("baddbmm", [("3d", (2, 3, 2), (2, 3, 4), (2, 4, 2))],
                                         _F), tols=T),
        OpEntry("addbmm", _F, _products("addbmm", [("3d", (3, 2), (2, 3, 4), (2, 4, 2))], _F),
                tols=T),
        OpEntry("kron", _PROD_DTYPES, _products("kron", [("2d", (2, 2), (2, 3))]), tols=T),
        OpEntry("cross", _F, _products("cross", [("3vec", (4, 3), (4, 3))], _F, {"dim": 1}),
                tols=T),
        OpEntry(L + "cross", _F, _products(L + "cross", [("3vec", (2, 3), (2, 3))], _F), tols=T),
        OpEntry(L + "vecdot", _F, _products(L + "vecdot", [("2d", (2, 4), (2, 4))], _F), tols=T),
        OpEntry("cdist", _F, _products("cdist", [("p2", (3, 2), (4, 2))], _F), tols=T),
        OpEntry("dist", _F, _products("dist", [("p2", (3, 2), (3, 2))], _F), tols=T),
        OpEntry("einsum", _F, _einsum, tols=T),
        OpEntry("tensordot", ("float32",), _tensordot, tols=T),
        OpEntry(L + "multi_dot", _F, _multi_dot, tols=T),
        OpEntry("det", _F, _square("det"), tols=T),
        OpEntry(L + "det", _F, _square(L + "det"), _singular(L + "det"), tols=T),
        OpEntry("inverse", _F, _square("inverse"), tols=T),
        OpEntry(L + "inv", _F, _square(L + "inv"), _singular(L + "inv"), tols=T),
        OpEntry("logdet", _F, _square("logdet"), tols=T),
        OpEntry("slogdet", _F, _square("slogdet"), tols=T),
        OpEntry(L + "slogdet", _F, _square(L + "slogdet"), tols=T),
        OpEntry(L + "solve", _F, _solve, tols=T),
        OpEntry(L + "svdvals", _F, _square(L + "svdvals"), tols=T),
        OpEntry(L + "matrix_rank", _F, _square(L + "matrix_rank"), tols=T),
        OpEntry("norm", FLOATS, _norms("norm", [("fro", (3, 4), {}), ("p1-dim", (3, 4),
                                                                        {"p": 1, "dim": 1})]),
                tols=T),
        OpEntry(L + "norm", FLOATS, _norms(L + "norm", [("vector", (5,), {}),
                                                        ("matrix", (3, 4), {})]), tols=T),
        OpEntry(L + "vector_norm", FLOATS, _norms(L + "vector_norm", [
            ("l2", (3, 4), {}), ("l1-dim", (3, 4), {"ord": 1, "dim": 0}),
            ("inf", (3, 4), {"ord": float("inf")}), ("l0-keepdim", (3, 4),
                                                     {"ord": 0, "dim": 1, "keepdim": True})]),
                tols=T),
        OpEntry(L + "matrix_norm", FLOATS, _norms(L + "matrix_norm", [
            ("fro", (3, 4), {}), ("nuc", (3, 3), {"ord": "nuc"}), ("1", (3, 4), {"ord": 1}),
            ("inf-batched", (2, 3, 3), {"ord": float("inf")})]), tols=T),
    ]
    return out
