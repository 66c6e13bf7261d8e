"""Dropout layers: identity in eval mode, Bernoulli masks with 1/(1-p) scaling in training,
whole channels for the 2-D variant; repr and argument checks as PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember import nn


@pytest.mark.parametrize("name,shape", [("Dropout", (2, 3)), ("Dropout1d", (2, 3, 4)),
                                        ("Dropout2d", (2, 3, 4, 4)),
                                        ("Dropout3d", (2, 3, 4, 4, 4)), ("AlphaDropout", (5,)),
                                        ("FeatureAlphaDropout", (2, 3, 4))])
def test_dropout_repr_and_eval_identity(torch, name, shape):
    for kwargs in ({}, {"p": 0.2, "inplace": True}):
        em, tm = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
        assert repr(em) == repr(tm)
    x = ember.randn(*shape)
    np.testing.assert_array_equal(getattr(nn, name)(0.5).eval()(x).numpy(), x.numpy())


def test_dropout_training_statistics():
    ember.manual_seed(0)
    p = 0.3
    x = ember.ones(20000, requires_grad=True)
    y = nn.Dropout(p)(x)
    values = y.detach().numpy()
    kept = values != 0
    assert abs(1 - kept.mean() - p) < 0.02
    np.testing.assert_allclose(values[kept], 1 / (1 - p), rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), values, rtol=1e-6)  # grad is the mask
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).detach().numpy(), np.ones(20000))
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).detach().numpy(), np.zeros(20000))


def test_dropout2d_zeroes_whole_channels():
    ember.manual_seed(1)
    y = nn.Dropout2d(0.5)(ember.ones(8, 16, 3, 3)).numpy()
    per_channel = y.reshape(8, 16, 9)
    assert all(len(set(c.tolist())) == 1 for c in per_channel.reshape(-1, 9))
    assert set(np.unique(y).tolist()) == {0.0, 2.0}


def test_dropout_follows_module_mode():
    m = nn.Sequential(nn.Dropout(0.9))
    x = ember.ones(1000)
    assert (m(x).numpy() == 0).mean() > 0.8
    m.eval()
    np.testing.assert_array_equal(m(x).numpy(), np.ones(1000))


def test_dropout_rejects_bad_probability():
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, "
                                         "but got 1.5"):
        nn.Dropout(1.5)
