"""Activation layers against PyTorch: repr, forward, backward, inplace, RReLU modes."""

from __future__ import annotations

import numpy as np
import pytest
from _torch_oracle import compare, randn

import ember
from ember import nn

CASES = [
    ("ReLU", (), {}), ("ReLU", (), {"inplace": True}), ("ReLU6", (), {}),
    ("ReLU6", (True,), {}), ("LeakyReLU", (), {}), ("LeakyReLU", (0.2, True), {}),
    ("PReLU", (), {}), ("PReLU", (4,), {"init": 0.1}), ("ELU", (), {}),
    ("ELU", (0.5,), {}), ("CELU", (2.0,), {}), ("SELU", (), {}), ("GELU", (), {}),
    ("GELU", (), {"approximate": "tanh"}), ("SiLU", (), {}), ("Mish", (), {}),
    ("Sigmoid", (), {}), ("Tanh", (), {}), ("Hardtanh", (), {}), ("Hardtanh", (-2.0, 0.5), {}),
    ("Hardsigmoid", (), {}), ("Hardswish", (), {}), ("Softplus", (), {}),
    ("Softplus", (2.0, 1.0), {}), ("Softsign", (), {}), ("Softmax", (), {"dim": 1}),
    ("Softmax", (-1,), {}), ("LogSoftmax", (1,), {}), ("Softmin", (0,), {}),
    ("Softmax2d", (), {}), ("Threshold", (0.1, 20.0), {}), ("Hardshrink", (), {}),
    ("Softshrink", (0.3,), {}), ("LogSigmoid", (), {}), ("Tanhshrink", (), {}),
    ("GLU", (), {}), ("GLU", (1,), {}), ("RReLU", (0.1, 0.3), {}),
]


def _ids(case):
    name, args, kwargs = case
    return name + "".join(f"-{a}" for a in args) + "".join(f"-{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_activation_matches_torch(torch, case):
    name, args, kwargs = case
    em, tm = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    if name == "RReLU":
        em.eval()
        tm.eval()
    x = randn(2, 4, 4, 4) * 3
    if kwargs.get("inplace") or (args and args[-1] is True):
        # in place on a non-leaf: the result and the gradient must still match
        t_x = torch.tensor(x, requires_grad=True)
        e_x = ember.tensor(x, requires_grad=True)
        t_out, e_out = tm(t_x * 1), em(e_x * 1)
        np.testing.assert_allclose(e_out.detach().numpy(), t_out.detach().numpy(), atol=1e-6)
        t_out.sum().backward()
        e_out.sum().backward()
        np.testing.assert_allclose(e_x.grad.numpy(), t_x.grad.numpy(), atol=1e-6)
        return
    compare(torch, em, tm, x, atol=1e-5)


def test_activation_on_reference_backend(torch):
    for name in ("ReLU", "GELU", "Softmax", "PReLU"):
        kwargs = {"dim": -1} if name == "Softmax" else {}
        em, tm = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
        compare(torch, em, tm, randn(2, 3), device="ref")


def test_rrelu_training_draws_slopes_in_range():
    m = nn.RReLU(0.1, 0.3)
    x = -ember.ones(1000)
    y = m(x).numpy()
    assert (y <= -0.1 + 1e-6).all() and (y >= -0.3 - 1e-6).all() and y.std() > 0.01
    np.testing.assert_allclose(m.eval()(x).numpy(), np.full(1000, -0.2), rtol=1e-6)


def test_prelu_parameter_and_init():
    m = nn.PReLU(4, init=0.5)
    assert isinstance(m.weight, nn.Parameter) and m.weight.shape == (4,)
    np.testing.assert_array_equal(m.weight.detach().numpy(), np.full(4, 0.5))


def test_hardtanh_validates_range():
    with pytest.raises(AssertionError, match=r"max_val \(0\) must be greater than min_val"):
        nn.Hardtanh(1, 0)
    with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D"):
        nn.Softmax2d()(ember.zeros(2, 2))
