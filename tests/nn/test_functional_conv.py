"""Convolutions and linear maps of ``ember.nn.functional`` against PyTorch: values and
input/weight/bias gradients for stride, padding (ints, tuples, 'same', 'valid'), dilation,
groups, unbatched inputs, transposed convolutions, unfold/fold; errors; reference backend."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F

CONV2D = [
    {},
    {"stride": 2, "padding": 1},
    {"stride": (1, 2), "padding": (2, 0), "dilation": (1, 2)},
    {"groups": 2},
    {"groups": 4, "padding": "same"},
    {"padding": "same", "dilation": 2},
    {"padding": "valid", "stride": 3},
]


@pytest.mark.parametrize("kwargs", CONV2D, ids=[str(k) for k in CONV2D])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_conv2d_matches_torch(torch, kwargs, dtype):
    g = kwargs.get("groups", 1)
    x, w, b = randn(2, 4, 7, 6, dtype=dtype), randn(8, 4 // g, 3, 3, seed=1, dtype=dtype), \
        randn(8, seed=2, dtype=dtype)
    out = check(torch, lambda a, c, d: F.conv2d(a, c, d, **kwargs),
                lambda a, c, d: torch.nn.functional.conv2d(a, c, d, **kwargs), x, w, b)
    assert out[0].grad_fn.name() == "ConvolutionBackward0"


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # PyTorch's own performance note
def test_conv2d_even_kernel_same_and_no_bias(torch):
    check(torch, lambda a, c: F.conv2d(a, c, padding="same"),
          lambda a, c: torch.nn.functional.conv2d(a, c, padding="same"),
          randn(2, 3, 5, 6), randn(4, 3, 2, 4, seed=1))


def test_conv2d_unbatched_and_weight_only_grad(torch):
    check(torch, lambda a, c: F.conv2d(a, c, padding=1),
          lambda a, c: torch.nn.functional.conv2d(a, c, padding=1),
          randn(3, 5, 5), randn(2, 3, 3, 3, seed=1))
    check(torch, lambda a, c: F.conv2d(a, c), lambda a, c: torch.nn.functional.conv2d(a, c),
          randn(2, 3, 5, 5), randn(2, 3, 3, 3, seed=1), requires_grad=[False, True])


@pytest.mark.parametrize("kwargs", [{}, {"stride": 2, "padding": 2, "dilation": 2},
                                    {"groups": 3, "padding": "same"}])
def test_conv1d_matches_torch(torch, kwargs):
    g = kwargs.get("groups", 1)
    check(torch, lambda a, c, d: F.conv1d(a, c, d, **kwargs),
          lambda a, c, d: torch.nn.functional.conv1d(a, c, d, **kwargs),
          randn(2, 3, 11), randn(6, 3 // g, 3, seed=1), randn(6, seed=2))


@pytest.mark.parametrize("kwargs", [{}, {"stride": (1, 2, 1), "padding": 1}])
def test_conv3d_matches_torch(torch, kwargs):
    check(torch, lambda a, c, d: F.conv3d(a, c, d, **kwargs),
          lambda a, c, d: torch.nn.functional.conv3d(a, c, d, **kwargs),
          randn(2, 2, 4, 5, 4), randn(3, 2, 2, 3, 2, seed=1), randn(3, seed=2))


TRANSPOSED = [
    {},
    {"stride": 2, "padding": 1, "output_padding": 1},
    {"stride": 2, "groups": 2},
    {"dilation": 2, "padding": 2},
    {"stride": (2, 1), "output_padding": (1, 0), "padding": (0, 1)},
]


@pytest.mark.parametrize("kwargs", TRANSPOSED, ids=[str(k) for k in TRANSPOSED])
def test_conv_transpose2d_matches_torch(torch, kwargs):
    g = kwargs.get("groups", 1)
    check(torch, lambda a, c, d: F.conv_transpose2d(a, c, d, **kwargs),
          lambda a, c, d: torch.nn.functional.conv_transpose2d(a, c, d, **kwargs),
          randn(2, 4, 4, 5), randn(4, 6 // g, 3, 3, seed=1), randn(6, seed=2))


def test_conv_transpose1d_and_3d_match_torch(torch):
    check(torch, lambda a, c: F.conv_transpose1d(a, c, stride=3, padding=1),
          lambda a, c: torch.nn.functional.conv_transpose1d(a, c, stride=3, padding=1),
          randn(2, 3, 5), randn(3, 2, 4, seed=1))
    check(torch, lambda a, c: F.conv_transpose1d(a, c), lambda a, c:
          torch.nn.functional.conv_transpose1d(a, c), randn(3, 5), randn(3, 2, 2, seed=1))
    check(torch, lambda a, c: F.conv_transpose3d(a, c, stride=2),
          lambda a, c: torch.nn.functional.conv_transpose3d(a, c, stride=2),
          randn(1, 2, 2, 3, 2), randn(2, 2, 2, 2, 2, seed=1))


def test_conv_double_backward(torch):
    def grads(lib, f):
        x = lib.tensor(randn(1, 2, 5, 5), requires_grad=True)
        w = lib.tensor(randn(3, 2, 3, 3, seed=1), requires_grad=True)
        (gx,) = lib.autograd.grad(f(x, w).pow(2).sum(), x, create_graph=True)
        gx.pow(2).sum().backward()
        return w.grad

    e = grads(ember, lambda x, w: F.conv2d(x, w, padding=1))
    t = grads(torch, lambda x, w: torch.nn.functional.conv2d(x, w, padding=1))
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-10)


@pytest.mark.parametrize("fe,ft,args", [
    ("conv2d", "conv2d", ((1, 3, 5, 5), (4, 2, 3, 3))),
    ("conv2d", "conv2d", ((1, 3, 2, 2), (4, 3, 3, 3))),
    ("conv2d", "conv2d", ((3,), (4, 3, 3, 3))),
    ("conv_transpose2d", "conv_transpose2d", ((1, 3, 5, 5), (2, 3, 3, 3))),
])
def test_conv_shape_errors_match_torch(torch, fe, ft, args):
    raises_like(torch, getattr(F, fe), getattr(torch.nn.functional, ft),
                *[randn(*s) for s in args])


def test_conv_bad_padding_arguments(torch):
    x, w = randn(1, 2, 5, 5), randn(2, 2, 3, 3)
    raises_like(torch, lambda a, c: F.conv2d(a, c, stride=2, padding="same"),
                lambda a, c: torch.nn.functional.conv2d(a, c, stride=2, padding="same"), x, w)
    raises_like(torch, lambda a, c: F.conv2d(a, c, padding="full"),
                lambda a, c: torch.nn.functional.conv2d(a, c, padding="full"), x, w)
    with pytest.raises(RuntimeError, match="expected stride to be a single integer"):
        F.conv2d(ember.tensor(x), ember.tensor(w), stride=(1, 1, 1))


def test_conv_groups_mismatch(torch):
    raises_like(torch, lambda a, c: F.conv2d(a, c, groups=2),
                lambda a, c: torch.nn.functional.conv2d(a, c, groups=2),
                randn(1, 4, 5, 5), randn(3, 2, 3, 3))


@pytest.mark.parametrize("kwargs", [{}, {"padding": 1, "stride": 2}, {"dilation": 2}])
def test_unfold_fold_match_torch(torch, kwargs):
    check(torch, lambda a: F.unfold(a, (2, 3), **kwargs),
          lambda a: torch.nn.functional.unfold(a, (2, 3), **kwargs), randn(2, 3, 6, 7))
    blocks = torch.nn.functional.unfold(torch.zeros(2, 3, 6, 7), (2, 3), **kwargs).shape
    check(torch, lambda a: F.fold(a, (6, 7), (2, 3), **kwargs),
          lambda a: torch.nn.functional.fold(a, (6, 7), (2, 3), **kwargs),
          randn(*blocks))


def test_fold_size_mismatch(torch):
    raises_like(torch, lambda a: F.fold(a, (4, 4), 2), lambda a: torch.nn.functional.fold(
        a, (4, 4), 2), randn(1, 4, 5))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_linear_matches_torch(torch, dtype):
    check(torch, F.linear, torch.nn.functional.linear, randn(3, 2, 5, dtype=dtype),
          randn(4, 5, seed=1, dtype=dtype), randn(4, seed=2, dtype=dtype))
    check(torch, F.linear, torch.nn.functional.linear, randn(5, dtype=dtype),
          randn(4, 5, seed=1, dtype=dtype))
    check(torch, F.linear, torch.nn.functional.linear, randn(3, 5, dtype=dtype),
          randn(5, seed=1, dtype=dtype))
    check(torch, F.linear, torch.nn.functional.linear, randn(5, dtype=dtype),
          randn(5, seed=1, dtype=dtype), randn(1, seed=2, dtype=dtype).reshape(()))


def test_linear_shape_error(torch):
    raises_like(torch, F.linear, torch.nn.functional.linear, randn(2, 7, 5), randn(4, 3))
    raises_like(torch, F.linear, torch.nn.functional.linear, randn(2, 5), randn(3))


def test_bilinear_matches_torch(torch):
    check(torch, F.bilinear, torch.nn.functional.bilinear, randn(3, 4), randn(3, 2, seed=1),
          randn(5, 4, 2, seed=2), randn(5, seed=3))


def test_conv_on_reference_backend(torch):
    check(torch, lambda a, c, d: F.conv2d(a, c, d, padding=1, stride=2),
          lambda a, c, d: torch.nn.functional.conv2d(a, c, d, padding=1, stride=2),
          randn(1, 2, 4, 4), randn(2, 2, 3, 3, seed=1), randn(2, seed=2), device="ref")
    check(torch, lambda a, c: F.conv_transpose2d(a, c, stride=2),
          lambda a, c: torch.nn.functional.conv_transpose2d(a, c, stride=2),
          randn(1, 2, 2, 2), randn(2, 1, 2, 2, seed=1), device="ref")
    check(torch, F.linear, torch.nn.functional.linear, randn(2, 3), randn(4, 3, seed=1),
          randn(4, seed=2), device="ref")
