"""Entries for creation functions: ``tensor``, ``zeros``, ``arange``, ``linspace``, ``*_like``."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import Any

from ._core import ALL, DEVICE, FLOATS, REALS, Case, Dtype, OpEntry, Tol
from ._inputs import tensor, values

__all__ = ["entries"]

_D = {"device": DEVICE}


def _tensor_like(op: str) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        inferred = {"ints": [1, 2, 3], "floats": [1.0, 2, -0.5], "bools": [True, False],
                    "nested": [[1.5, 2.0], [3.0, -4.25]], "0d": 3.25, "empty": [],
                    "empty-2d": [[], []], "mixed-bool-int": [True, 2],
                    "special": [math.nan, math.inf, -math.inf, -0.0]}
        for name, data in inferred.items():
            yield Case(op, f"inferred-{name}", "auto", (data,), dict(_D))
        for dt in ALL:
            data = values(rng, (2, 3), dt)
            yield Case(op, "explicit", dt, (data,), {"dtype": Dtype(dt), **_D})
        for dt in ("int32", "uint8", "bool", "float16"):
            yield Case(op, "cast-from-float", dt, ([0.0, 1.5, 2.75, 3.0],),
                       {"dtype": Dtype(dt), **_D})
        yield Case(op, "int-boundary", "int64", ([2**63 - 1, -(2**63)],),
                   {"dtype": Dtype("int64"), **_D})

    return gen


def _filled(op: str) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        for name, size in (("varargs", (2, 3)), ("tuple", ((2, 3),)), ("0d", ((),)),
                           ("empty", (0,)), ("3d", (2, 1, 3))):
            yield Case(op, name, "default", size, dict(_D), values=op != "empty")
        for dt in ALL:
            yield Case(op, "dtype", dt, ((2, 2),), {"dtype": Dtype(dt), **_D},
                       values=op != "empty")

    return gen


def _full(rng: Any) -> Iterator[Case]:
    for name, fill in (("float", 7.5), ("int", 3), ("bool", True), ("nan", math.nan),
                       ("neg-inf", -math.inf)):
        yield Case("full", f"infer-{name}", "auto", ((2, 3), fill), dict(_D))
    for dt in ALL:
        yield Case("full", "dtype", dt, ((2, 2), 1), {"dtype": Dtype(dt), **_D})
    yield Case("full", "float-to-int", "int32", ((3,), 2.75), {"dtype": Dtype("int32"), **_D})
    yield Case("full", "0d", "float32", ((), -1.5), dict(_D))
    yield Case("full", "empty", "float32", ((0, 2), 1.0), dict(_D))


def _eye(rng: Any) -> Iterator[Case]:
    for name, args in (("square", (3,)), ("rect", (2, 4)), ("tall", (4, 2)), ("empty", (0,))):
        yield Case("eye", name, "default", args, dict(_D))
    for dt in ("int64", "bool", "float64", "float16", "uint8"):
        yield Case("eye", "dtype", dt, (3,), {"dtype": Dtype(dt), **_D})


def _arange(rng: Any) -> Iterator[Case]:
    for name, args in (("end", (5,)), ("start-end-step", (1, 10, 3)), ("float", (0.5, 3.0, 0.5)),
                       ("negative-step", (10, 0, -2)), ("float-step", (0, 1, 0.1)),
                       ("empty", (3, 3)), ("float-negative", (1.0, -1.0, -0.25))):
        yield Case("arange", name, "auto", args, dict(_D))
    for dt in ("float64", "float16", "bfloat16", "int32", "int8", "uint8"):
        yield Case("arange", "dtype", dt, (0, 6, 1), {"dtype": Dtype(dt), **_D})


def _arange_errors(rng: Any) -> Iterator[Case]:
    yield Case("arange", "zero-step", "auto", (0, 5, 0), dict(_D))
    yield Case("arange", "wrong-direction", "auto", (0, 5, -1), dict(_D))


def _range(ns: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ns.range(*args, **kwargs)


def _range_cases(rng: Any) -> Iterator[Case]:
    for name, args in (("end", (0, 4)), ("float-step", (1, 2, 0.25)), ("negative", (3, -3, -1.5))):
        yield Case("range", name, "default", args, dict(_D), call=_range)
    yield Case("range", "dtype", "int64", (0, 5), {"dtype": Dtype("int64"), **_D}, call=_range)


def _linspace(rng: Any) -> Iterator[Case]:
    for name, args in (("unit", (0, 1, 5)), ("negative", (2, -2, 7)), ("one", (0, 10, 1)),
                       ("zero", (0, 10, 0)), ("many", (-1.5, 2.5, 17))):
        yield Case("linspace", name, "default", args, dict(_D))
    for dt in ("float64", "float16", "bfloat16", "int64"):
        yield Case("linspace", "dtype", dt, (0, 10, 4), {"dtype": Dtype(dt), **_D})


def _logspace(rng: Any) -> Iterator[Case]:
    yield Case("logspace", "base10", "default", (0, 2, 3), dict(_D))
    yield Case("logspace", "base2", "default", (-1, 1, 5), {"base": 2.0, **_D})
    yield Case("logspace", "float64", "float64", (0, 1, 4), {"dtype": Dtype("float64"), **_D})


def _like(op: str, fill: tuple = ()) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in ALL:
            yield Case(op, "same", dt, (tensor(rng, (2, 3), dt), *fill), dict(_D),
                       values=op != "empty_like")
        yield Case(op, "noncontig", "float32", (tensor(rng, (3, 4), "float32", view="T"),
                                                *fill), values=op != "empty_like")
        yield Case(op, "0d", "int64", (tensor(rng, (), "int64"), *fill),
                   values=op != "empty_like")
        yield Case(op, "empty", "float32", (tensor(rng, (0, 2), "float32"), *fill),
                   values=op != "empty_like")
        yield Case(op, "dtype-override", "int32+float64", (tensor(rng, (2, 2), "int32"), *fill),
                   {"dtype": Dtype("float64")}, values=op != "empty_like")

    return gen


def _size_errors(op: str, extra: tuple = ()) -> Any:
    def gen(rng: Any) -> Iterator[Case]:
        yield Case(op, "negative-size", "default", ((2, -1), *extra), dict(_D))

    return gen


def entries() -> list[OpEntry]:
    loose = {"float32": Tol(1e-5, 1e-5), "float16": Tol(4e-3, 4e-3)}
    return [
        OpEntry("tensor", ALL, _tensor_like("tensor")),
        OpEntry("as_tensor", ALL, _tensor_like("as_tensor")),
        OpEntry("asarray", ALL, _tensor_like("asarray")),
        OpEntry("zeros", ALL, _filled("zeros"), _size_errors("zeros")),
        OpEntry("ones", ALL, _filled("ones"), _size_errors("ones")),
        OpEntry("empty", ALL, _filled("empty"), _size_errors("empty")),
        OpEntry("full", ALL, _full, _size_errors("full", (1.0,))),
        OpEntry("eye", REALS + ("bool",), _eye),
        OpEntry("arange", REALS, _arange, _arange_errors),
        OpEntry("range", FLOATS + ("int64",), _range_cases),
        OpEntry("linspace", FLOATS + ("int64",), _linspace, tols=loose),
        OpEntry("logspace", FLOATS, _logspace, tols=loose),
        OpEntry("zeros_like", ALL, _like("zeros_like")),
        OpEntry("ones_like", ALL, _like("ones_like")),
        OpEntry("empty_like", ALL, _like("empty_like")),
        OpEntry("full_like", ALL, _like("full_like", (3,))),
    ]
