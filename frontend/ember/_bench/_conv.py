"""Convolution workloads: ``nn.functional.conv2d`` forward and backward (stride 1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _np_nn
from ._workload import data, put, register, sync


def _def(n: int, c: int, hw: int, o: int, k: int, pad: int, tiny: bool = False) -> None:
    out_hw = hw + 2 * pad - k + 1

    def setup(T: Any, device: str) -> Callable[[], Any]:
        x = put(T, data(n, c, hw, hw), device, requires_grad=True)
        w = put(T, data(o, c, k, k, seed=1), device, requires_grad=True)
        b = put(T, data(o, seed=2), device, requires_grad=True)
        g = T.ones(n, o, out_hw, out_hw, device=device)
        done = sync(T, device)

        def step() -> None:
            x.grad = w.grad = b.grad = None
            T.nn.functional.conv2d(x, w, b, padding=pad).backward(g)
            done()

        return step

    def np_setup(np: Any) -> Callable[[], Any]:
        x, w, b = data(n, c, hw, hw), data(o, c, k, k, seed=1), data(o, seed=2)
        g = np.ones((n, o, out_hw, out_hw), np.float32)

        def step() -> tuple:
            out, cache = _np_nn.conv2d(x, w, b, pad)
            return out, _np_nn.conv2d_backward(g, w, cache)

        return step

    name = f"conv2d fwd+bwd ({n},{c},{hw},{hw})->{o} k{k} pad{pad} f32"
    register("conv", name, numpy=np_setup, tiny=tiny)(setup)


_def(2, 3, 6, 4, 3, 1, tiny=True)
_def(64, 1, 8, 16, 3, 1)
_def(16, 16, 32, 32, 3, 1)
