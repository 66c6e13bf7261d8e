"""Loss layers against PyTorch: constructor defaults, repr, values and gradients for every
reduction."""

from __future__ import annotations

import numpy as np
import pytest
from _torch_oracle import compare, randn

import ember
from ember import nn

REDUCTIONS = ["mean", "sum", "none"]
W5 = np.array([1.0, 2.0, 0.5, 1.5, 0.2], dtype=np.float32)


def _probs(*shape, seed=0):
    return (1 / (1 + np.exp(-randn(*shape, seed=seed)))).astype(np.float32)


def _sign(*shape, seed=0):
    return np.where(randn(*shape, seed=seed) > 0, 1.0, -1.0).astype(np.float32)


def _labels(n, classes, seed=0):
    return np.random.default_rng(seed).integers(0, classes, n)


def _log_softmax(x, axis=1):
    m = x - x.max(axis=axis, keepdims=True)
    return (m - np.log(np.exp(m).sum(axis=axis, keepdims=True))).astype(np.float32)


# (loss name, constructor kwargs built from lib, inputs, requires_grad per input)
CASES = [
    ("MSELoss", {}, lambda: (randn(3, 5), randn(3, 5, seed=1)), None),
    ("L1Loss", {}, lambda: (randn(3, 5), randn(3, 5, seed=1)), None),
    ("SmoothL1Loss", {"beta": 0.5}, lambda: (randn(3, 5), randn(3, 5, seed=1)), None),
    ("HuberLoss", {"delta": 0.7}, lambda: (randn(3, 5), randn(3, 5, seed=1)), None),
    ("CrossEntropyLoss", {}, lambda: (randn(4, 5), _labels(4, 5)), None),
    ("CrossEntropyLoss", {"weight": W5, "ignore_index": 2},
     lambda: (randn(6, 5), np.array([0, 2, 4, 1, 2, 3])), None),
    ("CrossEntropyLoss", {"label_smoothing": 0.1}, lambda: (randn(4, 5), _labels(4, 5)), None),
    ("CrossEntropyLoss", {}, lambda: (randn(4, 5), _probs(4, 5, seed=3)), (True, False)),
    ("CrossEntropyLoss", {"weight": W5}, lambda: (randn(2, 5, 3, 3), _labels((2, 3, 3), 5)),
     None),
    ("NLLLoss", {}, lambda: (_log_softmax(randn(4, 5)), _labels(4, 5)), None),
    ("NLLLoss", {"weight": W5, "ignore_index": 1},
     lambda: (_log_softmax(randn(6, 5)), np.array([1, 0, 4, 1, 2, 3])), None),
    ("BCELoss", {}, lambda: (_probs(3, 4), _probs(3, 4, seed=1)), (True, False)),
    ("BCELoss", {"weight": np.float32([1.0, 2.0, 0.5, 1.0])},
     lambda: (_probs(3, 4), np.float32(randn(3, 4, seed=2) > 0)), (True, False)),
    ("BCEWithLogitsLoss", {}, lambda: (randn(3, 4), _probs(3, 4, seed=1)), None),
    ("BCEWithLogitsLoss", {"pos_weight": np.float32([1.0, 3.0, 0.5, 2.0])},
     lambda: (randn(3, 4), _probs(3, 4, seed=1)), None),
    ("KLDivLoss", {}, lambda: (_log_softmax(randn(3, 4)), _probs(3, 4, seed=1)), None),
    ("KLDivLoss", {"log_target": True},
     lambda: (_log_softmax(randn(3, 4)), _log_softmax(randn(3, 4, seed=1))), None),
    ("PoissonNLLLoss", {}, lambda: (randn(3, 4), np.abs(randn(3, 4, seed=1)) * 3), None),
    ("PoissonNLLLoss", {"log_input": False, "full": True},
     lambda: (np.abs(randn(3, 4)) + 0.1, np.abs(randn(3, 4, seed=1)) * 3), None),
    ("CosineEmbeddingLoss", {"margin": 0.2},
     lambda: (randn(4, 5), randn(4, 5, seed=1), _sign(4, seed=2)), (True, True, False)),
    ("MarginRankingLoss", {"margin": 0.3},
     lambda: (randn(6), randn(6, seed=1), _sign(6, seed=2)), (True, True, False)),
    ("MultiMarginLoss", {}, lambda: (randn(4, 5), _labels(4, 5)), None),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5, "weight": W5},
     lambda: (randn(4, 5), _labels(4, 5)), None),
    ("TripletMarginLoss", {}, lambda: (randn(4, 5), randn(4, 5, seed=1), randn(4, 5, seed=2)),
     None),
    ("TripletMarginLoss", {"margin": 2.0, "p": 1.0, "swap": True},
     lambda: (randn(4, 5), randn(4, 5, seed=1), randn(4, 5, seed=2)), None),
    ("HingeEmbeddingLoss", {"margin": 0.5}, lambda: (randn(3, 4), _sign(3, 4, seed=1)),
     (True, False)),
    ("SoftMarginLoss", {}, lambda: (randn(3, 4), _sign(3, 4, seed=1)), (True, False)),
    ("MultiLabelSoftMarginLoss", {}, lambda: (randn(3, 4), np.float32(randn(3, 4) > 0)),
     (True, False)),
    ("GaussianNLLLoss", {}, lambda: (randn(3, 4), randn(3, 4, seed=1),
                                     np.abs(randn(3, 4, seed=2)) + 0.1), None),
]


