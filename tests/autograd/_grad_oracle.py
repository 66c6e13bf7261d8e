"""The shared harness of the autograd-vs-PyTorch tests of the join, indexing and sorting
ops: grad_fn names, first-order gradients of a weighted sum and (optionally) second-order
gradients, on float64."""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")


class _On:
    """``ember`` whose ``tensor`` creates on ``device`` (for the cases' index tensors)."""

    def __init__(self, device):
        self.device = device

    def __getattr__(self, name):
        return getattr(ember, name)

    def tensor(self, *args, **kwargs):
        return ember.tensor(*args, device=self.device, **kwargs)


def _grads(lib, fn, arrays, second, device):
    """``fn``'s floating outputs, the gradients of their weighted sum with respect to the
    float64 leaves, and (with ``second``) the gradients of the squared gradients."""
    kw = {"device": device} if lib is ember else {}
    xs = [lib.tensor(a, dtype=lib.float64, requires_grad=True, **kw) for a in arrays]
    out = fn(_On(device) if lib is ember else lib, *xs)
    outs = [o for o in (out if isinstance(out, tuple | list) else [out])
            if o.dtype.is_floating_point]
    rng = np.random.default_rng(7)
    loss = sum((o * lib.tensor(rng.standard_normal(tuple(o.shape)), dtype=o.dtype, **kw)).sum()
               for o in outs)
    gs = lib.autograd.grad(loss, xs, create_graph=second, allow_unused=True)
    names = [o.grad_fn.name() if o.grad_fn is not None else None for o in outs]
    if not second:
        return names, gs, None
    live = [g for g in gs if g is not None and g.requires_grad]
    assert live, "no gradient is differentiable: the case checks nothing of second order"
    g2 = lib.autograd.grad(sum((g * g).sum() for g in live), xs, allow_unused=True)
    return names, gs, g2


def _same(got, want, rtol):
    for g, w in zip(got, want):
        w = np.zeros(0) if w is None else np.asarray(w.tolist())
        g = np.zeros(0) if g is None else np.asarray(g.tolist())
        if not w.size or not w.any():  # no gradient and a zero gradient are the same
            assert not g.size or not g.any(), g
        else:
            np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol * 1e-2)


def check(fn, *shapes, second=False, device="cpu", seed=0, rtol=1e-10):
    """``fn(lib, *leaves)`` in ember and PyTorch: the same grad_fn names and gradients."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    names, gs, g2 = _grads(ember, fn, arrays, second, device)
    tnames, tgs, tg2 = _grads(torch, fn, arrays, second, "cpu")
    assert names == tnames
    _same(gs, tgs, rtol)
    if second:
        _same(g2, tg2, rtol)
