"""Linear, Bilinear, Identity, Flatten, Unflatten and Embedding against PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _torch_oracle import compare, randn

import ember
from ember import nn


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("x_shape", [(5, 4), (2, 3, 4), (4,)])
def test_linear_matches_torch(torch, bias, x_shape):
    em, tm = nn.Linear(4, 3, bias=bias), torch.nn.Linear(4, 3, bias=bias)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    compare(torch, em, tm, randn(*x_shape))


def test_linear_on_reference_backend(torch):
    compare(torch, nn.Linear(3, 2), torch.nn.Linear(3, 2), randn(2, 3), device="ref")


def test_linear_init_statistics():
    ember.manual_seed(0)
    fan_in = 64
    m = nn.Linear(fan_in, 256)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)) gives the same bound
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.95 * bound  # fills the whole range
    assert abs(w.mean()) < 0.01 and abs(w.std() - bound / math.sqrt(3)) < 0.005
    assert m.weight.dtype == ember.float32 and m.weight.requires_grad
    m2 = nn.Linear(2, 2, dtype=ember.float64, device="ref")
    assert m2.weight.dtype == ember.float64 and m2.bias.device.type == "ref"


def test_linear_reset_parameters_redraws():
    m = nn.Linear(8, 8)
    before = m.weight.detach().numpy().copy()
    m.reset_parameters()
    assert not np.array_equal(before, m.weight.detach().numpy())


def test_bilinear_matches_torch(torch):
    em, tm = nn.Bilinear(3, 4, 2), torch.nn.Bilinear(3, 4, 2)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(5, 3), randn(5, 4, seed=1))
    w = nn.Bilinear(9, 2, 3).weight.detach().numpy()
    assert np.abs(w).max() <= 1 / 3


def test_identity_flatten_unflatten(torch):
    assert repr(nn.Identity(3, x=1)) == repr(torch.nn.Identity(3, x=1))
    x = ember.ones(2)
    assert nn.Identity()(x) is x
    for args in ((), (0,), (1, 2), (0, -2)):
        em, tm = nn.Flatten(*args), torch.nn.Flatten(*args)
        assert repr(em) == repr(tm)
        compare(torch, em, tm, randn(2, 3, 4, 5))
    for dim, size in ((1, (2, 2)), (-1, [5, 1]), (0, (2, 1))):
        em, tm = nn.Unflatten(dim, size), torch.nn.Unflatten(dim, size)
        assert repr(em) == repr(tm)
        compare(torch, em, tm, randn(2, 4, 5) if dim != -1 else randn(2, 5))
    with pytest.raises(TypeError, match="unflattened_size must be tuple of ints"):
        nn.Unflatten(1, (2, 2.0))


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 0}, {"padding_idx": -1},
                                    {"max_norm": 1.0}, {"norm_type": 1.0, "max_norm": 2.0},
                                    {"scale_grad_by_freq": True}])
def test_embedding_matches_torch(torch, kwargs):
    em, tm = nn.Embedding(6, 3, **kwargs), torch.nn.Embedding(6, 3, **kwargs)
    assert repr(em) == repr(tm)
    idx = np.array([[0, 2, 5], [5, 1, 0]])
    compare(torch, em, tm, idx)
    if "padding_idx" in kwargs:
        row = em.padding_idx
        assert row == tm.padding_idx
        np.testing.assert_array_equal(em.weight.grad[row].numpy(), np.zeros(3))


def test_embedding_init_and_padding_row():
    ember.manual_seed(0)
    m = nn.Embedding(1000, 8, padding_idx=3)
    w = m.weight.detach().numpy()
    np.testing.assert_array_equal(w[3], np.zeros(8))
    assert abs(w.mean()) < 0.05 and abs(w.std() - 1.0) < 0.05  # N(0, 1)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(3, 2, padding_idx=3)


def test_embedding_from_pretrained(torch):
    weights = ember.tensor([[1.0, 2.3, 3.0], [4.0, 5.1, 6.3]])
    emb = nn.Embedding.from_pretrained(weights)
    assert not emb.weight.requires_grad
    np.testing.assert_array_equal(emb(ember.tensor([1])).numpy(), weights.numpy()[1:])
    assert repr(emb) == repr(torch.nn.Embedding.from_pretrained(torch.tensor(weights.numpy())))
    assert nn.Embedding.from_pretrained(weights, freeze=False).weight.requires_grad
    with pytest.raises(AssertionError, match="expected to be 2-dimensional"):
        nn.Embedding.from_pretrained(ember.zeros(3))


def _seed_models(lib):
    """The models of the seed tutorial (SimpleNet, RegressionNet and the Sequential MLP)."""
    nn_ = lib.nn

    class SimpleNet(nn_.Module):
        def __init__(self):
            super(SimpleNet, self).__init__()  # noqa: UP008 - as the seed writes it
            self.fc1 = nn_.Linear(784, 256)
            self.fc2 = nn_.Linear(256, 128)
            self.fc3 = nn_.Linear(128, 10)
            self.relu = nn_.ReLU()

        def forward(self, x):
            x = self.relu(self.fc1(x))
            x = self.relu(self.fc2(x))
            return self.fc3(x)

    class RegressionNet(nn_.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn_.Sequential(nn_.Linear(20, 64), nn_.ReLU(), nn_.Linear(64, 32),
                                         nn_.ReLU(), nn_.Linear(32, 1))

        def forward(self, x):
            return self.layers(x)

    mlp = nn_.Sequential(nn_.Linear(784, 256), nn_.ReLU(), nn_.Linear(256, 128), nn_.ReLU(),
                         nn_.Linear(128, 10))
    return SimpleNet(), RegressionNet(), mlp


def test_seed_models_print_and_run_like_torch(torch):
    for em, tm in zip(_seed_models(ember), _seed_models(torch)):
        assert repr(em) == repr(tm)
        assert str(em) == str(tm)
        e_lines = [f"{n}: {p.shape}" for n, p in em.named_parameters()]
        t_lines = [f"{n}: {p.shape}" for n, p in tm.named_parameters()]
        assert e_lines == [line.replace("torch.", "ember.") for line in t_lines]
        n_in = 20 if "layers" in dict(em.named_children()) else 784
        compare(torch, em, tm, randn(32, n_in), atol=1e-4)
