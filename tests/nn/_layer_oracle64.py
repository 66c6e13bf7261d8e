"""Helpers for the recurrent, attention and transformer layer tests: build the same layer in
PyTorch and Ember in float64 and eval mode, load the torch layer's initialised state into the
ember one (so the state-dict keys must match), and compare outputs and gradients tightly."""

from __future__ import annotations

import numpy as np

import ember
from ember import nn

RTOL, ATOL = 1e-9, 1e-12


def leaves(out):
    """The tensors of a (possibly nested) output, packed sequences by their data."""
    if isinstance(out, tuple | list):
        if type(out).__name__ == "PackedSequence":
            return [out.data]
        return [t for o in out for t in leaves(o)]
    return [] if out is None else [out]


def pair(torch, cls, *args, **kwargs):
    """``torch.nn.<cls>`` and ``ember.nn.<cls>`` built from the same arguments in float64,
    in eval mode, the torch state loaded into the ember module."""
    tm = getattr(torch.nn, cls)(*args, **kwargs, dtype=torch.float64)
    em = getattr(nn, cls)(*args, **kwargs, dtype=ember.float64)
    return load(torch, em, tm)


def load(torch, em, tm):
    """Put both modules in eval mode, check that reprs and state-dict keys agree and load
    ``tm``'s state into ``em``."""
    em.eval()
    tm.eval()
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    result = em.load_state_dict({k: ember.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    assert not result.missing_keys and not result.unexpected_keys
    return em, tm


def check(torch, em, tm, arrays, build=None, device="cpu"):
    """Run both modules on float64 ``arrays`` (all requiring grad); ``build(lib, tensors)``
    turns the tensors into the call's arguments (default: positional). Compares every output
    leaf, then the gradients of ``sum(w_i * out_i)`` for random weights."""
    if device != "cpu":
        em.to(device)
    build = build or (lambda lib, ts: ts)
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    e_in = [ember.tensor(a, device=device, requires_grad=True) for a in arrays]
    t_out, e_out = leaves(tm(*build(torch, t_in))), leaves(em(*build(ember, e_in)))
    assert len(t_out) == len(e_out)
    rng = np.random.default_rng(1)
    t_loss = e_loss = 0
    for t, e in zip(t_out, e_out):
        assert tuple(e.shape) == tuple(t.shape)
        np.testing.assert_allclose(e.detach().cpu().numpy(), t.detach().numpy(),
                                   rtol=RTOL, atol=ATOL)
        w = rng.standard_normal(tuple(t.shape))
        t_loss = t_loss + (t * torch.tensor(w)).sum()
        e_loss = e_loss + (e * ember.tensor(w, device=device)).sum()
    t_loss.backward()
    e_loss.backward()
    for t, e in zip(t_in, e_in):
        np.testing.assert_allclose(e.grad.cpu().numpy(), t.grad.numpy(), rtol=RTOL, atol=ATOL)
    t_params = dict(tm.named_parameters())
    for name, p in em.named_parameters():
        if t_params[name].grad is None:
            assert p.grad is None, name
            continue
        np.testing.assert_allclose(p.grad.cpu().numpy(), t_params[name].grad.numpy(),
                                   rtol=RTOL, atol=ATOL, err_msg=name)
    return e_out


def data(*shape, seed=0):
    """Standard-normal float64 data, reproducible by ``seed``."""
    return np.random.default_rng(seed).standard_normal(shape)
