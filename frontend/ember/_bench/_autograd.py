"""Autograd workloads: the 200-op chain with backward (the issue's target: at most 1.5x
PyTorch CPU on the NumPy backend) and a 100,000-op chain that must backpropagate without
recursion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._elementwise import CHAIN_OPS, chain
from ._workload import data, put, register, sync

#: Ops in the long chain: deep enough that a recursive engine overflows the stack.
LONG_CHAIN_OPS = 100_000


def _chain_backward(shape: tuple[int, ...]) -> Callable[[Any, str], Callable[[], Any]]:
    def setup(T: Any, device: str) -> Callable[[], Any]:
        x = put(T, data(*shape), device, requires_grad=True)
        y = put(T, data(*shape, seed=1, low=0.99, high=1.01), device)
        g = T.ones(*shape, device=device)
        done = sync(T, device)

        def step() -> None:
            x.grad = None
            chain(x, y).backward(g)
            done()

        return step

    return setup


def _chain_backward_np(shape: tuple[int, ...]) -> Callable[[Any], Callable[[], Any]]:
    # Hand-written: the forward chain, then its derivative (mul by 1.0001 and by y per step).
    def setup(np: Any) -> Callable[[], Any]:
        x = data(*shape)
        y = data(*shape, seed=1, low=0.99, high=1.01)

        def step() -> Any:
            out = chain(x, y)
            g = np.ones(shape, np.float32)
            for _ in range(CHAIN_OPS // 4):
                g = g * y
                g = g * 1.0001
            return out, g

        return step

    return setup


register("autograd", f"chain{CHAIN_OPS}+backward (64,64) f32",
         numpy=_chain_backward_np((64, 64)))(_chain_backward((64, 64)))
register("autograd", f"chain{CHAIN_OPS}+backward (8,8) f32",
         numpy=_chain_backward_np((8, 8)), tiny=True)(_chain_backward((8, 8)))


def _long_np(np: Any) -> Callable[[], Any]:
    x = data(8)

    def step() -> Any:
        v = x
        for _ in range(LONG_CHAIN_OPS // 2):
            v = v * 1.00001
            v = v + 0.00001
        g = np.ones(8, np.float32)
        for _ in range(LONG_CHAIN_OPS // 2):
            g = g * 1.00001
        return v, g

    return step


@register("autograd", f"chain{LONG_CHAIN_OPS}+backward (8,) f32 (once)", numpy=_long_np,
          once=True)
def _long(T: Any, device: str) -> Callable[[], Any]:
    x = put(T, data(8), device, requires_grad=True)
    done = sync(T, device)

    def step() -> None:
        x.grad = None
        v = x
        for _ in range(LONG_CHAIN_OPS // 2):
            v = v * 1.00001
            v = v + 0.00001
        v.sum().backward()
        done()

    return step
