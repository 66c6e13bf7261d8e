"""The issues' benchmark targets at exactly their sizes (forward + backward, numpy backend
against PyTorch CPU, side by side):

* MLP ``784-256-128-10`` at batch 512: at most 1.0x PyTorch;
* CNN ``conv(1->16,3,pad 1)-ReLU-maxpool-conv(16->32,3,pad 1)-ReLU-maxpool-Linear(1568->10)``
  on 28x28 images at batch 64: at most 1.5x;
* LSTM, 2 layers, hidden 128, sequence 32, batch 32: at most 2.0x;
* Adam's step over the MLP's parameters (single-tensor path): at most 1.2x.

Each pass starts from ``zero_grad()`` (gradients set to ``None``), as a training loop does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _np_nn
from ._workload import data, labels, put, register, sync

_MLP = (784, 256, 128, 10)
_MLP_BATCH = 512
_CNN_BATCH = 64
_LSTM = (32, 32, 128)  # batch, sequence, features (= hidden)


def _mlp(T: Any) -> Any:
    nn = T.nn
    a, b, c, d = _MLP
    return nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c, d))


def _cnn(T: Any) -> Any:
    nn = T.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 10))


def _lstm(T: Any) -> Any:
    nn = T.nn

    class LSTMHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(_LSTM[2], _LSTM[2], num_layers=2, batch_first=True)
            self.head = nn.Linear(_LSTM[2], 10)

        def forward(self, x: Any) -> Any:
            out, _ = self.lstm(x)
            return self.head(out[:, -1])

    return LSTMHead()


def _pass(T: Any, device: str, model: Any, x: Any, y: Any) -> Callable[[], Any]:
    model = model.to(device)
    loss_fn = T.nn.CrossEntropyLoss()
    xb, yb = put(T, x, device), T.tensor(y, device=device)
    done = sync(T, device)

    def step() -> None:
        model.zero_grad()
        loss_fn(model(xb), yb).backward()
        done()

    return step


def _mlp_np(np: Any) -> Callable[[], Any]:
    params = _np_nn.mlp_params(_MLP)
    x, y = data(_MLP_BATCH, _MLP[0]), labels(_MLP_BATCH, _MLP[-1])
    return lambda: _np_nn.mlp_grads(params, x, y)


@register("targets", f"MLP 784-256-128-10 fwd+bwd, batch {_MLP_BATCH} (<= 1.0x)",
          numpy=_mlp_np)
def _mlp_pass(T: Any, device: str) -> Callable[[], Any]:
    return _pass(T, device, _mlp(T), data(_MLP_BATCH, _MLP[0]), labels(_MLP_BATCH, 10))


def _cnn_np(np: Any) -> Callable[[], Any]:
    params = _np_nn.cnn_params(32 * 7 * 7)
    x, y = data(_CNN_BATCH, 1, 28, 28), labels(_CNN_BATCH, 10)
    return lambda: _np_nn.cnn_grads(params, x, y)


@register("targets", f"CNN 28x28 fwd+bwd, batch {_CNN_BATCH} (<= 1.5x)", numpy=_cnn_np)
def _cnn_pass(T: Any, device: str) -> Callable[[], Any]:
    return _pass(T, device, _cnn(T), data(_CNN_BATCH, 1, 28, 28), labels(_CNN_BATCH, 10))


@register("targets", "LSTM 2x128 fwd+bwd, seq 32, batch 32 (<= 2.0x)")
def _lstm_pass(T: Any, device: str) -> Callable[[], Any]:
    return _pass(T, device, _lstm(T), data(*_LSTM), labels(_LSTM[0], 10))


def _adam_np(np: Any) -> Callable[[], Any]:
    params = _np_nn.mlp_params(_MLP)
    grads = [data(*p.shape, seed=10 + i) for i, p in enumerate(params)]
    state: dict = {}
    return lambda: _np_nn.adam(params, grads, state)


@register("targets", "Adam step, MLP 784-256-128-10 params (<= 1.2x)", numpy=_adam_np)
def _adam_step(T: Any, device: str) -> Callable[[], Any]:
    params = list(_mlp(T).to(device).parameters())
    for i, p in enumerate(params):
        p.grad = put(T, data(*p.shape, seed=10 + i), device)
    opt = T.optim.Adam(params, lr=1e-3, foreach=False)
    done = sync(T, device)
    return lambda: (opt.step(), done())
