"""Optimizer workloads: one ``step()`` over the MLP's parameters with fixed gradients.

PyTorch runs its single-tensor path (``foreach=False``), the same loop over parameters
that Ember's optimizers run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _np_nn
from ._models import MLP_SIZES, mlp
from ._workload import data, put, register, sync


def _params(T: Any, device: str) -> list:
    model = mlp(T).to(device)
    params = list(model.parameters())
    for i, p in enumerate(params):
        p.grad = put(T, data(*p.shape, seed=10 + i), device)
    return params


def _np_params(np: Any) -> tuple[list, list]:
    params = _np_nn.mlp_params(MLP_SIZES)
    grads = [data(*p.shape, seed=10 + i) for i, p in enumerate(params)]
    return params, grads


def _adam_np(np: Any) -> Callable[[], Any]:
    params, grads = _np_params(np)
    state: dict = {}
    return lambda: _np_nn.adam(params, grads, state)


@register("optim", "Adam step, MLP 64-128-128-10 params", numpy=_adam_np)
def _adam(T: Any, device: str) -> Callable[[], Any]:
    opt = T.optim.Adam(_params(T, device), lr=1e-3, foreach=False)
    done = sync(T, device)
    return lambda: (opt.step(), done())


def _sgd_np(np: Any) -> Callable[[], Any]:
    params, grads = _np_params(np)
    bufs = [np.zeros_like(p) for p in params]
    return lambda: _np_nn.sgd_momentum(params, grads, bufs, 0.01, 0.9)


@register("optim", "SGD momentum step, MLP 64-128-128-10 params", numpy=_sgd_np)
def _sgd(T: Any, device: str) -> Callable[[], Any]:
    opt = T.optim.SGD(_params(T, device), lr=0.01, momentum=0.9, foreach=False)
    done = sync(T, device)
    return lambda: (opt.step(), done())
