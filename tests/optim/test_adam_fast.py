"""Adam's direct-kernel update (NOTE [ Adam in one pass of calls ]) gives the bits of the
op-by-op update, in every variant that takes it, and leaves the others to the ops."""

from __future__ import annotations

from typing import Any

import pytest

import ember
import ember.optim.adam as adam_module
from ember.optim import _adam_fast


def _params(dtype: Any) -> list:
    g = ember.Generator().manual_seed(3)
    shapes = [(7, 5), (5,), (3, 2, 4)]
    ps = [ember.randn(s, generator=g, dtype=dtype).requires_grad_() for s in shapes]
    return ps


def _run(opt_cls: Any, dtype: Any, fast: bool, monkeypatch: Any, **kw: Any) -> list:
    if not fast:
        monkeypatch.setattr(adam_module, "adam_update", lambda *a, **k: False)
    ps = _params(dtype)
    opt = opt_cls(ps, **kw)
    g = ember.Generator().manual_seed(4)
    for _ in range(6):
        for p in ps:
            p.grad = ember.randn(p.shape, generator=g, dtype=dtype)
        opt.step()
    monkeypatch.undo()
    state = [opt.state[p] for p in ps]
    return [p.detach().tolist() for p in ps] + [
        (s["exp_avg"].tolist(), s["exp_avg_sq"].tolist(), s["exp_avg"]._version,
         s["exp_avg_sq"]._version) for s in state] + [p._version for p in ps]


VARIANTS = {
    "adam": (ember.optim.Adam, {"lr": 1e-2}),
    "adam-weight-decay": (ember.optim.Adam, {"lr": 1e-2, "weight_decay": 0.1}),
    "adam-maximize": (ember.optim.Adam, {"lr": 1e-2, "maximize": True}),
    "adam-beta1-high": (ember.optim.Adam, {"lr": 1e-2, "betas": (0.3, 0.9)}),
    "adam-tensor-lr": (ember.optim.Adam, {"lr": ember.tensor(0.01)}),
    "adamw": (ember.optim.AdamW, {"lr": 1e-2}),
    "amsgrad (general path)": (ember.optim.Adam, {"lr": 1e-2, "amsgrad": True}),
}


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64, ember.bfloat16])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_fast_update_has_the_bits_of_the_ops(variant: str, dtype: Any, monkeypatch: Any) -> None:
    cls, kw = VARIANTS[variant]
    assert _run(cls, dtype, True, monkeypatch, **kw) == _run(cls, dtype, False, monkeypatch,
                                                            **kw)


def test_the_fast_update_is_taken_and_keeps_scratch_per_parameter() -> None:
    p = ember.zeros(3, 4, requires_grad=True)
    p.grad = ember.ones(3, 4)
    opt = ember.optim.Adam([p], lr=0.1)
    opt.step()
    exp_avg = opt.state[p]["exp_avg"]
    assert _adam_fast._scratch(exp_avg) is not None
    del opt, exp_avg
    import gc

    gc.collect()
    assert not _adam_fast._SCRATCH  # dropped with the state tensor


def test_mismatched_tensors_take_the_ops_untouched() -> None:
    p = ember.zeros(3, requires_grad=True)
    before = ember.zeros(3)
    m, v = ember.zeros(3), ember.zeros(3)
    grad64 = ember.ones(3, dtype=ember.float64)  # another dtype: not this path
    assert not _adam_fast.adam_update(p, grad64, m, v, beta1=0.9, beta2=0.999, eps=1e-8,
                                      step_size=0.1, bias_correction2_sqrt=0.5)
    assert p.detach().tolist() == before.tolist() and m.tolist() == [0.0] * 3
    assert not _adam_fast.adam_update(p, ember.ones(4), m, v, beta1=0.9, beta2=0.999,
                                      eps=1e-8, step_size=0.1, bias_correction2_sqrt=0.5)
