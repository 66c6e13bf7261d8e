"""``ember.nn.init`` against PyTorch: gains and fans, deterministic initialisers exactly,
random ones by their bounds and moments, in place and under no_grad, reproducible with a
seed or a generator, and PyTorch's errors and warnings."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember
from ember.nn import init


@pytest.mark.parametrize("name,param", [
    ("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None),
    ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
    ("leaky_relu", 3), ("selu", None),
])
def test_calculate_gain_matches_torch(torch, name, param):
    assert init.calculate_gain(name, param) == torch.nn.init.calculate_gain(name, param)


@pytest.mark.parametrize("name,param,exc", [("swish", None, ValueError),
                                            ("leaky_relu", True, ValueError),
                                            ("leaky_relu", "0.1", ValueError)])
def test_calculate_gain_errors(torch, name, param, exc):
    with pytest.raises(exc) as t_err:
        torch.nn.init.calculate_gain(name, param)
    with pytest.raises(exc) as e_err:
        init.calculate_gain(name, param)
    assert str(e_err.value) == str(t_err.value)


@pytest.mark.parametrize("shape", [(3, 5), (4, 2, 3), (6, 3, 2, 5), (2, 3, 1, 1, 4)])
def test_fans_match_torch(torch, shape):
    e = init._calculate_fan_in_and_fan_out(ember.empty(*shape))
    t = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    assert e == t


@pytest.mark.parametrize("fn", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
                                "kaiming_normal_"])
def test_fan_errors_for_1d_tensors(torch, fn):
    with pytest.raises(ValueError) as t_err:
        getattr(torch.nn.init, fn)(torch.empty(5))
    with pytest.raises(ValueError) as e_err:
        getattr(init, fn)(ember.empty(5))
    assert str(e_err.value) == str(t_err.value) == (
        "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")


def test_kaiming_bad_mode(torch):
    with pytest.raises(ValueError) as t_err:
        torch.nn.init.kaiming_uniform_(torch.empty(3, 4), mode="fan_avg")
    with pytest.raises(ValueError) as e_err:
        init.kaiming_uniform_(ember.empty(3, 4), mode="fan_avg")
    assert str(e_err.value) == str(t_err.value)


def _big(*shape):
    return ember.empty(*shape, dtype=ember.float64)


@pytest.mark.parametrize("fn,kwargs,bound", [
    ("uniform_", {"a": -0.3, "b": 0.7}, None),
    ("xavier_uniform_", {"gain": 2.0}, 2.0 * math.sqrt(6 / (200 + 300))),
    ("kaiming_uniform_", {"a": math.sqrt(5)}, math.sqrt(6 / (1 + 5)) / math.sqrt(300)),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"},
     math.sqrt(2) * math.sqrt(3 / 200)),
])
def test_uniform_initialisers_bounds_and_spread(fn, kwargs, bound):
    w = getattr(init, fn)(_big(200, 300), **kwargs)
    v = w.numpy()
    lo, hi = (-0.3, 0.7) if bound is None else (-bound, bound)
    assert v.min() >= lo and v.max() <= hi
    assert abs(v.min() - lo) < 0.01 * (hi - lo) and abs(v.max() - hi) < 0.01 * (hi - lo)
    assert abs(v.mean() - (lo + hi) / 2) < 0.01 * (hi - lo)


@pytest.mark.parametrize("fn,kwargs,std", [
    ("normal_", {"mean": 1.0, "std": 0.5}, 0.5),
    ("xavier_normal_", {}, math.sqrt(2 / (200 + 300))),
    ("kaiming_normal_", {"nonlinearity": "relu"}, math.sqrt(2) / math.sqrt(300)),
    ("kaiming_normal_", {"mode": "fan_out", "a": 0.1}, math.sqrt(2 / 1.01) / math.sqrt(200)),
])
def test_normal_initialisers_moments(fn, kwargs, std):
    v = getattr(init, fn)(_big(200, 300), **kwargs).numpy()
    assert abs(v.std() - std) < 0.02 * std
    assert abs(v.mean() - kwargs.get("mean", 0.0)) < 0.02 * std


def test_initialisers_work_in_place_on_parameters_requiring_grad():
    w = ember.empty(4, 5, requires_grad=True)
    for fn in [init.uniform_, init.normal_, init.xavier_uniform_, init.xavier_normal_,
               init.kaiming_uniform_, init.kaiming_normal_, init.trunc_normal_,
               init.orthogonal_, init.ones_, init.zeros_, init.eye_]:
        out = fn(w)
        assert out is w and w.requires_grad and w.is_leaf and w.grad_fn is None
    assert init.constant_(w, 0.25) is w and set(w.reshape(-1).tolist()) == {0.25}


def test_seed_and_generator_reproducibility():
    ember.manual_seed(42)
    a = init.kaiming_uniform_(ember.empty(3, 4))
    ember.manual_seed(42)
    b = init.kaiming_uniform_(ember.empty(3, 4))
    assert a.tolist() == b.tolist()
    g1 = ember.Generator().manual_seed(5)
    g2 = ember.Generator().manual_seed(5)
    assert init.xavier_normal_(ember.empty(3, 4), generator=g1).tolist() == \
        init.xavier_normal_(ember.empty(3, 4), generator=g2).tolist()


def test_same_weights_on_every_backend():
    ember.manual_seed(3)
    a = init.kaiming_uniform_(ember.empty(3, 4))
    ember.manual_seed(3)
    b = init.kaiming_uniform_(ember.empty(3, 4, device="ref"))
    assert a.tolist() == b.tolist()


def test_trunc_normal_bounds_and_moments():
    v = init.trunc_normal_(_big(100000), mean=0.5, std=1.0, a=-0.5, b=1.0).numpy()
    assert v.min() >= -0.5 and v.max() <= 1.0
    # the mean of N(0.5, 1) truncated to [-0.5, 1]
    phi = [math.exp(-z * z / 2) / math.sqrt(2 * math.pi) for z in (-1.0, 0.5)]
    cdf = [(1 + math.erf(z / math.sqrt(2))) / 2 for z in (-1.0, 0.5)]
    expected = 0.5 + (phi[0] - phi[1]) / (cdf[1] - cdf[0])
    assert abs(v.mean() - expected) < 0.01


def test_trunc_normal_on_a_thin_slice_of_the_distribution():
    v = init.trunc_normal_(_big(50000), mean=0.0, std=1.0, a=1.0, b=3.0).numpy()
    assert v.min() >= 1.0 and v.max() <= 3.0
    phi = [math.exp(-z * z / 2) / math.sqrt(2 * math.pi) for z in (1.0, 3.0)]
    cdf = [(1 + math.erf(z / math.sqrt(2))) / 2 for z in (1.0, 3.0)]
    assert abs(v.mean() - (phi[0] - phi[1]) / (cdf[1] - cdf[0])) < 0.01


def test_trunc_normal_warns_when_mean_far_from_interval():
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        init.trunc_normal_(ember.empty(10), mean=5.0, std=1.0, a=-1.0, b=1.0)


def test_eye_and_dirac_match_torch(torch):
    assert init.eye_(ember.empty(3, 5)).tolist() == torch.nn.init.eye_(
        torch.empty(3, 5)).tolist()
    for shape, groups in [((4, 2, 3), 1), ((4, 4, 3, 3), 2), ((6, 2, 3, 3, 3), 3)]:
        e = init.dirac_(ember.empty(*shape), groups)
        t = torch.nn.init.dirac_(torch.empty(*shape), groups)
        assert e.tolist() == t.tolist()
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(ember.empty(3))
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions"):
        init.dirac_(ember.empty(3, 3))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        init.dirac_(ember.empty(3, 2, 3), 2)


@pytest.mark.parametrize("shape", [(4, 4), (3, 7), (7, 3), (4, 2, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = init.orthogonal_(ember.empty(*shape, dtype=ember.float64), gain=2.0).numpy()
    m = w.reshape(shape[0], -1)
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(gram, 4.0 * np.eye(gram.shape[0]), atol=1e-10)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions"):
        init.orthogonal_(ember.empty(3))


def test_sparse_zeroes_a_fraction_of_each_column():
    w = init.sparse_(ember.empty(10, 6), sparsity=0.3, std=0.1).numpy()
    assert ((w == 0).sum(0) == 3).all()
    assert 0.03 < w[w != 0].std() < 0.3
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.sparse_(ember.empty(3, 3, 3), 0.1)


def test_zero_element_tensor_warns(torch):
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(ember.empty(0, 3))


def test_deprecated_aliases_warn():
    with pytest.warns(FutureWarning, match="nn.init.xavier_uniform_"):
        init.xavier_uniform(ember.empty(3, 4))
    with pytest.warns(FutureWarning, match="nn.init.normal_"):
        init.normal(ember.empty(3))
