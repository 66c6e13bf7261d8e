"""Entries for ``where``, ``clamp``/``clip``, ``lerp``, ``addcmul`` and ``addcdiv``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import ALL, FLOATS, REALS, Case, OpEntry, TensorArg
from ._inputs import special, tensor
from ._unary import is_full

__all__ = ["entries"]


def _where(rng: Any) -> Iterator[Case]:
    for dt in ALL:
        c = lambda shape, view=None: tensor(rng, shape, "bool", view=view)  # noqa: E731
        t = lambda shape, view=None, dt=dt: tensor(rng, shape, dt, view=view)  # noqa
        yield Case("where", "2d", dt, (c((4, 5)), t((4, 5)), t((4, 5))))
        yield Case("where", "broadcast", dt, (c((4, 1)), t((1, 5)), t((4, 5))))
        if is_full(dt, ALL):
            yield Case("where", "0d", dt, (c(()), t(()), t(())))
            yield Case("where", "empty", dt, (c((0, 3)), t((0, 3)), t((1, 3))))
            yield Case("where", "noncontig", dt, (c((3, 4), "T"), t((3, 4), "step"),
                                                  t((3, 4), "T")))
            yield Case("where", "scalar-other", dt, (c((2, 3)), t((2, 3)), 0))
        if dt in FLOATS:
            sp = special(dt)
            n = len(sp.data)
            cond = TensorArg([i % 2 == 0 for i in range(n)], "bool")
            yield Case("where", "special", dt, (cond, sp, TensorArg([0.0] * n, dt)))
    for a, b in (("int32", "float32"), ("bool", "int64"), ("float16", "float64")):
        yield Case("where", "promote", f"{a}+{b}",
                   (tensor(rng, (2, 3), "bool"), tensor(rng, (2, 3), a), tensor(rng, (3,), b)))


def _where_errors(rng: Any) -> Iterator[Case]:
    yield Case("where", "int-condition", "float32",
               (TensorArg([1, 0], "int64"), TensorArg([1.0, 2.0], "float32"),
                TensorArg([3.0, 4.0], "float32")))
    yield Case("where", "shape-mismatch", "float32",
               (tensor(rng, (2, 3), "bool"), tensor(rng, (2, 3), "float32"),
                tensor(rng, (4,), "float32")))


def _clamp(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in REALS:
            t = lambda shape, dom="real", view=None, dt=dt: tensor(rng, shape, dt, dom, view)  # noqa
            lo, hi = (-1, 2) if dt != "uint8" else (2, 6)
            if dt in FLOATS:
                lo, hi = -1.25, 1.5
            yield Case(op, "min-max", dt, (t((4, 5)),), {"min": lo, "max": hi})
            yield Case(op, "min-only", dt, (t((4, 5)),), {"min": lo})
            yield Case(op, "max-only", dt, (t((4, 5)),), {"max": hi})
            if is_full(dt, REALS):
                yield Case(op, "0d", dt, (t(()),), {"min": lo, "max": hi})
                yield Case(op, "empty", dt, (t((0, 2)),), {"min": lo, "max": hi})
                yield Case(op, "noncontig", dt, (t((3, 4), view="T"),), {"min": lo, "max": hi})
                yield Case(op, "min-gt-max", dt, (t((2, 3)),), {"min": hi, "max": lo})
                yield Case(op, "tensor-bounds", dt, (t((3, 4)), t((4,)), t((3, 1))))
            if dt in FLOATS:
                yield Case(op, "special", dt, (special(dt),), {"min": -1.0, "max": 1.0})
        yield Case(op, "int-float-bound", "int64", (tensor(rng, (3, 4), "int64"),),
                   {"min": -1.5, "max": 2.5})

    return gen


def _clamp_errors(op: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "no-bounds", "float32", (tensor(rng, (3,), "float32"),))

    return gen


def _lerp(rng: Any) -> Iterator[Case]:
    for dt in FLOATS:
        t = lambda shape, view=None, dt=dt: tensor(rng, shape, dt, view=view)  # noqa
        yield Case("lerp", "scalar-weight", dt, (t((4, 5)), t((4, 5)), 0.3))
        yield Case("lerp", "tensor-weight", dt, (t((3, 4)), t((4,)), tensor(rng, (3, 1), dt,
                                                                               "unit")))
        yield Case("lerp", "0d", dt, (t(()), t(()), 0.75))
        yield Case("lerp", "noncontig", dt, (t((3, 4), "T"), t((3, 4), "step"), 0.5))
        yield Case("lerp", "empty", dt, (t((0, 4)), t((0, 4)), 0.5))
        yield Case("lerp", "special", dt, (special(dt), TensorArg([1.0] * 10, dt), 0.5))


def _addc(op: str, dtypes: tuple[str, ...], domain2: str) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in dtypes:
            t = lambda shape, dom="real", view=None, dt=dt: tensor(rng, shape, dt, dom, view)  # noqa
            yield Case(op, "2d", dt, (t((4, 5)), t((4, 5)), t((4, 5), domain2)))
            yield Case(op, "broadcast", dt, (t((3, 1)), t((1, 4)), t((3, 4), domain2)))
            value = 0.5 if dt in FLOATS else 2
            yield Case(op, "value", dt, (t((2, 3)), t((2, 3)), t((3,), domain2)),
                       {"value": value})
            if is_full(dt, dtypes):
                yield Case(op, "0d", dt, (t(()), t(()), t((), domain2)))
                yield Case(op, "empty", dt, (t((0, 3)), t((0, 3)), t((1, 3), domain2)))
                yield Case(op, "noncontig", dt, (t((3, 4), view="T"), t((3, 4), view="step"),
                                                 t((3, 4), domain2)))

    return gen


def _addcdiv_errors(rng: Any) -> Iterator[Case]:
    yield Case("addcdiv", "int-operands", "int64",
               (tensor(rng, (3,), "float32"), tensor(rng, (3,), "int64"),
                tensor(rng, (3,), "int64", "nonzero")))


def _addcmul_errors(rng: Any) -> Iterator[Case]:
    yield Case("addcmul", "shape-mismatch", "float32",
               (tensor(rng, (2, 3), "float32"), tensor(rng, (2, 3), "float32"),
                tensor(rng, (4,), "float32")))


def entries() -> list[OpEntry]:
    return [
        OpEntry("where", ALL, _where, _where_errors),
        OpEntry("clamp", REALS, _clamp("clamp"), _clamp_errors("clamp")),
        OpEntry("clip", REALS, _clamp("clip"), _clamp_errors("clip")),
        OpEntry("lerp", FLOATS, _lerp),
        OpEntry("addcmul", REALS, _addc("addcmul", REALS, "real"), _addcmul_errors),
        OpEntry("addcdiv", FLOATS, _addc("addcdiv", FLOATS, "nonzero"), _addcdiv_errors),
    ]
