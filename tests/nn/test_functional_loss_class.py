"""Classification and ranking losses against PyTorch: cross_entropy (class indices and
probabilities, weight, ignore_index, label_smoothing, N-d inputs, unbatched), nll_loss,
the margin losses, the triplet losses; shape errors with PyTorch's messages."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F

TARGET = np.array([1, 0, 4, 2, 4, 3])
WEIGHT = np.array([0.5, 1.0, 2.0, 0.25, 1.5])

CE_CASES = [
    {}, {"reduction": "sum"}, {"reduction": "none"}, {"label_smoothing": 0.2},
    {"ignore_index": 4}, {"weight": True}, {"weight": True, "reduction": "none"},
    {"weight": True, "ignore_index": 2, "label_smoothing": 0.3},
    {"weight": True, "label_smoothing": 0.1, "reduction": "sum"},
    {"ignore_index": 0, "label_smoothing": 0.4, "reduction": "none"},
]


def _kw(kwargs, lib):
    out = dict(kwargs)
    if out.get("weight"):
        out["weight"] = lib.tensor(WEIGHT)
    return out


@pytest.mark.parametrize("kwargs", CE_CASES, ids=[str(k) for k in CE_CASES])
def test_cross_entropy_matches_torch(torch, kwargs):
    out = check(torch, lambda a: F.cross_entropy(a, ember.tensor(TARGET), **_kw(kwargs, ember)),
                lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(TARGET),
                                                            **_kw(kwargs, torch)),
                randn(6, 5) * 2)
    assert out[0].dtype == ember.float64


@pytest.mark.parametrize("kwargs", [k for k in CE_CASES if "label_smoothing" not in k],
                         ids=[str(k) for k in CE_CASES if "label_smoothing" not in k])
def test_nll_loss_matches_torch(torch, kwargs):
    check(torch, lambda a: F.nll_loss(a, ember.tensor(TARGET), **_kw(kwargs, ember)),
          lambda a: torch.nn.functional.nll_loss(a, torch.tensor(TARGET), **_kw(kwargs, torch)),
          randn(6, 5))


def test_cross_entropy_float32(torch):
    check(torch, lambda a: F.cross_entropy(a, ember.tensor(TARGET)),
          lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(TARGET)),
          randn(6, 5, dtype=np.float32))


@pytest.mark.parametrize("kwargs", [{}, {"weight": True, "ignore_index": 1},
                                    {"reduction": "none", "label_smoothing": 0.2}])
def test_cross_entropy_nd_inputs(torch, kwargs):
    target = np.random.default_rng(3).integers(0, 5, (2, 3, 4))
    check(torch, lambda a: F.cross_entropy(a, ember.tensor(target), **_kw(kwargs, ember)),
          lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(target),
                                                      **_kw(kwargs, torch)),
          randn(2, 5, 3, 4))


def test_cross_entropy_unbatched(torch):
    check(torch, lambda a: F.cross_entropy(a, ember.tensor(3)),
          lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(3)), randn(5))


@pytest.mark.parametrize("kwargs", [{}, {"label_smoothing": 0.25}, {"reduction": "none"},
                                    {"weight": True, "reduction": "sum"}, {"weight": True}])
def test_cross_entropy_with_class_probabilities(torch, kwargs):
    p = np.exp(randn(6, 5, seed=1))
    p /= p.sum(1, keepdims=True)
    check(torch, lambda a, b: F.cross_entropy(a, b, **_kw(kwargs, ember)),
          lambda a, b: torch.nn.functional.cross_entropy(a, b, **_kw(kwargs, torch)),
          randn(6, 5), p)


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # 0 / 0, as in PyTorch
def test_cross_entropy_all_targets_ignored_is_nan(torch):
    e = F.cross_entropy(ember.tensor(randn(2, 3)), ember.tensor([-100, -100]))
    t = torch.nn.functional.cross_entropy(torch.tensor(randn(2, 3)), torch.tensor([-100, -100]))
    assert np.isnan(e.item()) and np.isnan(t.item())


def test_nll_loss_with_infinite_log_probability_of_other_classes(torch):
    x = np.array([[0.0, -np.inf, -np.inf], [-np.inf, -1.0, -0.5]])
    check(torch, lambda a: F.nll_loss(a, ember.tensor([0, 2])),
          lambda a: torch.nn.functional.nll_loss(a, torch.tensor([0, 2])), x)


@pytest.mark.parametrize("fn,x,t,kwargs", [
    ("cross_entropy", (3, 4), np.array([1, 2]), {}),
    ("cross_entropy", (2, 4, 3), np.array([[1, 2], [0, 1]]), {}),
    ("nll_loss", (3, 4), np.array([1, 2, 5]), {}),
    ("nll_loss", (3, 4), np.array([-1, 2, 1]), {}),
    ("cross_entropy", (3, 4), np.array([1.0, 2.0, 3.0]), {}),
    ("cross_entropy", (3, 4), np.array([1, 2, 3]), {"label_smoothing": 1.5}),
    ("nll_loss", (3, 4), np.array([[1], [2], [3]]), {}),
])
def test_classification_errors_match_torch(torch, fn, x, t, kwargs):
    raises_like(torch, lambda a, b: getattr(F, fn)(a, b, **kwargs),
                lambda a, b: getattr(torch.nn.functional, fn)(a, b, **kwargs), randn(*x), t)


def test_cross_entropy_weight_size_error(torch):
    raises_like(torch, lambda a, b, w: F.cross_entropy(a, b, weight=w),
                lambda a, b, w: torch.nn.functional.cross_entropy(a, b, weight=w),
                randn(3, 4), np.array([1, 2, 3]), np.ones(3))


@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("weight", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_multi_margin_loss_matches_torch(torch, p, weight, reduction):
    kw = {"p": p, "margin": 0.7, "reduction": reduction}
    check(torch, lambda a: F.multi_margin_loss(a, ember.tensor(TARGET), weight=ember.tensor(
        WEIGHT) if weight else None, **kw), lambda a: torch.nn.functional.multi_margin_loss(
        a, torch.tensor(TARGET), weight=torch.tensor(WEIGHT) if weight else None, **kw),
        randn(6, 5))


def test_multi_margin_bad_p(torch):
    raises_like(torch, lambda a: F.multi_margin_loss(a, ember.tensor(TARGET), p=3),
                lambda a: torch.nn.functional.multi_margin_loss(a, torch.tensor(TARGET), p=3),
                randn(6, 5))


def test_multilabel_losses_match_torch(torch):
    t = np.array([[3, 0, -1, 1, 2], [1, 2, 3, -1, 0], [0, 1, 2, 3, 4], [-1, 0, 0, 0, 0]])
    check(torch, lambda a: F.multilabel_margin_loss(a, ember.tensor(t)),
          lambda a: torch.nn.functional.multilabel_margin_loss(a, torch.tensor(t)), randn(4, 5))
    y = (randn(4, 5, seed=1) > 0).astype(np.float64)
    check(torch, lambda a, b: F.multilabel_soft_margin_loss(a, b, reduction="none"),
          lambda a, b: torch.nn.functional.multilabel_soft_margin_loss(a, b, reduction="none"),
          randn(4, 5), y, requires_grad=[True, False])


@pytest.mark.parametrize("margin", [0.0, 0.5])
def test_ranking_and_embedding_losses(torch, margin):
    y = np.sign(randn(6, seed=4))
    check(torch, lambda a, b, c: F.margin_ranking_loss(a, b, c, margin),
          lambda a, b, c: torch.nn.functional.margin_ranking_loss(a, b, c, margin),
          randn(6), randn(6, seed=1), y, requires_grad=[True, True, False])
    check(torch, lambda a, c: F.hinge_embedding_loss(a, c, margin + 0.5, reduction="sum"),
          lambda a, c: torch.nn.functional.hinge_embedding_loss(a, c, margin + 0.5,
                                                                reduction="sum"),
          randn(6, 3), np.sign(randn(6, 3, seed=2)), requires_grad=[True, False])
    check(torch, lambda a, b, c: F.cosine_embedding_loss(a, b, c, margin),
          lambda a, b, c: torch.nn.functional.cosine_embedding_loss(a, b, c, margin),
          randn(6, 4), randn(6, 4, seed=1), y, requires_grad=[True, True, False])


@pytest.mark.parametrize("kwargs", [{}, {"p": 1}, {"swap": True, "margin": 2.0},
                                    {"p": 3, "reduction": "none"}])
def test_triplet_margin_loss_matches_torch(torch, kwargs):
    check(torch, lambda a, b, c: F.triplet_margin_loss(a, b, c, **kwargs),
          lambda a, b, c: torch.nn.functional.triplet_margin_loss(a, b, c, **kwargs),
          randn(5, 4), randn(5, 4, seed=1), randn(5, 4, seed=2))


def test_triplet_margin_with_distance_loss(torch):
    check(torch, lambda a, b, c: F.triplet_margin_with_distance_loss(a, b, c, swap=True),
          lambda a, b, c: torch.nn.functional.triplet_margin_with_distance_loss(a, b, c,
                                                                                swap=True),
          randn(5, 4), randn(5, 4, seed=1), randn(5, 4, seed=2))

    def dist(x, y):
        return 1 - F.cosine_similarity(x, y)

    def tdist(x, y):
        return 1 - torch.nn.functional.cosine_similarity(x, y)

    check(torch, lambda a, b, c: F.triplet_margin_with_distance_loss(
              a, b, c, distance_function=dist, margin=0.5),
          lambda a, b, c: torch.nn.functional.triplet_margin_with_distance_loss(
              a, b, c, distance_function=tdist, margin=0.5),
          randn(5, 4), randn(5, 4, seed=1), randn(5, 4, seed=2))


@pytest.mark.parametrize("fn,shapes", [
    ("margin_ranking_loss", [(3,), (3, 1), (3,)]),
    ("cosine_embedding_loss", [(3, 4), (3, 4), (3, 1)]),
    ("triplet_margin_loss", [(3, 4), (3, 4), (4,)]),
])
def test_ranking_shape_errors(torch, fn, shapes):
    raises_like(torch, getattr(F, fn), getattr(torch.nn.functional, fn),
                *[randn(*s) for s in shapes])


def test_classification_losses_on_reference_backend(torch):
    check(torch, lambda a: F.cross_entropy(a, ember.tensor([1, 0], device="ref"),
                                           label_smoothing=0.1),
          lambda a: torch.nn.functional.cross_entropy(a, torch.tensor([1, 0]),
                                                      label_smoothing=0.1),
          randn(2, 3), device="ref")
