"""Convolution layers against PyTorch: padding (ints, 'same', 'valid'), padding modes,
stride, dilation, groups, transposed convolutions with output_size; repr and init."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from _torch_oracle import compare, randn

import ember
from ember import nn

CONV2D = [
    {},
    {"stride": 2, "padding": 1},
    {"padding": (1, 2), "dilation": (2, 1)},
    {"groups": 2, "bias": False},
    {"padding": "same", "dilation": 2},
    {"padding": "valid"},
    {"padding": 2, "padding_mode": "reflect"},
    {"padding": 1, "padding_mode": "replicate", "stride": 2},
    {"padding": (1, 2), "padding_mode": "circular"},
    {"padding": "same", "padding_mode": "reflect"},
]


@pytest.mark.parametrize("kwargs", CONV2D, ids=[str(k) for k in CONV2D])
def test_conv2d_matches_torch(torch, kwargs):
    em, tm = nn.Conv2d(4, 6, 3, **kwargs), torch.nn.Conv2d(4, 6, 3, **kwargs)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    compare(torch, em, tm, randn(2, 4, 7, 8), atol=1e-4)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")
def test_conv2d_even_kernel_same_padding_and_unbatched(torch):
    em, tm = nn.Conv2d(2, 3, (2, 4), padding="same"), torch.nn.Conv2d(2, 3, (2, 4),
                                                                        padding="same")
    compare(torch, em, tm, randn(1, 2, 5, 6), atol=1e-4)
    em, tm = nn.Conv2d(2, 3, 3), torch.nn.Conv2d(2, 3, 3)
    compare(torch, em, tm, randn(2, 5, 5), atol=1e-4)


@pytest.mark.parametrize("kwargs", [{}, {"stride": 2, "padding": 2, "dilation": 2},
                                    {"padding": "same", "padding_mode": "circular"},
                                    {"groups": 3}])
def test_conv1d_matches_torch(torch, kwargs):
    em, tm = nn.Conv1d(3, 6, 3, **kwargs), torch.nn.Conv1d(3, 6, 3, **kwargs)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(2, 3, 10), atol=1e-4)


@pytest.mark.parametrize("kwargs", [{}, {"stride": (1, 2, 1), "padding": 1},
                                    {"padding": 1, "padding_mode": "replicate"}])
def test_conv3d_matches_torch(torch, kwargs):
    em, tm = nn.Conv3d(2, 3, 3, **kwargs), torch.nn.Conv3d(2, 3, 3, **kwargs)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(1, 2, 4, 5, 5), atol=1e-4)


def test_conv_on_reference_backend(torch):
    em, tm = nn.Conv2d(2, 2, 3, padding=1), torch.nn.Conv2d(2, 2, 3, padding=1)
    compare(torch, em, tm, randn(1, 2, 4, 4), atol=1e-4, device="ref")


@pytest.mark.parametrize("kwargs", [{}, {"stride": 2}, {"stride": 2, "padding": 1,
                                                        "output_padding": 1},
                                    {"groups": 2, "dilation": 2}, {"bias": False}])
def test_conv_transpose2d_matches_torch(torch, kwargs):
    em, tm = nn.ConvTranspose2d(4, 6, 3, **kwargs), torch.nn.ConvTranspose2d(4, 6, 3, **kwargs)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(2, 4, 5, 5), atol=1e-4)


def test_conv_transpose_output_size(torch):
    em = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    tm = torch.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    out = compare(torch, em, tm, randn(1, 3, 4, 4), atol=1e-4, output_size=[8, 8])
    assert tuple(out[0].shape) == (1, 2, 8, 8)
    with pytest.raises(ValueError, match="requested an output size of"):
        em(ember.zeros(1, 3, 4, 4), output_size=[10, 10])
    e1, t1 = nn.ConvTranspose1d(2, 3, 4, stride=3), torch.nn.ConvTranspose1d(2, 3, 4, stride=3)
    assert repr(e1) == repr(t1)
    compare(torch, e1, t1, randn(2, 2, 5), atol=1e-4)
    e3, t3 = nn.ConvTranspose3d(2, 1, 2, stride=2), torch.nn.ConvTranspose3d(2, 1, 2, stride=2)
    compare(torch, e3, t3, randn(1, 2, 2, 3, 2), atol=1e-4)


def _sorted_sets(message):
    # a set's printed order varies between processes; compare its sorted elements
    return re.sub(r"\{([^}]*)\}", lambda m: str(sorted(m.group(1).split(", "))), message)


def test_conv_argument_errors_match_torch(torch):
    bad = [dict(groups=0), dict(groups=4), dict(padding="full"),
           dict(padding="same", stride=2), dict(padding_mode="mirror")]
    for kwargs in bad:
        with pytest.raises(ValueError) as e_err:
            nn.Conv2d(2, 6, 3, **kwargs)
        with pytest.raises(ValueError) as t_err:
            torch.nn.Conv2d(2, 6, 3, **kwargs)
        assert _sorted_sets(str(e_err.value)) == _sorted_sets(str(t_err.value))
    with pytest.raises(ValueError, match='Only "zeros" padding mode is supported'):
        nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")


def test_conv_init_bounds():
    m = nn.Conv2d(8, 16, 3)
    bound = 1 / math.sqrt(8 * 9)
    assert np.abs(m.weight.detach().numpy()).max() <= bound
    assert np.abs(m.bias.detach().numpy()).max() <= bound
    assert m.weight.shape == (16, 8, 3, 3)
    assert nn.ConvTranspose2d(8, 4, 3, groups=2).weight.shape == (8, 2, 3, 3)
