"""Normalisation functions against PyTorch: batch_norm (training with in-place running
statistics and the unbiased variance, evaluation), instance/layer/group/rms/local response
norm, gradients for input, weight and bias; errors; reference backend."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F


def _bn(lib_f, lib, rm, rv, training, momentum=0.1, **device):
    def f(a, w, b):
        m, v = lib.tensor(rm, **device), lib.tensor(rv, **device)
        y = lib_f.batch_norm(a, m, v, w, b, training, momentum, 1e-5)
        return y, m, v
    return f


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 5), (2, 3, 2, 2, 3)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_torch(torch, shape, training):
    c = shape[1]
    rm, rv = randn(c, seed=5), np.abs(randn(c, seed=6)) + 0.5
    check(torch, _bn(F, ember, rm, rv, training), _bn(torch.nn.functional, torch, rm, rv,
                                                      training),
          randn(*shape), randn(c, seed=1), randn(c, seed=2))


def test_batch_norm_float32_and_momentum(torch):
    rm, rv = np.zeros(3, np.float32), np.ones(3, np.float32)
    check(torch, _bn(F, ember, rm, rv, True, 0.3), _bn(torch.nn.functional, torch, rm, rv,
                                                       True, 0.3),
          randn(4, 3, 5, dtype=np.float32), randn(3, seed=1, dtype=np.float32),
          randn(3, seed=2, dtype=np.float32))


def test_batch_norm_without_affine_or_running_stats(torch):
    check(torch, lambda a: F.batch_norm(a, None, None, training=True),
          lambda a: torch.nn.functional.batch_norm(a, None, None, training=True),
          randn(4, 3, 5))


def test_batch_norm_running_stats_update_in_place():
    x = ember.tensor([[1.0], [3.0]])
    rm, rv = ember.zeros(1), ember.ones(1)
    F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    assert rm.tolist() == [1.0]  # 0.5 * 0 + 0.5 * 2
    assert rv.tolist() == [1.5]  # 0.5 * 1 + 0.5 * unbiased var 2


def test_batch_norm_errors(torch):
    raises_like(torch, lambda a: F.batch_norm(a, None, None, training=True),
                lambda a: torch.nn.functional.batch_norm(a, None, None, training=True),
                randn(1, 3))
    raises_like(torch, lambda a, m, v: F.batch_norm(a, m, v),
                lambda a, m, v: torch.nn.functional.batch_norm(a, m, v),
                randn(2, 3), randn(4), randn(3))


@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm_matches_torch(torch, use_input_stats):
    rm, rv = randn(3, seed=5), np.abs(randn(3, seed=6)) + 0.5

    def run(lib_f, lib):
        def f(a, w, b):
            m, v = lib.tensor(rm), lib.tensor(rv)
            y = lib_f.instance_norm(a, m, v, w, b, use_input_stats, 0.2)
            return y, m, v
        return f

    check(torch, run(F, ember), run(torch.nn.functional, torch), randn(2, 3, 4, 5),
          randn(3, seed=1), randn(3, seed=2))


@pytest.mark.parametrize("normalized", [(5,), (4, 5)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_layer_norm_matches_torch(torch, normalized, dtype):
    out = check(torch, lambda a, w, b: F.layer_norm(a, normalized, w, b),
                lambda a, w, b: torch.nn.functional.layer_norm(a, normalized, w, b),
                randn(3, 4, 5, dtype=dtype), randn(*normalized, seed=1, dtype=dtype),
                randn(*normalized, seed=2, dtype=dtype))
    assert out[0].grad_fn.name() == "NativeLayerNormBackward0"
    check(torch, lambda a: F.layer_norm(a, normalized), lambda a:
          torch.nn.functional.layer_norm(a, normalized), randn(3, 4, 5, dtype=dtype))


def test_layer_norm_shape_error(torch):
    raises_like(torch, lambda a: F.layer_norm(a, (4,)),
                lambda a: torch.nn.functional.layer_norm(a, (4,)), randn(2, 3))


@pytest.mark.parametrize("groups", [1, 2, 6])
def test_group_norm_matches_torch(torch, groups):
    check(torch, lambda a, w, b: F.group_norm(a, groups, w, b),
          lambda a, w, b: torch.nn.functional.group_norm(a, groups, w, b),
          randn(2, 6, 5), randn(6, seed=1), randn(6, seed=2))
    check(torch, lambda a: F.group_norm(a, groups), lambda a: torch.nn.functional.group_norm(
        a, groups), randn(2, 6, 2, 3))


def test_group_norm_divisibility_error(torch):
    raises_like(torch, lambda a: F.group_norm(a, 4), lambda a: torch.nn.functional.group_norm(
        a, 4), randn(2, 6, 4))


def test_rms_norm_and_local_response_norm(torch):
    check(torch, lambda a, w: F.rms_norm(a, (5,), w), lambda a, w: torch.nn.functional.rms_norm(
        a, (5,), w), randn(3, 4, 5), randn(5, seed=1))
    check(torch, lambda a: F.rms_norm(a, (4, 5), eps=1e-3),
          lambda a: torch.nn.functional.rms_norm(a, (4, 5), eps=1e-3), randn(3, 4, 5))
    check(torch, lambda a: F.local_response_norm(a, 3), lambda a:
          torch.nn.functional.local_response_norm(a, 3), randn(2, 5, 4, 3))
    check(torch, lambda a: F.local_response_norm(a, 2, 1e-2, 0.5, 2.0), lambda a:
          torch.nn.functional.local_response_norm(a, 2, 1e-2, 0.5, 2.0), randn(2, 5, 4))


def test_batch_norm_double_backward(torch):
    def second(lib, lib_f):
        x = lib.tensor(randn(4, 3), requires_grad=True)
        w = lib.tensor(randn(3, seed=1), requires_grad=True)
        y = lib_f.batch_norm(x, None, None, w, None, True)
        (gx,) = lib.autograd.grad((y ** 3).sum(), x, create_graph=True)
        gx.pow(2).sum().backward()
        return x.grad, w.grad

    for e, t in zip(second(ember, F), second(torch, torch.nn.functional)):
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-8, atol=1e-10)


def test_normalization_on_reference_backend(torch):
    check(torch, _bn(F, ember, np.zeros(2), np.ones(2), True, device="ref"),
          _bn(torch.nn.functional, torch, np.zeros(2), np.ones(2), True),
          randn(3, 2, 2), randn(2, seed=1), randn(2, seed=2), device="ref")
    check(torch, lambda a: F.layer_norm(a, (3,)), lambda a: torch.nn.functional.layer_norm(
        a, (3,)), randn(2, 3), device="ref")
