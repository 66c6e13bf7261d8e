"""Distances and attention against PyTorch: pairwise_distance, cosine_similarity, pdist,
normalize-style zero vectors, scaled_dot_product_attention (masks, causal, scale)."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, randn

import ember
import ember.nn.functional as F


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, float("inf")])
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance_matches_torch(torch, p, keepdim):
    check(torch, lambda a, b: F.pairwise_distance(a, b, p, keepdim=keepdim),
          lambda a, b: torch.nn.functional.pairwise_distance(a, b, p, keepdim=keepdim),
          randn(4, 5), randn(4, 5, seed=1))


def test_pairwise_distance_broadcast_and_1d(torch):
    check(torch, F.pairwise_distance, torch.nn.functional.pairwise_distance, randn(4, 5),
          randn(5, seed=1))
    check(torch, F.pairwise_distance, torch.nn.functional.pairwise_distance, randn(5),
          randn(5, seed=1))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cosine_similarity_matches_torch(torch, dim):
    x = randn(4, 5)
    x[2] = 0.0  # a zero vector: eps keeps it finite
    check(torch, lambda a, b: F.cosine_similarity(a, b, dim),
          lambda a, b: torch.nn.functional.cosine_similarity(a, b, dim), x, randn(4, 5, seed=1))
    check(torch, lambda a, b: F.cosine_similarity(a, b, dim),
          lambda a, b: torch.nn.functional.cosine_similarity(a, b, dim),
          randn(4, 5, dtype=np.float32), randn(1, 5, seed=1, dtype=np.float32))


@pytest.mark.parametrize("p", [1.0, 2.0, float("inf")])
def test_pdist_matches_torch(torch, p):
    check(torch, lambda a: F.pdist(a, p), lambda a: torch.nn.functional.pdist(a, p),
          randn(5, 3))


SDPA = [{}, {"is_causal": True}, {"scale": 0.3}, {"mask": "bool"}, {"mask": "float"}]


@pytest.mark.parametrize("kwargs", SDPA, ids=[str(k) for k in SDPA])
def test_scaled_dot_product_attention_matches_torch(torch, kwargs):
    kw = dict(kwargs)
    mask = kw.pop("mask", None)
    m = None
    if mask == "bool":
        m = randn(4, 6, seed=9) > -0.5
        m[:, 0] = True
    elif mask == "float":
        m = randn(4, 6, seed=9)

    def run(lib, lib_f):
        def f(q, k, v):
            extra = dict(kw)
            if m is not None:
                extra["attn_mask"] = lib.tensor(m)
            return lib_f.scaled_dot_product_attention(q, k, v, **extra)
        return f

    q, k, v = randn(2, 3, 4, 5), randn(2, 3, 6, 5, seed=1), randn(2, 3, 6, 7, seed=2)
    if kwargs.get("is_causal"):
        k, v = k[:, :, :4].copy(), v[:, :, :4].copy()
    check(torch, run(ember, F), run(torch, torch.nn.functional), q, k, v)


def test_attention_dropout_uses_ember_generator():
    q = ember.randn(1, 4, 8)
    ember.manual_seed(0)
    a = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    ember.manual_seed(0)
    b = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    assert a.tolist() == b.tolist()
