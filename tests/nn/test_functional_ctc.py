"""``ctc_loss`` against PyTorch: padded and concatenated targets, repeated labels, every
reduction, infeasible alignments (inf, zero_infinity), unbatched input, float32, and the
gradient through ``log_softmax`` (PyTorch's backward assumes log_probs come from one)."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, randn

import ember
import ember.nn.functional as F

T, N, C, S = 12, 3, 5, 4
TARGETS = np.array([[2, 2, 3, 1], [1, 4, 0, 0], [3, 1, 3, 0]])  # a repeated label, padding
IN_LENS, TG_LENS = [12, 10, 7], [4, 2, 3]


def _ctc(lib_f, targets, in_lens, tg_lens, **kwargs):
    def f(logits):
        return lib_f.ctc_loss(lib_f.log_softmax(logits, 2), targets, in_lens, tg_lens, **kwargs)
    return f


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ctc_loss_matches_torch(torch, reduction, dtype):
    tol = {} if dtype == np.float64 else {"rtol": 1e-4, "atol": 1e-5}
    check(torch, _ctc(F, ember.tensor(TARGETS), IN_LENS, TG_LENS, reduction=reduction),
          _ctc(torch.nn.functional, torch.tensor(TARGETS), IN_LENS, TG_LENS,
               reduction=reduction), randn(T, N, C, dtype=dtype), **tol)


def test_ctc_loss_concatenated_targets_and_tensor_lengths(torch):
    flat = np.concatenate([TARGETS[i, :k] for i, k in enumerate(TG_LENS)])
    check(torch, _ctc(F, ember.tensor(flat), ember.tensor(IN_LENS), ember.tensor(TG_LENS)),
          _ctc(torch.nn.functional, torch.tensor(flat), torch.tensor(IN_LENS),
               torch.tensor(TG_LENS)), randn(T, N, C))


def test_ctc_loss_other_blank_and_empty_target(torch):
    targets = np.array([[0, 1, 0], [0, 0, 0]])
    check(torch, _ctc(F, ember.tensor(targets), [6, 5], [3, 0], blank=4, reduction="none"),
          _ctc(torch.nn.functional, torch.tensor(targets), [6, 5], [3, 0], blank=4,
               reduction="none"), randn(6, 2, 5))


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss_infeasible_alignment(torch, zero_infinity):
    in_lens = [2, 10, 7]  # 2 frames cannot emit the 4 labels (with a repeat) of sample 0
    e = _ctc(F, ember.tensor(TARGETS), in_lens, TG_LENS, reduction="none",
             zero_infinity=zero_infinity)(ember.tensor(randn(T, N, C)))
    t = _ctc(torch.nn.functional, torch.tensor(TARGETS), in_lens, TG_LENS, reduction="none",
             zero_infinity=zero_infinity)(torch.tensor(randn(T, N, C)))
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-10)
    if zero_infinity:
        check(torch, _ctc(F, ember.tensor(TARGETS), in_lens, TG_LENS, zero_infinity=True),
              _ctc(torch.nn.functional, torch.tensor(TARGETS), in_lens, TG_LENS,
                   zero_infinity=True), randn(T, N, C))
    else:
        assert np.isinf(e.numpy()[0])


def test_ctc_loss_unbatched(torch):
    check(torch, lambda a: F.ctc_loss(F.log_softmax(a, 1), ember.tensor([1, 2]),
                                      ember.tensor(6), ember.tensor(2)),
          lambda a: torch.nn.functional.ctc_loss(torch.nn.functional.log_softmax(a, 1),
                                                 torch.tensor([1, 2]), torch.tensor(6),
                                                 torch.tensor(2)), randn(6, 4))


def test_ctc_loss_input_length_error():
    with pytest.raises(RuntimeError, match="Expected input_lengths to have value at most 12"):
        F.ctc_loss(ember.tensor(randn(T, N, C)), ember.tensor(TARGETS), [13, 1, 1], TG_LENS)


def test_ctc_loss_reference_backend(torch):
    check(torch, _ctc(F, ember.tensor([[1, 1]], device="ref"), [4], [2]),
          _ctc(torch.nn.functional, torch.tensor([[1, 1]]), [4], [2]), randn(4, 1, 3),
          device="ref")
