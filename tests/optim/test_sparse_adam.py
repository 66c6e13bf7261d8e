"""SparseAdam against PyTorch, fed the same gradients sparse there and dense (row-masked) here."""

from __future__ import annotations

import numpy as np
import pytest

import ember

RTOL, ATOL = 1e-10, 1e-12

_rng = np.random.default_rng(7)
W0 = _rng.standard_normal((5, 3))
B0 = _rng.standard_normal(5)
TARGET = _rng.standard_normal((5, 3))
# Which rows each step's "embedding lookup" touches: rows left out keep their state.
ROW_MASKS = [_rng.integers(0, 2, size=(5, 1)).astype(float) for _ in range(12)]


def _loss(w, b, mask, mask1, t):
    return ((w * mask - t) ** 2).sum() + ((b * mask1) ** 2).sum()


@pytest.mark.parametrize("kwargs", [{"lr": 0.05}, {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-6},
                                    {"lr": 0.02, "maximize": True}], ids=str)
def test_sparse_adam_matches_torch_on_row_sparse_gradients(torch, kwargs):
    ew = ember.tensor(W0, dtype=ember.float64, requires_grad=True)
    eb = ember.tensor(B0, dtype=ember.float64, requires_grad=True)
    tw = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    e_opt = ember.optim.SparseAdam([ew, eb], **kwargs)
    t_opt = torch.optim.SparseAdam([tw, tb], **kwargs)
    for step, mask in enumerate(ROW_MASKS):
        e_opt.zero_grad()
        t_opt.zero_grad()
        _loss(ew, eb, ember.tensor(mask, dtype=ember.float64),
              ember.tensor(mask.ravel(), dtype=ember.float64),
              ember.tensor(TARGET, dtype=ember.float64)).backward()
        _loss(tw, tb, torch.tensor(mask), torch.tensor(mask.ravel()),
              torch.tensor(TARGET)).backward()
        tw.grad = tw.grad.to_sparse(1)
        tb.grad = tb.grad.to_sparse()
        e_opt.step()
        t_opt.step()
        for pe, pt in ((ew, tw), (eb, tb)):
            np.testing.assert_allclose(np.asarray(pe.tolist()), pt.detach().numpy(),
                                       rtol=RTOL, atol=ATOL, err_msg=f"step {step}")
    e_sd, t_sd = e_opt.state_dict(), t_opt.state_dict()
    assert e_sd["param_groups"] == t_sd["param_groups"]
    for idx in t_sd["state"]:
        assert e_sd["state"][idx]["step"] == t_sd["state"][idx]["step"]
        for key in ("exp_avg", "exp_avg_sq"):
            np.testing.assert_allclose(np.asarray(e_sd["state"][idx][key].tolist()),
                                       t_sd["state"][idx][key].numpy(), rtol=RTOL, atol=ATOL)
    assert repr(e_opt) == repr(t_opt)


def test_sparse_adam_skips_all_zero_gradients_and_untouched_rows():
    w = ember.tensor([[1.0, 1.0], [2.0, 2.0]], requires_grad=True)
    opt = ember.optim.SparseAdam([w], lr=0.1)
    w.grad = ember.zeros(2, 2)
    opt.step()
    assert w.tolist() == [[1.0, 1.0], [2.0, 2.0]]
    assert opt.state[w]["exp_avg"].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    w.grad = ember.tensor([[0.0, 0.0], [1.0, 1.0]])
    opt.step()
    assert w.tolist()[0] == [1.0, 1.0]
    moved = w.tolist()[1][1]
    assert moved != 2.0
    # Row 1 is touched again, with a zero gradient in column 1: the row's moments decay
    # and the value keeps moving, as PyTorch does for every entry of a row in the gradient.
    w.grad = ember.tensor([[0.0, 0.0], [1.0, 0.0]])
    opt.step()
    assert w.tolist()[0] == [1.0, 1.0]
    assert w.tolist()[1][1] != moved
    assert opt.state[w]["step"] == 3  # counted even for the all-zero step, as PyTorch


@pytest.mark.parametrize("kwargs", [{"lr": 0.0}, {"lr": 0.1, "eps": 0.0},
                                    {"lr": 0.1, "betas": (1.0, 0.9)}], ids=str)
def test_sparse_adam_validation_matches_torch(torch, kwargs):
    with pytest.raises(ValueError) as t_err:
        torch.optim.SparseAdam([torch.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as e_err:
        ember.optim.SparseAdam([ember.zeros(2, requires_grad=True)], **kwargs)
    assert str(e_err.value) == str(t_err.value)


def test_sparse_adam_on_reference_backend():
    rows = []
    for device in ("cpu", "ref"):
        w = ember.tensor(W0, dtype=ember.float64, device=device, requires_grad=True)
        opt = ember.optim.SparseAdam([w], lr=0.1)
        for mask in ROW_MASKS[:3]:
            opt.zero_grad()
            m = ember.tensor(mask, dtype=ember.float64, device=device)
            t = ember.tensor(TARGET, dtype=ember.float64, device=device)
            ((w * m - t) ** 2).sum().backward()
            opt.step()
        rows.append(np.asarray(w.tolist()))
    np.testing.assert_allclose(rows[1], rows[0], rtol=1e-12)