def _ctor_kwargs(lib, kwargs):
    return {k: lib.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_loss_matches_torch(torch, case, reduction):
    name, kwargs, make_inputs, requires_grad = case
    em = getattr(nn, name)(reduction=reduction, **_ctor_kwargs(ember, kwargs))
    tm = getattr(torch.nn, name)(reduction=reduction, **_ctor_kwargs(torch, kwargs))
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    compare(torch, em, tm, *make_inputs(), atol=1e-5, requires_grad=requires_grad)


def test_kl_div_batchmean(torch):
    em, tm = nn.KLDivLoss(reduction="batchmean"), torch.nn.KLDivLoss(reduction="batchmean")
    compare(torch, em, tm, _log_softmax(randn(3, 4)), _probs(3, 4, seed=1))


def _ctc_on_logits(lib, **kwargs):
    # PyTorch's CTC backward assumes its input came from log_softmax (its gradient w.r.t.
    # log_probs differs from the true one by a term that log_softmax's backward cancels),
    # so the comparison goes through log_softmax, as real models do.
    class CTCOnLogits(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.ctc = lib.nn.CTCLoss(**kwargs)

        def forward(self, logits, *rest):
            return self.ctc(lib.nn.functional.log_softmax(logits, dim=2), *rest)

    return CTCOnLogits()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss_matches_torch(torch, reduction, zero_infinity):
    kwargs = {"blank": 0, "reduction": reduction, "zero_infinity": zero_infinity}
    assert repr(nn.CTCLoss(**kwargs)) == repr(torch.nn.CTCLoss(**kwargs))
    em, tm = _ctc_on_logits(ember, **kwargs), _ctc_on_logits(torch, **kwargs)
    targets = np.array([[1, 2, 2], [3, 1, 0]])
    compare(torch, em, tm, randn(6, 2, 4), targets, np.array([6, 5]), np.array([3, 2]),
            atol=1e-4)
    # an impossible alignment (target longer than the input): inf, or 0 with zero_infinity
    out = em(ember.tensor(randn(2, 1, 4)), ember.tensor([[1, 2, 3]]), ember.tensor([2]),
             ember.tensor([3]))
    ref = tm(torch.tensor(randn(2, 1, 4)), torch.tensor([[1, 2, 3]]), torch.tensor([2]),
             torch.tensor([3]))
    np.testing.assert_array_equal(out.detach().numpy(), ref.detach().numpy())


def test_loss_defaults_and_legacy_arguments():
    loss = nn.CrossEntropyLoss()
    assert (loss.reduction, loss.ignore_index, loss.label_smoothing, loss.weight) == (
        "mean", -100, 0.0, None)
    assert nn.NLLLoss().ignore_index == -100 and nn.SmoothL1Loss().beta == 1.0
    assert nn.TripletMarginLoss().margin == 1.0 and nn.CTCLoss().blank == 0
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        assert nn.MSELoss(size_average=False).reduction == "sum"
    with pytest.warns(UserWarning, match="reduction='none' instead"):
        assert nn.L1Loss(reduce=False).reduction == "none"
    with pytest.raises(ValueError, match="only p == 1 and p == 2 supported"):
        nn.MultiMarginLoss(p=3)
    with pytest.raises(ValueError, match="expected margin to be greater than 0, got 0"):
        nn.TripletMarginLoss(margin=0)
    with pytest.raises(TypeError, match="delta must be a float or int"):
        nn.HuberLoss(delta="1")


def test_weight_buffer_follows_module_conversion():
    loss = nn.CrossEntropyLoss(weight=ember.ones(3))
    assert [n for n, _ in loss.named_buffers()] == ["weight"]
    loss.double()
    assert loss.weight.dtype == ember.float64
