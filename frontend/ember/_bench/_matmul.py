"""Matrix-product workloads: tiny (overhead), large, batched, and a linear layer's
forward and backward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._workload import data, put, register, sync


def _mm(shape_a: tuple[int, ...], shape_b: tuple[int, ...]):
    def setup(T: Any, device: str) -> Callable[[], Any]:
        a, b = put(T, data(*shape_a), device), put(T, data(*shape_b, seed=1), device)
        done = sync(T, device)
        return lambda: (T.matmul(a, b), done())

    def np_setup(np: Any) -> Callable[[], Any]:
        a, b = data(*shape_a), data(*shape_b, seed=1)
        return lambda: np.matmul(a, b)

    return setup, np_setup


for _name, _a, _b, _tiny in (("matmul 16x16 f32", (16, 16), (16, 16), True),
                             ("matmul 512x512 f32", (512, 512), (512, 512), False),
                             ("bmm 32x(64x64) f32", (32, 64, 64), (32, 64, 64), False)):
    _s, _n = _mm(_a, _b)
    register("matmul", _name, numpy=_n, tiny=_tiny)(_s)

_B, _IN, _OUT = 64, 256, 256


def _linear_np(np: Any) -> Callable[[], Any]:
    x, w, b = data(_B, _IN), data(_OUT, _IN, seed=1), data(_OUT, seed=2)
    g = np.ones((_B, _OUT), np.float32)

    def step() -> tuple:
        y = x @ w.T + b
        return y, g @ w, g.T @ x, g.sum(axis=0)

    return step


@register("matmul", f"linear fwd+bwd ({_B},{_IN})->{_OUT} f32", numpy=_linear_np)
def _linear(T: Any, device: str) -> Callable[[], Any]:
    x = put(T, data(_B, _IN), device, requires_grad=True)
    w = put(T, data(_OUT, _IN, seed=1), device, requires_grad=True)
    b = put(T, data(_OUT, seed=2), device, requires_grad=True)
    g = T.ones(_B, _OUT, device=device)
    done = sync(T, device)

    def step() -> None:
        x.grad = w.grad = b.grad = None
        T.nn.functional.linear(x, w, b).backward(g)
        done()

    return step
