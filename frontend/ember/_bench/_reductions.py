"""Reduction workloads: a tiny sum (overhead) and full/axis reductions of 1e6 elements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._workload import data, put, register, sync

Reduce = Callable[[Any], Any]


def _def(name: str, shape: tuple[int, ...], ember_torch: Reduce, numpy: Reduce,
         tiny: bool = False) -> None:
    def np_setup(np: Any) -> Callable[[], Any]:
        x = data(*shape)
        return lambda: numpy(x)

    def setup(T: Any, device: str) -> Callable[[], Any]:
        x = put(T, data(*shape), device)
        done = sync(T, device)
        return lambda: (ember_torch(x), done())

    register("reductions", name, numpy=np_setup, tiny=tiny)(setup)


_def("sum 8x8 f32", (8, 8), lambda x: x.sum(), lambda x: x.sum(), tiny=True)
_def("sum 1e6 f32", (10**6,), lambda x: x.sum(), lambda x: x.sum())
_def("mean dim=1 (1000,1000) f32", (1000, 1000), lambda x: x.mean(dim=1),
     lambda x: x.mean(axis=1))
_def("amax dim=0 (1000,1000) f32", (1000, 1000), lambda x: x.amax(dim=0),
     lambda x: x.max(axis=0))
_def("var dim=1 (1000,1000) f32", (1000, 1000), lambda x: x.var(dim=1),
     lambda x: x.var(axis=1, ddof=1))
_def("logsumexp dim=1 (1000,1000) f32", (1000, 1000), lambda x: x.logsumexp(dim=1),
     lambda x: _np_logsumexp(x))


def _np_logsumexp(x: Any) -> Any:
    import numpy as np

    m = x.max(axis=1, keepdims=True)
    return (np.log(np.exp(x - m).sum(axis=1, keepdims=True)) + m)[:, 0]
