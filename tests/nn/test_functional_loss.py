"""Regression and binary losses against PyTorch: every reduction, weights, the
deprecated size_average/reduce, edge values (probabilities 0 and 1, logits 0), warnings
and errors."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F

REDUCTIONS = ["mean", "sum", "none"]


def _pair(dtype=np.float64):
    return randn(4, 5, dtype=dtype), randn(4, 5, seed=1, dtype=dtype)


@pytest.mark.parametrize("name,kwargs", [
    ("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {}),
    ("smooth_l1_loss", {"beta": 0.5}), ("smooth_l1_loss", {"beta": 0.0}),
    ("huber_loss", {}), ("huber_loss", {"delta": 0.3}),
])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_regression_losses_match_torch(torch, name, kwargs, reduction, dtype):
    x, y = _pair(dtype)
    x[0, 0] = y[0, 0]  # a zero difference: the |d| kink
    check(torch, lambda a, b: getattr(F, name)(a, b, reduction=reduction, **kwargs),
          lambda a, b: getattr(torch.nn.functional, name)(a, b, reduction=reduction, **kwargs),
          x, y)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_regression_losses(torch, name, reduction):
    x, y = _pair()
    w = np.abs(randn(4, 5, seed=2))
    check(torch, lambda a, b, c: getattr(F, name)(a, b, reduction=reduction, weight=c),
          lambda a, b, c: getattr(torch.nn.functional, name)(a, b, reduction=reduction,
                                                             weight=c),
          x, y, w, requires_grad=[True, True, False])


def test_broadcasting_target_warns_like_torch(torch):
    with pytest.warns(UserWarning, match="Using a target size"):
        out = F.mse_loss(ember.tensor(randn(3, 1)), ember.tensor(randn(3)))
    with pytest.warns(UserWarning):
        ref = torch.nn.functional.mse_loss(torch.tensor(randn(3, 1)), torch.tensor(randn(3)))
    assert out.item() == pytest.approx(ref.item())


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss",
                                  "binary_cross_entropy", "kl_div", "poisson_nll_loss",
                                  "soft_margin_loss"])
def test_bad_reduction_raises_like_torch(torch, name):
    x = np.full((2, 3), 0.5)
    raises_like(torch, lambda a, b: getattr(F, name)(a, b, reduction="avg"),
                lambda a, b: getattr(torch.nn.functional, name)(a, b, reduction="avg"), x, x)


@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False), (True, True)])
def test_legacy_size_average_and_reduce(torch, size_average, reduce):
    x, y = _pair()
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        e = F.mse_loss(ember.tensor(x), ember.tensor(y), size_average, reduce)
    with pytest.warns(UserWarning):
        t = torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y), size_average, reduce)
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_matches_torch(torch, reduction):
    p = 1 / (1 + np.exp(-randn(4, 5)))
    t = (randn(4, 5, seed=1) > 0).astype(np.float64)
    check(torch, lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
          lambda a, b: torch.nn.functional.binary_cross_entropy(a, b, reduction=reduction),
          p, t)
    w = np.abs(randn(5, seed=2))
    check(torch, lambda a, b, c: F.binary_cross_entropy(a, b, c, reduction=reduction),
          lambda a, b, c: torch.nn.functional.binary_cross_entropy(a, b, c,
                                                                   reduction=reduction),
          p, p[::-1].copy(), w, requires_grad=[True, True, False])


@pytest.mark.filterwarnings("ignore:divide by zero")  # log(0) = -inf, then clamped to -100
def test_binary_cross_entropy_clamps_log_at_zero_and_one(torch):
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    out = check(torch, lambda a, b: F.binary_cross_entropy(a, b, reduction="none"),
                lambda a, b: torch.nn.functional.binary_cross_entropy(a, b, reduction="none"),
                p, t, requires_grad=[True, False])
    assert out[0].tolist()[:2] == [100.0, 100.0]


def test_binary_cross_entropy_errors(torch):
    raises_like(torch, F.binary_cross_entropy, torch.nn.functional.binary_cross_entropy,
                np.full((2, 3), 0.5), np.full((3,), 0.5))
    raises_like(torch, F.binary_cross_entropy, torch.nn.functional.binary_cross_entropy,
                np.array([1.5, 0.5]), np.array([1.0, 0.0]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bce_with_logits_matches_torch(torch, reduction, dtype):
    x = randn(4, 5, dtype=dtype) * 30  # large logits: the stable formula matters
    x[0, :2] = 0.0  # logits exactly 0 (a zero-initialised head)
    t = np.abs(randn(4, 5, seed=1, dtype=dtype)).clip(0, 1)
    check(torch, lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction),
          lambda a, b: torch.nn.functional.binary_cross_entropy_with_logits(
              a, b, reduction=reduction), x, t)
    w, pw = np.abs(randn(5, seed=2, dtype=dtype)), np.abs(randn(5, seed=3, dtype=dtype)) + 0.5
    check(torch, lambda a, b, c, d: F.binary_cross_entropy_with_logits(
              a, b, c, reduction=reduction, pos_weight=d),
          lambda a, b, c, d: torch.nn.functional.binary_cross_entropy_with_logits(
              a, b, c, reduction=reduction, pos_weight=d),
          x, t, w, pw, requires_grad=[True, True, False, False])


def test_bce_with_logits_size_error(torch):
    raises_like(torch, F.binary_cross_entropy_with_logits,
                torch.nn.functional.binary_cross_entropy_with_logits, randn(2, 3), randn(3))


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(torch, reduction, log_target):
    p = np.exp(randn(4, 5))
    p /= p.sum(1, keepdims=True)
    q = np.exp(randn(4, 5, seed=1))
    q /= q.sum(1, keepdims=True)
    q[0, 0] = 0.0 if not log_target else q[0, 0]  # 0 * log 0 = 0
    target = np.log(q) if log_target else q
    check(torch, lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
          lambda a, b: torch.nn.functional.kl_div(a, b, reduction=reduction,
                                                  log_target=log_target),
          np.log(p), target, requires_grad=[True, False])


def test_kl_div_mean_warns(torch):
    with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss"):
        e = F.kl_div(ember.tensor(randn(2, 3)), ember.tensor(np.full((2, 3), 0.2)))
    with pytest.warns(UserWarning):
        t = torch.nn.functional.kl_div(torch.tensor(randn(2, 3)),
                                       torch.tensor(np.full((2, 3), 0.2)))
    assert e.item() == pytest.approx(t.item())


@pytest.mark.parametrize("kwargs", [{}, {"full": True}, {"log_input": False},
                                    {"log_input": False, "full": True, "reduction": "sum"}])
def test_poisson_nll_loss_matches_torch(torch, kwargs):
    x = np.abs(randn(4, 5)) + 0.1
    t = np.floor(np.abs(randn(4, 5, seed=1)) * 3)
    check(torch, lambda a, b: F.poisson_nll_loss(a, b, **kwargs),
          lambda a, b: torch.nn.functional.poisson_nll_loss(a, b, **kwargs), x, t,
          requires_grad=[True, False])


@pytest.mark.parametrize("kwargs", [{}, {"full": True, "reduction": "sum"},
                                    {"reduction": "none", "eps": 0.5}])
def test_gaussian_nll_loss_matches_torch(torch, kwargs):
    var = np.abs(randn(4, 5, seed=2))
    var[0, 0] = 0.0  # clamped to eps, gradient passes through unchanged
    check(torch, lambda a, b, v: F.gaussian_nll_loss(a, b, v, **kwargs),
          lambda a, b, v: torch.nn.functional.gaussian_nll_loss(a, b, v, **kwargs),
          randn(4, 5), randn(4, 5, seed=1), var)
    check(torch, lambda a, b, v: F.gaussian_nll_loss(a, b, v),
          lambda a, b, v: torch.nn.functional.gaussian_nll_loss(a, b, v),
          randn(4, 5), randn(4, 5, seed=1), np.abs(randn(4, seed=3)))


def test_gaussian_nll_loss_errors(torch):
    raises_like(torch, F.gaussian_nll_loss, torch.nn.functional.gaussian_nll_loss,
                randn(4, 5), randn(4, 5), np.abs(randn(3)))
    raises_like(torch, F.gaussian_nll_loss, torch.nn.functional.gaussian_nll_loss,
                randn(4, 5), randn(4, 5), -np.ones((4, 5)))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_soft_margin_loss_matches_torch(torch, reduction):
    check(torch, lambda a, b: F.soft_margin_loss(a, b, reduction=reduction),
          lambda a, b: torch.nn.functional.soft_margin_loss(a, b, reduction=reduction),
          randn(4, 5), np.sign(randn(4, 5, seed=1)), requires_grad=[True, False])


def test_losses_on_reference_backend(torch):
    x, y = randn(2, 3), randn(2, 3, seed=1)
    check(torch, F.mse_loss, torch.nn.functional.mse_loss, x, y, device="ref")
    check(torch, F.binary_cross_entropy_with_logits,
          torch.nn.functional.binary_cross_entropy_with_logits, x, np.abs(y).clip(0, 1),
          device="ref")
    check(torch, F.smooth_l1_loss, torch.nn.functional.smooth_l1_loss, x, y, device="ref")
