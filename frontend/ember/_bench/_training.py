"""Full training steps (zero_grad, forward, cross-entropy, backward, SGD with momentum)
of three small models: an MLP, a CNN on 8x8 images, an LSTM over sequences.

# NOTE [ Learning rate 0 ]
Every step runs the whole update, but with ``lr=0`` the parameters stay where they
started. Training one fixed batch with a real learning rate drives the loss to zero and
the gradients into float32 denormals, which slow NumPy's (and PyTorch's) kernels up to a
hundredfold; the time per step would then depend on how many steps an implementation
happened to run, not on its speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _np_nn
from ._models import MLP_SIZES, cnn, lstm_classifier, mlp
from ._workload import data, labels, put, register, sync

_LR, _MOMENTUM = 0.0, 0.9  # NOTE [ Learning rate 0 ]


def _trainer(T: Any, device: str, model: Any, x: Any, y: Any) -> Callable[[], Any]:
    model = model.to(device)
    opt = T.optim.SGD(model.parameters(), lr=_LR, momentum=_MOMENTUM, foreach=False)
    loss_fn = T.nn.CrossEntropyLoss()
    xb, yb = put(T, x, device), T.tensor(y, device=device)
    done = sync(T, device)

    def step() -> None:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        done()

    return step


_MLP_BATCH = 64


def _mlp_np(np: Any) -> Callable[[], Any]:
    params = _np_nn.mlp_params(MLP_SIZES)
    bufs = [np.zeros_like(p) for p in params]
    x, y = data(_MLP_BATCH, MLP_SIZES[0]), labels(_MLP_BATCH, MLP_SIZES[-1])
    return lambda: _np_nn.mlp_step(params, bufs, x, y, _LR, _MOMENTUM)


@register("training", f"MLP 64-128-128-10 step, batch {_MLP_BATCH}", numpy=_mlp_np)
def _mlp(T: Any, device: str) -> Callable[[], Any]:
    return _trainer(T, device, mlp(T), data(_MLP_BATCH, MLP_SIZES[0]),
                    labels(_MLP_BATCH, MLP_SIZES[-1]))


_CNN_BATCH = 64


def _cnn_np(np: Any) -> Callable[[], Any]:
    rng = np.random.default_rng(0)

    def u(*shape: int, fan_in: int) -> Any:
        return rng.uniform(-fan_in ** -0.5, fan_in ** -0.5, shape).astype(np.float32)

    params = [u(16, 1, 3, 3, fan_in=9), u(16, fan_in=9), u(32, 16, 3, 3, fan_in=144),
              u(32, fan_in=144), u(10, 128, fan_in=128), u(10, fan_in=128)]
    bufs = [np.zeros_like(p) for p in params]
    x, y = data(_CNN_BATCH, 1, 8, 8), labels(_CNN_BATCH, 10)

    def step() -> float:
        w1, b1, w2, b2, w3, b3 = params
        h1, c1 = _np_nn.conv2d(x, w1, b1, 1)
        r1 = np.maximum(h1, 0)
        p1, m1 = _np_nn.maxpool2(r1)
        h2, c2 = _np_nn.conv2d(p1, w2, b2, 1)
        r2 = np.maximum(h2, 0)
        p2, m2 = _np_nn.maxpool2(r2)
        flat = p2.reshape(len(x), -1)
        loss, g = _np_nn.cross_entropy(flat @ w3.T + b3, y)
        gw3, gb3 = g.T @ flat, g.sum(axis=0)
        g = _np_nn.maxpool2_backward((g @ w3).reshape(p2.shape), m2) * (h2 > 0)
        g, gw2, gb2 = _np_nn.conv2d_backward(g, w2, c2)
        g = _np_nn.maxpool2_backward(g, m1) * (h1 > 0)
        _, gw1, gb1 = _np_nn.conv2d_backward(g, w1, c1, need_input=False)
        _np_nn.sgd_momentum(params, [gw1, gb1, gw2, gb2, gw3, gb3], bufs, _LR, _MOMENTUM)
        return loss

    return step


@register("training", f"CNN step, 8x8 images, batch {_CNN_BATCH}", numpy=_cnn_np)
def _cnn(T: Any, device: str) -> Callable[[], Any]:
    return _trainer(T, device, cnn(T), data(_CNN_BATCH, 1, 8, 8), labels(_CNN_BATCH, 10))


_SEQ = (32, 20, 16)  # batch, sequence length, features
_HIDDEN = 32


@register("training", f"LSTM({_SEQ[2]},{_HIDDEN}) step, (batch {_SEQ[0]}, seq {_SEQ[1]}, "
          f"feat {_SEQ[2]})")
def _lstm(T: Any, device: str) -> Callable[[], Any]:
    return _trainer(T, device, lstm_classifier(T, _SEQ[2], _HIDDEN, 10), data(*_SEQ),
                    labels(_SEQ[0], 10))
