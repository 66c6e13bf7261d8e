"""Pooling layers against PyTorch: max/avg/LP/adaptive pooling in 1-3 dimensions, indices
and unpooling; repr."""

from __future__ import annotations

import numpy as np
import pytest
from _torch_oracle import compare, randn

import ember
from ember import nn

CASES = [
    ("MaxPool1d", (3,), {"stride": 2, "padding": 1}, (2, 3, 9)),
    ("MaxPool1d", (2,), {"dilation": 2, "ceil_mode": True}, (2, 3, 9)),
    ("MaxPool2d", (2,), {}, (2, 3, 6, 6)),
    ("MaxPool2d", ((3, 2),), {"stride": (2, 1), "padding": 1}, (2, 3, 7, 6)),
    ("MaxPool2d", (3,), {"stride": 2, "ceil_mode": True}, (1, 2, 8, 8)),
    ("MaxPool2d", (2,), {}, (3, 6, 6)),
    ("MaxPool3d", (2,), {}, (1, 2, 4, 4, 4)),
    ("AvgPool1d", (3,), {"stride": 2, "padding": 1}, (2, 3, 9)),
    ("AvgPool1d", (3,), {"padding": 1, "count_include_pad": False}, (2, 3, 9)),
    ("AvgPool2d", (2,), {}, (2, 3, 6, 6)),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}, (1, 2, 7, 7)),
    ("AvgPool2d", (2,), {"divisor_override": 3}, (1, 2, 4, 4)),
    ("AvgPool3d", (2,), {}, (1, 2, 4, 4, 4)),
    ("LPPool1d", (2, 3), {"stride": 2}, (2, 3, 9)),
    ("LPPool2d", (1.5, 2), {}, (2, 3, 6, 6)),
    ("AdaptiveAvgPool1d", (4,), {}, (2, 3, 10)),
    ("AdaptiveAvgPool2d", ((3, 4),), {}, (2, 3, 7, 9)),
    ("AdaptiveAvgPool2d", (1,), {}, (2, 3, 5, 5)),
    ("AdaptiveAvgPool2d", ((None, 2),), {}, (2, 3, 5, 6)),
    ("AdaptiveAvgPool3d", (2,), {}, (1, 2, 3, 5, 4)),
    ("AdaptiveMaxPool1d", (3,), {}, (2, 3, 10)),
    ("AdaptiveMaxPool2d", ((3, 4),), {}, (2, 3, 7, 9)),
    ("AdaptiveMaxPool3d", (2,), {}, (1, 2, 3, 5, 4)),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_pool_matches_torch(torch, case):
    name, args, kwargs, shape = case
    em, tm = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(em) == repr(tm)
    x = np.abs(randn(*shape)) + 0.1 if name.startswith("LP") else randn(*shape)
    compare(torch, em, tm, x, atol=1e-5)


@pytest.mark.parametrize("name,shape", [("MaxPool1d", (2, 3, 8)), ("MaxPool2d", (2, 3, 6, 6)),
                                        ("AdaptiveMaxPool2d", (2, 3, 6, 6))])
def test_pool_return_indices(torch, name, shape):
    em = getattr(nn, name)(2, return_indices=True)
    tm = getattr(torch.nn, name)(2, return_indices=True)
    e_out, e_idx = compare(torch, em, tm, randn(*shape))
    assert e_idx.dtype.name == "int64"


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_max_unpool_matches_torch(torch, dims):
    shape = (1, 2) + (4,) * dims
    e_pool = getattr(nn, f"MaxPool{dims}d")(2, return_indices=True)
    t_pool = getattr(torch.nn, f"MaxPool{dims}d")(2, return_indices=True)
    e_unpool, t_unpool = (getattr(nn, f"MaxUnpool{dims}d")(2),
                          getattr(torch.nn, f"MaxUnpool{dims}d")(2))
    assert repr(e_unpool) == repr(t_unpool)
    x = randn(*shape)
    t_out, t_idx = t_pool(torch.tensor(x))
    e_out, e_idx = e_pool(ember.tensor(x))
    np.testing.assert_array_equal(e_idx.numpy(), t_idx.numpy())
    compare(torch, e_unpool, t_unpool, t_out.detach().numpy(), t_idx.numpy())
    size = [1, 2] + [5] * dims
    compare(torch, e_unpool, t_unpool, t_out.detach().numpy(), t_idx.numpy(), output_size=size)
