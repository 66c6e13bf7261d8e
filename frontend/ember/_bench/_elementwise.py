"""Elementwise workloads: per-op overhead on tiny tensors, throughput on large ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._workload import data, put, register, sync

#: Elementwise ops in the ``chain200`` workloads (4 per step, 50 steps).
CHAIN_OPS = 200


def chain(x: Any, y: Any, ops: int = CHAIN_OPS) -> Any:
    """``ops`` small elementwise ops (mul, add, mul, sub per step): the per-op overhead
    that decides small-model training speed. Works on Ember, PyTorch and NumPy values."""
    for _ in range(ops // 4):
        x = x * 1.0001
        x = x + 0.0001
        x = x * y
        x = x - y
    return x


def _pair(shape: tuple[int, ...]) -> tuple[Any, Any]:
    return data(*shape, seed=0), data(*shape, seed=1, low=0.99, high=1.01)


def _binary(op: Callable[[Any, Any], Any], shape: tuple[int, ...],
            other: tuple[int, ...] | None = None) -> Callable[[Any, str], Callable[[], Any]]:
    def setup(T: Any, device: str) -> Callable[[], Any]:
        a, b = data(*shape), data(*(other or shape), seed=1)
        x, y = put(T, a, device), put(T, b, device)
        done = sync(T, device)
        return lambda: (op(x, y), done())

    return setup


def _binary_np(op: Callable[[Any, Any], Any], shape: tuple[int, ...],
               other: tuple[int, ...] | None = None) -> Callable[[Any], Callable[[], Any]]:
    def setup(np: Any) -> Callable[[], Any]:
        x, y = data(*shape), data(*(other or shape), seed=1)
        return lambda: op(x, y)

    return setup


def _add(x: Any, y: Any) -> Any:
    return x + y


def _mul(x: Any, y: Any) -> Any:
    return x * y


register("elementwise", "add 8x8 f32", numpy=_binary_np(_add, (8, 8)), tiny=True)(
    _binary(_add, (8, 8)))
register("elementwise", "mul 1e6 f32", numpy=_binary_np(_mul, (1000, 1000)))(
    _binary(_mul, (1000, 1000)))
register("elementwise", "add (1000,1000)+(1000,) broadcast f32",
         numpy=_binary_np(_add, (1000, 1000), (1000,)))(_binary(_add, (1000, 1000), (1000,)))


def _exp_np(np: Any) -> Callable[[], Any]:
    v = data(10**6)
    return lambda: np.exp(v)


@register("elementwise", "exp 1e6 f32", numpy=_exp_np)
def _exp(T: Any, device: str) -> Callable[[], Any]:
    v = put(T, data(10**6), device)
    done = sync(T, device)
    return lambda: (v.exp(), done())


def _chain_np(np: Any) -> Callable[[], Any]:
    x, y = _pair((8, 8))
    return lambda: chain(x, y)


@register("elementwise", f"chain{CHAIN_OPS} 8x8 f32 (no grad)", numpy=_chain_np, tiny=True)
def _chain(T: Any, device: str) -> Callable[[], Any]:
    a, b = _pair((8, 8))
    x, y = put(T, a, device), put(T, b, device)
    done = sync(T, device)
    return lambda: (chain(x, y), done())
