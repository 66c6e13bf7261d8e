"""Ops whose complex derivative Ember does not implement (the SVD family)
refuse a complex gradient with a clear error naming the node, instead of giving the real
formula's wrong answer (NOTE [ Complex gradients ] in ``autograd/_complex.py``)."""

from __future__ import annotations

import pytest

import ember


def test_backward_through_an_unsupported_complex_op_raises_naming_the_node():
    z = ember.tensor([[1 + 2j, 3 - 1j], [0.5j, 2 + 0j]], requires_grad=True)
    loss = ember.linalg.svdvals(z).sum()  # the forward is recorded as usual
    assert loss.grad_fn.name() == "SumBackward0"
    with pytest.raises(NotImplementedError, match=r"LinalgSvdBackward0: .*complex tensors"):
        loss.backward()
    assert z.grad is None  # nothing half-written


def test_autograd_grad_refuses_too_and_real_graphs_are_untouched():
    z = ember.tensor([[1 + 1j, 0j], [0j, 2 - 1j]], requires_grad=True)
    with pytest.raises(NotImplementedError, match="LinalgSvdBackward0"):
        ember.autograd.grad(ember.linalg.matrix_norm(z * 2, "nuc"), z)
    r = ember.tensor([1.0, -2.0], requires_grad=True)
    (r * r).sum().backward()
    assert r.grad.tolist() == [2.0, -4.0]


def test_a_complex_leaf_takes_a_gradient_given_directly():
    z = ember.tensor([1 + 1j, 2 - 1j], requires_grad=True)
    z.backward(ember.tensor([1 + 0j, 0 + 1j]))  # no op in between: nothing to differentiate
    assert z.grad.tolist() == [1 + 0j, 1j]
