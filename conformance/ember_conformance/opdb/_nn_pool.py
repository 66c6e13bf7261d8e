"""Entries for ``ember.nn.functional``'s pooling (max, average, power-average, adaptive,
unpooling)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._core import Case, OpEntry
from ._inputs import tensor
from ._nn import F64, fcase, fentry
from ._reduction import distinct

__all__ = ["entries"]

#: dims: {variant: (input shape, keywords)} for ``max_pool{d}d`` (and the with-indices forms)
_MAX = {
    1: {"k2": ((2, 2, 6), {"kernel_size": 2}),
        "k3-s2-p1-ceil": ((1, 2, 6), {"kernel_size": 3, "stride": 2, "padding": 1,
                                      "ceil_mode": True}),
        "dil2": ((1, 1, 7), {"kernel_size": 2, "dilation": 2})},
    2: {"k2": ((1, 2, 4, 4), {"kernel_size": 2}),
        "k3-s2-p1": ((1, 1, 5, 5), {"kernel_size": 3, "stride": 2, "padding": 1}),
        "rect-ceil": ((1, 1, 5, 4), {"kernel_size": (2, 3), "stride": (2, 1),
                                     "ceil_mode": True})},
    3: {"k2": ((1, 1, 4, 4, 2), {"kernel_size": 2}),
        "s1-p1": ((1, 1, 2, 3, 2), {"kernel_size": 2, "stride": 1, "padding": 1})},
}
_AVG = {
    1: {"k2": ((2, 2, 6), {"kernel_size": 2}),
        "k3-s2-p1-nopad": ((1, 2, 6), {"kernel_size": 3, "stride": 2, "padding": 1,
                                       "count_include_pad": False, "ceil_mode": True})},
    2: {"k2": ((1, 2, 4, 4), {"kernel_size": 2}),
        "k3-s2-p1": ((1, 1, 5, 5), {"kernel_size": 3, "stride": 2, "padding": 1}),
        "divisor": ((1, 1, 4, 4), {"kernel_size": 2, "divisor_override": 3})},
    3: {"k2": ((1, 1, 4, 4, 2), {"kernel_size": 2}),
        "p1-nopad": ((1, 1, 2, 3, 2), {"kernel_size": 2, "padding": 1,
                                       "count_include_pad": False})},
}
_LP = {1: {"p2-k2": ((1, 2, 6), (2.0, 2), {}), "p3-k3-s2": ((1, 1, 7), (3.0, 3), {"stride": 2})},
       2: {"p2-k2": ((1, 2, 4, 4), (2.0, 2), {}),
           "p1-k-rect": ((1, 1, 4, 5), (1.0, (2, 3)), {"stride": 1})},
       3: {"p2-k2": ((1, 1, 2, 4, 4), (2.0, 2), {})}}
_ADAPTIVE = {1: {"exact": ((2, 2, 6), 3), "uneven": ((1, 2, 7), 3)},
             2: {"exact": ((1, 2, 4, 4), 2), "uneven": ((1, 1, 5, 7), (2, 3)),
                 "none-dim": ((1, 1, 4, 3), (2, None))},
             3: {"uneven": ((1, 1, 3, 4, 5), (2, 2, 3))}}


def _maxish(name: str, table: dict, with_values: Callable[..., Any] = distinct,
            extra: dict | None = None) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            for v, (xs, kw) in table.items():
                args = (kw,) if not isinstance(kw, dict) else ()
                kws = kw if isinstance(kw, dict) else {}
                yield fcase(name, v, dt, with_values(rng, xs, dt), *args, **kws, **(extra or {}))

    return gen


def _lp(name: str, table: dict) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            for v, (xs, args, kw) in table.items():
                yield fcase(name, v, dt, tensor(rng, xs, dt, "pos"), *args, **kw)

    return gen


def _pool_errors(name: str, xs: tuple, *args: Any, **kw: Any
                 ) -> Callable[[Any], Iterator[Case]]:
    def gen(rng: Any) -> Iterator[Case]:
        yield fcase(name, "kernel-too-large", "float32", tensor(rng, xs, "float32"), *args, **kw)

    return gen


def _unpool(d: int) -> Callable[[Any], Iterator[Case]]:
    """``max_unpool{d}d`` of ``max_pool{d}d``'s own values and indices."""
    def call(ns: Any, x: Any, **kw: Any) -> Any:
        fn = ns.nn.functional
        out, idx = getattr(fn, f"max_pool{d}d")(x, 2, return_indices=True)
        return getattr(fn, f"max_unpool{d}d")(out, idx, 2, **kw)

    shapes = {1: (1, 2, 6), 2: (1, 2, 4, 4), 3: (1, 1, 2, 4, 4)}
    odd = {1: (1, 2, 5), 2: (1, 1, 5, 4), 3: (1, 1, 3, 2, 2)}

    def gen(rng: Any) -> Iterator[Case]:
        for dt in F64:
            c = fcase(f"max_unpool{d}d", "of-max-pool", dt, distinct(rng, shapes[d], dt))
            c.call = call
            yield c
            size = tuple(odd[d][2:])
            c = fcase(f"max_unpool{d}d", "output-size", dt, distinct(rng, odd[d], dt),
                      output_size=size)
            c.call = call
            yield c

    return gen


def _plain(rng: Any, shape: tuple, dt: str) -> Any:
    return tensor(rng, shape, dt)


def entries() -> list[OpEntry]:
    out: list[OpEntry] = []
    for d in (1, 2, 3):
        shape = _MAX[d]["k2"][0]
        big = {"kernel_size": 9}
        mx, av, lp = f"max_pool{d}d", f"avg_pool{d}d", f"lp_pool{d}d"
        out.append(fentry(mx, _maxish(mx, _MAX[d]), _pool_errors(mx, shape, **big)))
        out.append(fentry(mx + "_with_indices", _maxish(mx + "_with_indices", _MAX[d])))
        out.append(fentry(av, _maxish(av, _AVG[d], _plain), _pool_errors(av, shape, **big)))
        out.append(fentry(lp, _lp(lp, _LP[d])))
        amx, aav = f"adaptive_max_pool{d}d", f"adaptive_avg_pool{d}d"
        out.append(fentry(amx, _maxish(amx, _ADAPTIVE[d])))
        out.append(fentry(amx + "_with_indices", _maxish(amx + "_with_indices", _ADAPTIVE[d])))
        out.append(fentry(aav, _maxish(aav, _ADAPTIVE[d], _plain)))
        out.append(fentry(f"max_unpool{d}d", _unpool(d)))
    return out
