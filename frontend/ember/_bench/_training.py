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
    params = _np_nn.cnn_params(128)
    bufs = [np.zeros_like(p) for p in params]
    x, y = data(_CNN_BATCH, 1, 8, 8), labels(_CNN_BATCH, 10)

    def step() -> float:
        loss, grads = _np_nn.cnn_grads(params, x, y)
        _np_nn.sgd_momentum(params, grads, bufs, _LR, _MOMENTUM)
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
