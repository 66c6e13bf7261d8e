"""Complex autograd is not implemented: a gradient into a complex tensor is refused with a
clear error instead of a wrong answer (PyTorch's complex gradients are conjugate Wirtinger
derivatives, e.g. mul's is ``grad * conj(other)``, which Ember's real formulas are not)."""

from __future__ import annotations

import pytest

import ember


def test_backward_through_a_complex_tensor_raises_naming_the_node():
    x = ember.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    loss = (x * x).abs().sum()  # the forward is recorded as usual
    assert loss.grad_fn.name() == "SumBackward0"
    with pytest.raises(NotImplementedError, match=r"AbsBackward0: .*complex64 tensor"):
        loss.backward()
    assert x.grad is None  # nothing half-written


def test_autograd_grad_refuses_too_and_real_graphs_are_untouched():
    z = ember.tensor([1 + 1j], requires_grad=True)
    with pytest.raises(NotImplementedError, match="does not differentiate through complex"):
        ember.autograd.grad((z * 2).abs().sum(), z)
    r = ember.tensor([1.0, -2.0], requires_grad=True)
    (r * r).sum().backward()
    assert r.grad.tolist() == [2.0, -4.0]


def test_a_complex_leaf_takes_a_gradient_given_directly():
    z = ember.tensor([1 + 1j, 2 - 1j], requires_grad=True)
    z.backward(ember.tensor([1 + 0j, 0 + 1j]))  # no op in between: nothing to differentiate
    assert z.grad.tolist() == [1 + 0j, 1j]
