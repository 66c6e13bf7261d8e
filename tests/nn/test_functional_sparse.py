"""``embedding`` and ``one_hot`` against PyTorch: lookups, padding_idx (no gradient to that
row), scale_grad_by_freq, max_norm renormalisation in place, errors."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F

IDX = np.array([[1, 2, 0, 2], [5, 1, 1, 3]])


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"padding_idx": -1},
                                    {"scale_grad_by_freq": True},
                                    {"padding_idx": 2, "scale_grad_by_freq": True}])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_embedding_matches_torch(torch, kwargs, dtype):
    out = check(torch, lambda w: F.embedding(ember.tensor(IDX), w, **kwargs),
                lambda w: torch.nn.functional.embedding(torch.tensor(IDX), w, **kwargs),
                randn(6, 3, dtype=dtype))
    assert out[0].grad_fn.name() == "EmbeddingBackward0"


def test_embedding_max_norm_renormalises_rows_in_place(torch):
    w = randn(6, 3) * 3
    tw, ew = torch.tensor(w), ember.tensor(w)
    t = torch.nn.functional.embedding(torch.tensor(IDX), tw, max_norm=1.5, norm_type=1.0)
    e = F.embedding(ember.tensor(IDX), ew, max_norm=1.5, norm_type=1.0)
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ew.numpy(), tw.numpy(), rtol=1e-12)
    assert not np.allclose(ew.numpy(), w)


def test_embedding_errors(torch):
    raises_like(torch, lambda w: F.embedding(ember.tensor([6]), w),
                lambda w: torch.nn.functional.embedding(torch.tensor([6]), w), randn(6, 3))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        F.embedding(ember.tensor([1]), ember.ones(3, 2), padding_idx=3)
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices'"):
        F.embedding(ember.tensor([1.0]), ember.ones(3, 2))


def test_embedding_reference_backend(torch):
    check(torch, lambda w: F.embedding(ember.tensor(IDX, device="ref"), w, padding_idx=0),
          lambda w: torch.nn.functional.embedding(torch.tensor(IDX), w, padding_idx=0),
          randn(6, 2), device="ref")


@pytest.mark.parametrize("num_classes", [-1, 7])
def test_one_hot_matches_torch(torch, num_classes):
    x = np.array([[0, 3], [5, 1]])
    e = F.one_hot(ember.tensor(x), num_classes)
    t = torch.nn.functional.one_hot(torch.tensor(x), num_classes)
    assert e.dtype == ember.int64 and e.tolist() == t.tolist()


@pytest.mark.parametrize("x,n", [(np.array([1, 3]), 3), (np.array([-1, 0]), 3),
                                 (np.array([1.0]), 3)])
def test_one_hot_errors_match_torch(torch, x, n):
    raises_like(torch, lambda a: F.one_hot(a, n), lambda a: torch.nn.functional.one_hot(a, n), x)
