"""Pooling of ``ember.nn.functional`` against PyTorch: max (with indices, ties, NaN,
ceil_mode, dilation, padding), average (count_include_pad, divisor_override, ceil_mode),
lp, adaptive pools, max_unpool; errors; reference backend."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F

MAX2D = [
    {"kernel_size": 2},
    {"kernel_size": 3, "stride": 2, "padding": 1},
    {"kernel_size": (2, 3), "stride": (1, 2), "dilation": (2, 1)},
    {"kernel_size": 3, "stride": 2, "ceil_mode": True},
    {"kernel_size": 2, "stride": 1, "padding": 1, "ceil_mode": True},
]


@pytest.mark.parametrize("kwargs", MAX2D, ids=[str(k) for k in MAX2D])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool2d_with_indices_matches_torch(torch, kwargs, dtype):
    out = check(torch, lambda a: F.max_pool2d(a, return_indices=True, **kwargs),
                lambda a: torch.nn.functional.max_pool2d(a, return_indices=True, **kwargs),
                randn(2, 3, 7, 6, dtype=dtype))
    assert out[1].dtype == ember.int64


def test_max_pool2d_ties_send_gradient_to_the_first_maximum(torch):
    x = np.maximum(randn(2, 3, 6, 6), 0)  # many zero ties after a ReLU
    x[0, 0, :2, :2] = 1.0
    check(torch, lambda a: F.max_pool2d(a, 2, return_indices=True),
          lambda a: torch.nn.functional.max_pool2d(a, 2, return_indices=True), x)
    check(torch, lambda a: F.max_pool2d(a, 3, 1), lambda a: torch.nn.functional.max_pool2d(
        a, 3, 1), x)


def test_max_pool2d_nan_wins(torch):
    x = randn(1, 1, 4, 4)
    x[0, 0, 1, 1] = np.nan
    check(torch, lambda a: F.max_pool2d(a, 2, return_indices=True),
          lambda a: torch.nn.functional.max_pool2d(a, 2, return_indices=True), x, grad=False)


@pytest.mark.parametrize("kwargs", MAX2D[1:], ids=[str(k) for k in MAX2D[1:]])
def test_max_pool2d_window_of_only_minus_inf_points_at_its_first_real_element(torch, kwargs):
    x = np.full((1, 2, 7, 6), -np.inf)
    x[0, 1, 3, 2] = 1.0
    check(torch, lambda a: F.max_pool2d(a, return_indices=True, **kwargs),
          lambda a: torch.nn.functional.max_pool2d(a, return_indices=True, **kwargs), x,
          grad=False)


def test_max_pool2d_on_integers(torch):
    x = np.arange(50).reshape(1, 2, 5, 5) % 7
    check(torch, lambda a: F.max_pool2d(a, 3, 2, 1, return_indices=True),
          lambda a: torch.nn.functional.max_pool2d(a, 3, 2, 1, return_indices=True), x,
          grad=False)


def test_max_pool1d_3d_and_unbatched(torch):
    check(torch, lambda a: F.max_pool1d(a, 3, 2, 1), lambda a: torch.nn.functional.max_pool1d(
        a, 3, 2, 1), randn(2, 3, 9))
    check(torch, lambda a: F.max_pool2d(a, 2), lambda a: torch.nn.functional.max_pool2d(a, 2),
          randn(3, 5, 4))
    check(torch, lambda a: F.max_pool3d(a, 2, return_indices=True),
          lambda a: torch.nn.functional.max_pool3d(a, 2, return_indices=True),
          randn(2, 2, 4, 4, 5))


AVG2D = [
    {"kernel_size": 2},
    {"kernel_size": 3, "stride": 2, "padding": 1},
    {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
    {"kernel_size": 3, "stride": 2, "ceil_mode": True},
    {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
     "count_include_pad": False},
    {"kernel_size": (2, 3), "divisor_override": 4},
]


@pytest.mark.parametrize("kwargs", AVG2D, ids=[str(k) for k in AVG2D])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_avg_pool2d_matches_torch(torch, kwargs, dtype):
    check(torch, lambda a: F.avg_pool2d(a, **kwargs),
          lambda a: torch.nn.functional.avg_pool2d(a, **kwargs), randn(2, 3, 7, 6, dtype=dtype))


def test_avg_pool1d_3d_and_lp_pool(torch):
    check(torch, lambda a: F.avg_pool1d(a, 3, 2, 1, count_include_pad=False),
          lambda a: torch.nn.functional.avg_pool1d(a, 3, 2, 1, count_include_pad=False),
          randn(2, 3, 8))
    check(torch, lambda a: F.avg_pool3d(a, 2, ceil_mode=True),
          lambda a: torch.nn.functional.avg_pool3d(a, 2, ceil_mode=True), randn(1, 2, 3, 4, 5))
    check(torch, lambda a: F.lp_pool2d(a, 2, 2), lambda a: torch.nn.functional.lp_pool2d(
        a, 2, 2), randn(2, 3, 4, 6))
    check(torch, lambda a: F.lp_pool1d(a, 3, 2), lambda a: torch.nn.functional.lp_pool1d(
        a, 3, 2), np.abs(randn(2, 3, 6)) + 0.1)
    check(torch, lambda a: F.lp_pool3d(a, 2, (1, 2, 2)),
          lambda a: torch.nn.functional.lp_pool3d(a, 2, (1, 2, 2)), randn(1, 2, 3, 4, 4))


@pytest.mark.parametrize("size", [1, 2, (3, 4), (5, None), (7, 6)])
def test_adaptive_avg_pool2d_matches_torch(torch, size):
    check(torch, lambda a: F.adaptive_avg_pool2d(a, size),
          lambda a: torch.nn.functional.adaptive_avg_pool2d(a, size), randn(2, 3, 7, 6))


@pytest.mark.parametrize("size", [1, (3, 4), (5, 2)])
def test_adaptive_max_pool2d_matches_torch(torch, size):
    check(torch, lambda a: F.adaptive_max_pool2d(a, size, return_indices=True),
          lambda a: torch.nn.functional.adaptive_max_pool2d(a, size, return_indices=True),
          randn(2, 3, 7, 6))


def test_adaptive_pools_1d_3d(torch):
    check(torch, lambda a: F.adaptive_avg_pool1d(a, 4),
          lambda a: torch.nn.functional.adaptive_avg_pool1d(a, 4), randn(2, 3, 7))
    check(torch, lambda a: F.adaptive_max_pool1d(a, 3, True),
          lambda a: torch.nn.functional.adaptive_max_pool1d(a, 3, True), randn(2, 3, 7))
    check(torch, lambda a: F.adaptive_avg_pool3d(a, (1, 2, 3)),
          lambda a: torch.nn.functional.adaptive_avg_pool3d(a, (1, 2, 3)), randn(1, 2, 3, 4, 5))
    check(torch, lambda a: F.adaptive_max_pool3d(a, 2),
          lambda a: torch.nn.functional.adaptive_max_pool3d(a, 2), randn(1, 2, 3, 4, 5))


@pytest.mark.parametrize("kwargs", [{}, {"stride": 1}, {"output_size": (7, 6)}])
def test_max_unpool2d_matches_torch(torch, kwargs):
    x = torch.tensor(randn(2, 3, 7, 6))
    stride = kwargs.get("stride", 2)
    out, idx = torch.nn.functional.max_pool2d(x, 2, stride, return_indices=True)
    e_idx = ember.tensor(idx.numpy())
    check(torch, lambda a: F.max_unpool2d(a, e_idx, 2, **kwargs),
          lambda a: torch.nn.functional.max_unpool2d(a, idx, 2, **kwargs), out.numpy())


def test_max_unpool_round_trip_1d_3d():
    x = ember.tensor(randn(1, 2, 8))
    out, idx = F.max_pool1d(x, 2, return_indices=True)
    back = F.max_unpool1d(out, idx, 2)
    assert back.shape == x.shape and float(back.max()) == float(x.max())
    x3 = ember.tensor(randn(1, 1, 2, 2, 2))
    out3, idx3 = F.max_pool3d(x3, 2, return_indices=True)
    assert F.max_unpool3d(out3, idx3, 2).sum().item() == pytest.approx(x3.max().item())


@pytest.mark.parametrize("fn,args,kwargs", [
    ("max_pool2d", [(1, 1, 5, 5)], {"kernel_size": 3, "padding": 2}),
    ("max_pool1d", [(1, 1, 5)], {"kernel_size": 3, "padding": 2}),
    ("avg_pool2d", [(1, 1, 5, 5)], {"kernel_size": 3, "padding": 2}),
    ("max_pool2d", [(5, 5)], {"kernel_size": 3}),
    ("max_pool2d", [(1, 1, 2, 2)], {"kernel_size": 3}),
    ("avg_pool2d", [(1, 1, 2, 2)], {"kernel_size": 3}),
    ("max_pool2d", [(1, 1, 4, 4)], {"kernel_size": 2, "stride": 0}),
    ("adaptive_avg_pool2d", [(5, 5)], {"output_size": 3}),
])
def test_pooling_errors_match_torch(torch, fn, args, kwargs):
    raises_like(torch, lambda *a: getattr(F, fn)(*a, **kwargs),
                lambda *a: getattr(torch.nn.functional, fn)(*a, **kwargs),
                *[randn(*s) for s in args])


def test_pooling_on_reference_backend(torch):
    x = randn(1, 2, 4, 5)
    check(torch, lambda a: F.max_pool2d(a, 2, return_indices=True),
          lambda a: torch.nn.functional.max_pool2d(a, 2, return_indices=True), x, device="ref")
    check(torch, lambda a: F.avg_pool2d(a, 3, 2, 1),
          lambda a: torch.nn.functional.avg_pool2d(a, 3, 2, 1), x, device="ref")
    check(torch, lambda a: F.adaptive_avg_pool2d(a, (3, 2)),
          lambda a: torch.nn.functional.adaptive_avg_pool2d(a, (3, 2)), x, device="ref")
