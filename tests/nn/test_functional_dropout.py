"""Dropout functions: scaling, masks drawn with Ember's generator (reproducible under
``manual_seed``), channel-wise masks, alpha dropout's statistics, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F


def test_dropout_scales_kept_elements_and_zeroes_the_rest():
    ember.manual_seed(0)
    x = ember.ones(10000, dtype=ember.float64)
    y = F.dropout(x, 0.3)
    vals = set(np.round(y.numpy(), 12).tolist())
    assert vals == {0.0, round(1 / 0.7, 12)}
    assert abs((y.numpy() == 0).mean() - 0.3) < 0.02


def test_dropout_is_reproducible_under_manual_seed():
    x = ember.randn(50, 20)
    ember.manual_seed(7)
    a = F.dropout(x, 0.5)
    ember.manual_seed(7)
    b = F.dropout(x, 0.5)
    assert a.tolist() == b.tolist()
    ember.manual_seed(8)
    assert F.dropout(x, 0.5).tolist() != a.tolist()


def test_dropout_same_stream_on_reference_backend():
    ember.manual_seed(11)
    a = F.dropout(ember.ones(64), 0.5)
    ember.manual_seed(11)
    b = F.dropout(ember.ones(64, device="ref"), 0.5)
    assert a.tolist() == b.tolist()


def test_dropout_eval_and_p_zero_return_input():
    x = ember.randn(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert F.dropout(x, 1.0).abs().sum().item() == 0


def test_dropout_gradient_is_the_mask_scaled():
    ember.manual_seed(1)
    x = ember.randn(200, dtype=ember.float64, requires_grad=True)
    y = F.dropout(x, 0.25)
    y.sum().backward()
    kept = y.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), kept / 0.75)


def test_dropout_inplace_on_non_leaf():
    ember.manual_seed(2)
    x = ember.randn(100, dtype=ember.float64, requires_grad=True)
    h = x * 2
    out = F.dropout(h, 0.5, inplace=True)
    assert out is h
    out.sum().backward()
    kept = out.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), kept * 4.0)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_bad_probability(torch, p):
    for fn in ("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout"):
        x = np.ones((2, 3, 4, 4, 2)) if fn == "dropout3d" else np.ones((2, 3, 4) if fn ==
                                                                        "dropout1d" else (2, 3, 4, 4))
        with pytest.raises(ValueError) as t_err:
            getattr(torch.nn.functional, fn)(torch.tensor(x), p, True)
        with pytest.raises(ValueError) as e_err:
            getattr(F, fn)(ember.tensor(x), p, True)
        assert str(e_err.value) == str(t_err.value)


@pytest.mark.filterwarnings("ignore:dropout2d")
@pytest.mark.parametrize("fn,shape", [("dropout1d", (4, 6, 10)), ("dropout2d", (4, 6, 5, 5)),
                                      ("dropout3d", (2, 6, 3, 3, 3)),
                                      ("dropout2d", (6, 5, 5))])
def test_feature_dropout_drops_whole_channels(fn, shape):
    ember.manual_seed(4)
    y = getattr(F, fn)(ember.ones(*shape, dtype=ember.float64), 0.5).numpy()
    # dropout2d reads a 3-D input as batched (N, C, L), as PyTorch does (with a warning)
    lead = 2 if len(shape) in ({"dropout1d": 3, "dropout2d": 4, "dropout3d": 5}[fn], 3) else 1
    per_channel = y.reshape(shape[:lead] + (-1,))
    assert np.all(per_channel.min(-1) == per_channel.max(-1))
    assert set(np.unique(per_channel)) <= {0.0, 2.0}


def test_dropout2d_warns_on_3d_and_5d_inputs(torch):
    with pytest.warns(UserWarning, match="dropout2d: Received a 3D input"):
        F.dropout2d(ember.ones(2, 3, 4))
    with pytest.warns(UserWarning, match="dropout2d: Received a 5-D input"):
        F.dropout2d(ember.ones(2, 3, 4, 4, 4))


def test_alpha_dropout_keeps_mean_and_variance():
    ember.manual_seed(5)
    x = ember.randn(200000, dtype=ember.float64)
    y = F.alpha_dropout(x, 0.2, training=True).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    assert F.alpha_dropout(x, 0.2) is x  # training defaults to False


def test_alpha_dropout_dropped_value_and_gradient():
    ember.manual_seed(6)
    x = ember.zeros(1000, dtype=ember.float64, requires_grad=True)
    y = F.alpha_dropout(x, 0.5, training=True)
    alpha = 1.7580993408473766
    a = ((alpha * alpha * 0.5 + 1) * 0.5) ** -0.5
    vals = np.unique(np.round(y.detach().numpy(), 10))
    np.testing.assert_allclose(sorted(vals), sorted([round(-alpha * a + alpha * a * 0.5, 10),
                                                     round(alpha * a * 0.5, 10)]))
    y.sum().backward()
    assert set(np.round(x.grad.numpy(), 10)) <= {0.0, round(a, 10)}


def test_feature_alpha_dropout_is_channel_wise():
    ember.manual_seed(9)
    y = F.feature_alpha_dropout(ember.zeros(4, 8, 3, 3), 0.5, training=True).numpy()
    per = y.reshape(4, 8, -1)
    assert np.allclose(per.min(-1), per.max(-1))
