"""SGD against PyTorch: trajectories, state dicts, resuming, the reference backend."""

from __future__ import annotations

import pytest

import ember

CASES = [
    {"lr": 0.05},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1},
    {"lr": 0.01, "momentum": 0.9, "maximize": True},
]


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_sgd_matches_torch(harness, kwargs):
    harness.check("SGD", kwargs)


def test_sgd_on_reference_backend(harness):
    harness.check_ref("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True})


def test_sgd_default_lr_and_state_without_momentum(harness):
    w = ember.zeros(3, requires_grad=True)
    opt = ember.optim.SGD([w])
    assert opt.defaults["lr"] == 1e-3
    (w - 1).square().sum().backward()
    opt.step()
    assert opt.state_dict()["state"] == {}


@pytest.mark.parametrize("kwargs", [{"lr": -0.1}, {"lr": 0.1, "momentum": -0.5},
                                    {"lr": 0.1, "weight_decay": -1.0},
                                    {"lr": 0.1, "nesterov": True},
                                    {"lr": 0.1, "momentum": 0.9, "dampening": 0.1,
                                     "nesterov": True}], ids=str)
def test_sgd_validation_matches_torch(torch, kwargs):
    with pytest.raises(ValueError) as t_err:
        torch.optim.SGD([torch.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as e_err:
        ember.optim.SGD([ember.zeros(2, requires_grad=True)], **kwargs)
    assert str(e_err.value) == str(t_err.value)


def test_differentiable_sgd_lets_gradients_flow_through_the_step(torch):
    """With ``differentiable=True`` the update is recorded, as PyTorch does for meta-learning."""
    def run(lib):
        w0 = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        w = w0 * 1.0
        w.retain_grad()
        opt = lib.optim.SGD([w], lr=0.1, momentum=0.9, differentiable=True)
        for g in ([0.5, -1.0], [0.25, 3.0]):
            w.grad = lib.tensor(g, dtype=lib.float64)
            opt.step()
        (w * w).sum().backward()
        return w0.grad.tolist() + w.tolist()

    assert run(ember) == pytest.approx(run(torch), rel=1e-12)


def test_non_leaf_that_retains_grad_can_be_optimized():
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    ember.optim.SGD([y], lr=0.1)
