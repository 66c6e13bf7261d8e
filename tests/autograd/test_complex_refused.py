"""A node whose formula is not known to be right for complex tensors refuses a complex
gradient with a clear error naming itself, instead of giving the real formula's wrong
answer (NOTE [ Complex gradients ] in ``autograd/_complex.py``). Every public op that
differentiates complex tensors is listed or declares ``complex_ok``; this guards the ops to
come, so the test records such a node directly."""

from __future__ import annotations

import pytest

import ember
from ember.autograd._complex import ANALYTIC
from ember.autograd.graph import record


def _unlisted_op(z: ember.Tensor) -> ember.Tensor:
    out = (z * 2).detach()
    record("NewOpBackward0", lambda g, _s: (g[0] * 2,), (z,), (out,))
    return out


def test_an_unlisted_node_refuses_a_complex_gradient_naming_itself():
    assert "NewOpBackward0" not in ANALYTIC
    z = ember.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    loss = _unlisted_op(z).abs().sum()  # the forward is recorded as usual
    with pytest.raises(NotImplementedError, match=r"NewOpBackward0: .*complex tensors"):
        loss.backward()
    assert z.grad is None  # nothing half-written
    with pytest.raises(NotImplementedError, match="NewOpBackward0"):
        ember.autograd.grad(_unlisted_op(z).abs().sum(), z)


def test_the_same_node_on_real_tensors_runs_its_formula():
    r = ember.tensor([1.0, -2.0], requires_grad=True)
    _unlisted_op(r).sum().backward()
    assert r.grad.tolist() == [2.0, 2.0]


def test_a_complex_leaf_takes_a_gradient_given_directly():
    z = ember.tensor([1 + 1j, 2 - 1j], requires_grad=True)
    z.backward(ember.tensor([1 + 0j, 0 + 1j]))  # no op in between: nothing to differentiate
    assert z.grad.tolist() == [1 + 0j, 1j]
