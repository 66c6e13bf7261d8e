"""Hand-written NumPy layers for the baselines: what a careful user writes without a
framework (im2col convolution, 2x2 max-pooling, softmax cross-entropy, SGD and Adam)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["conv2d", "conv2d_backward", "maxpool2", "maxpool2_backward", "cross_entropy",
           "sgd_momentum", "adam", "mlp_params", "mlp_step", "mlp_grads", "cnn_params",
           "cnn_grads"]


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray, pad: int) -> tuple[np.ndarray, Any]:
    """Stride-1 NCHW convolution; returns the output and what the backward needs."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    cols = sliding_window_view(xp, w.shape[2:], axis=(2, 3))  # (N, C, H', W', kh, kw)
    out = np.tensordot(cols, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2) + \
        b[None, :, None, None]
    return out, (xp.shape, cols, pad)


def conv2d_backward(g: np.ndarray, w: np.ndarray, cache: Any,
                    need_input: bool = True) -> tuple[Any, ...]:
    """Gradients of input (None unless ``need_input``), weight and bias of :func:`conv2d`."""
    xp_shape, cols, pad = cache
    gw = np.tensordot(g, cols, axes=([0, 2, 3], [0, 2, 3]))
    gb = g.sum(axis=(0, 2, 3))
    if not need_input:
        return None, gw, gb
    gxp = np.zeros(xp_shape, g.dtype)
    h, wd = g.shape[2:]
    for i in range(w.shape[2]):
        for j in range(w.shape[3]):
            gxp[:, :, i:i + h, j:j + wd] += np.tensordot(g, w[:, :, i, j],
                                                          axes=([1], [0])).transpose(0, 3, 1, 2)
    gx = gxp[:, :, pad:xp_shape[2] - pad, pad:xp_shape[3] - pad] if pad else gxp
    return gx, gw, gb


def maxpool2(x: np.ndarray) -> tuple[np.ndarray, Any]:
    """2x2 max-pooling with stride 2 (even sizes)."""
    n, c, h, w = x.shape
    out = x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    return out, (x, out)


def maxpool2_backward(g: np.ndarray, cache: Any) -> np.ndarray:
    x, out = cache
    up = np.repeat(np.repeat(out, 2, axis=2), 2, axis=3)
    gup = np.repeat(np.repeat(g, 2, axis=2), 2, axis=3)
    return gup * (x == up)


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to ``logits``."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    n = len(y)
    loss = float(-np.log(p[np.arange(n), y]).mean())
    p[np.arange(n), y] -= 1.0
    return loss, p / n


def sgd_momentum(params: list, grads: list, bufs: list, lr: float, momentum: float) -> None:
    """In-place SGD with momentum (PyTorch's formula)."""
    for p, g, buf in zip(params, grads, bufs):
        buf *= momentum
        buf += g
        p -= lr * buf


def adam(params: list, grads: list, state: dict, lr: float = 1e-3, b1: float = 0.9,
         b2: float = 0.999, eps: float = 1e-8) -> None:
    """In-place Adam, one parameter at a time (PyTorch's single-tensor formula)."""
    state["step"] = t = state.get("step", 0) + 1
    ms, vs = state.setdefault("m", [np.zeros_like(p) for p in params]), \
        state.setdefault("v", [np.zeros_like(p) for p in params])
    bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
    for p, g, m, v in zip(params, grads, ms, vs):
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        denom = np.sqrt(v) / np.sqrt(bc2) + eps
        p -= (lr / bc1) * m / denom


def mlp_params(sizes: tuple[int, ...], seed: int = 0) -> list[np.ndarray]:
    """Weights and biases of a ``Linear``-``ReLU`` stack, as ``[w1, b1, w2, b2, ...]``."""
    rng = np.random.default_rng(seed)
    out = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        bound = fan_in ** -0.5
        out.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        out.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    return out


def mlp_grads(params: list, x: np.ndarray, y: np.ndarray) -> tuple[float, list]:
    """Loss and gradients of the MLP (ReLU between layers, cross-entropy at the end)."""
    acts = [x]
    h = x
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = h @ params[2 * i].T + params[2 * i + 1]
        if i < n_layers - 1:
            h = np.maximum(h, 0)
        acts.append(h)
    loss, g = cross_entropy(h, y)
    grads: list = [None] * len(params)
    for i in reversed(range(n_layers)):
        grads[2 * i] = g.T @ acts[i]
        grads[2 * i + 1] = g.sum(axis=0)
        if i:
            g = (g @ params[2 * i]) * (acts[i] > 0)
    return loss, grads


def mlp_step(params: list, bufs: list, x: np.ndarray, y: np.ndarray, lr: float,
             momentum: float) -> float:
    """One SGD-with-momentum training step of the MLP."""
    loss, grads = mlp_grads(params, x, y)
    sgd_momentum(params, grads, bufs, lr, momentum)
    return loss


def cnn_params(flat: int, seed: int = 0) -> list[np.ndarray]:
    """conv(1->16, 3) and conv(16->32, 3) weights and biases, then ``Linear(flat, 10)``."""
    rng = np.random.default_rng(seed)

    def u(*shape: int, fan_in: int) -> np.ndarray:
        return rng.uniform(-fan_in ** -0.5, fan_in ** -0.5, shape).astype(np.float32)

    return [u(16, 1, 3, 3, fan_in=9), u(16, fan_in=9), u(32, 16, 3, 3, fan_in=144),
            u(32, fan_in=144), u(10, flat, fan_in=flat), u(10, fan_in=flat)]


def cnn_grads(params: list, x: np.ndarray, y: np.ndarray) -> tuple[float, list]:
    """Loss and gradients of conv-ReLU-maxpool-conv-ReLU-maxpool-Linear (padding 1)."""
    w1, b1, w2, b2, w3, b3 = params
    h1, c1 = conv2d(x, w1, b1, 1)
    p1, m1 = maxpool2(np.maximum(h1, 0))
    h2, c2 = conv2d(p1, w2, b2, 1)
    p2, m2 = maxpool2(np.maximum(h2, 0))
    flat = p2.reshape(len(x), -1)
    loss, g = cross_entropy(flat @ w3.T + b3, y)
    gw3, gb3 = g.T @ flat, g.sum(axis=0)
    g = maxpool2_backward((g @ w3).reshape(p2.shape), m2) * (h2 > 0)
    g, gw2, gb2 = conv2d_backward(g, w2, c2)
    g = maxpool2_backward(g, m1) * (h1 > 0)
    _, gw1, gb1 = conv2d_backward(g, w1, c1, need_input=False)
    return loss, [gw1, gb1, gw2, gb2, gw3, gb3]
