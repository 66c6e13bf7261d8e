"""LBFGS against PyTorch, with and without the strong-Wolfe line search."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import ember

CASES = [
    {},
    {"history_size": 3, "max_iter": 5},
    {"lr": 0.5, "max_iter": 4, "tolerance_change": 1e-5},
    {"line_search_fn": "strong_wolfe"},
    {"line_search_fn": "strong_wolfe", "history_size": 2, "max_iter": 7},
    {"line_search_fn": "strong_wolfe", "max_iter": 3, "max_eval": 4},
]


def _compare_state(harness, e_opt, t_opt):
    e_state = e_opt.state[e_opt.param_groups[0]["params"][0]]
    t_state = t_opt.state[t_opt.param_groups[0]["params"][0]]
    assert set(e_state) == set(t_state)
    for key in ("func_evals", "n_iter"):
        assert e_state[key] == t_state[key], key
    for key in ("d", "prev_flat_grad"):
        np.testing.assert_allclose(harness.to_numpy_tree(e_state[key]),
                                   harness.to_numpy_tree(t_state[key]), rtol=1e-8, atol=1e-10)
    for key in ("old_dirs", "old_stps", "ro"):
        assert len(e_state[key]) == len(t_state[key]), key
    np.testing.assert_allclose(float(e_state["t"]), float(t_state["t"]), rtol=1e-8)
    np.testing.assert_allclose(e_state["prev_loss"], t_state["prev_loss"], rtol=1e-10)


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_lbfgs_matches_torch(harness, kwargs):
    e, t = harness.sides()
    e_opt = ember.optim.LBFGS(e.params, **kwargs)
    t_opt = harness.torch.optim.LBFGS(t.params, **kwargs)
    for step in range(4):
        e_loss = e_opt.step(e.closure_for(e_opt))
        t_loss = t_opt.step(t.closure_for(t_opt))
        np.testing.assert_allclose(float(e_loss), float(t_loss.detach()), rtol=1e-10)
        harness.assert_params_close(e.params, t.params, f"LBFGS{kwargs} step {step}")
        _compare_state(harness, e_opt, t_opt)
    assert repr(e_opt) == repr(t_opt)


@pytest.mark.parametrize("kwargs", [{"history_size": 3, "max_iter": 4},
                                    {"line_search_fn": "strong_wolfe", "max_iter": 4}], ids=str)
def test_lbfgs_resumes_from_its_state_dict(harness, kwargs):
    e, _ = harness.sides()
    opt = ember.optim.LBFGS(e.params, **kwargs)
    opt.step(e.closure_for(opt))
    saved = copy.deepcopy(opt.state_dict())
    e2, _ = harness.sides()
    with ember.no_grad():
        for d, s in zip(e2.params, e.params):
            d.copy_(s)
    opt2 = ember.optim.LBFGS(e2.params, **kwargs)
    opt2.load_state_dict(saved)
    for _ in range(2):
        opt.step(e.closure_for(opt))
        opt2.step(e2.closure_for(opt2))
        harness.assert_params_close(e2.params, [p.detach() for p in e.params], "resumed")


def test_lbfgs_converges_on_a_quadratic():
    w = ember.tensor([1.0, -2.0, 0.5], dtype=ember.float64, requires_grad=True)
    opt = ember.optim.LBFGS([w], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((w - ember.tensor([3.0, 1.0, -1.0], dtype=ember.float64)) ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    np.testing.assert_allclose(w.tolist(), [3.0, 1.0, -1.0], atol=1e-8)


def test_lbfgs_errors_match_torch(torch):
    def pair(lib):
        return [lib.zeros(2, requires_grad=True)], [lib.zeros(3, requires_grad=True)]

    e1, e2 = pair(ember)
    t1, t2 = pair(torch)
    with pytest.raises(ValueError) as t_err:
        torch.optim.LBFGS([{"params": t1}, {"params": t2}])
    with pytest.raises(ValueError) as e_err:
        ember.optim.LBFGS([{"params": e1}, {"params": e2}])
    assert str(e_err.value) == str(t_err.value)
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.LBFGS([w], line_search_fn="armijo")

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(closure)


def test_lbfgs_returns_at_once_when_the_gradient_is_already_small():
    w = ember.zeros(2, dtype=ember.float64, requires_grad=True)
    opt = ember.optim.LBFGS([w])
    calls = []

    def closure():
        calls.append(1)
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    assert float(opt.step(closure)) == 0.0
    assert len(calls) == 1
    assert opt.state[w]["func_evals"] == 1


@pytest.mark.parametrize("kwargs", [{"max_iter": 3, "history_size": 2},
                                    {"max_iter": 3, "line_search_fn": "strong_wolfe"}], ids=str)
def test_lbfgs_on_reference_backend(harness, kwargs):
    e, t = harness.sides(device="ref")
    e_opt = ember.optim.LBFGS(e.params, **kwargs)
    t_opt = harness.torch.optim.LBFGS(t.params, **kwargs)
    for step in range(2):
        e_opt.step(e.closure_for(e_opt))
        t_opt.step(t.closure_for(t_opt))
        harness.assert_params_close(e.params, t.params, f"ref step {step}")
    assert e.w.device.type == "ref"
