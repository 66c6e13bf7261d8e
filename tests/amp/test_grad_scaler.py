"""ember.amp.GradScaler against torch.amp.GradScaler("cpu"): scale, unscale_, skipped steps on
inf/NaN, growth and backoff trajectories, state_dict."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import ember

# Per iteration, a factor for the gradients: inf/NaN make the step skip and the scale back off.
SCHEDULE = [1.0, 1.0, float("inf"), 1.0, 1.0, 1.0, float("nan"), 1.0, 1.0, 1.0, 1.0, 1.0]


def _run(lib, device, schedule, unscale_first=False, **kw):
    w0 = np.array([1.0, -2.0, 0.5])  # float64: compare the scaler, not float32 rounding
    w = lib.tensor(w0, requires_grad=True, device=device)
    opt = lib.optim.SGD([w], lr=0.1, momentum=0.9)
    scaler = lib.amp.GradScaler(device, **kw)
    trace = []
    for factor in schedule:
        opt.zero_grad()
        loss = (w * w).sum() * factor
        scaler.scale(loss).backward()
        if unscale_first:
            scaler.unscale_(opt)
            trace.append(w.grad.detach().cpu().numpy().copy())
        scaler.step(opt)
        scaler.update()
        trace.append((scaler.get_scale(), scaler._get_growth_tracker(),
                      w.detach().cpu().numpy().copy()))
    return trace, scaler.state_dict()


def _same(e, t):
    assert len(e) == len(t)
    for a, b in zip(e, t):
        if isinstance(a, tuple):
            assert a[0] == b[0] and a[1] == b[1]
            np.testing.assert_allclose(a[2], b[2], rtol=1e-12)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("kw", [dict(init_scale=8.0, growth_interval=3),
                                dict(init_scale=2.0**16, growth_factor=3.0, backoff_factor=0.25,
                                     growth_interval=2),
                                dict(init_scale=3.0e38, growth_interval=1)],  # growth overflows
                         ids=["small", "factors", "overflow"])
def test_trajectory_matches_pytorch(kw, torch):
    e, esd = _run(ember, "cpu", SCHEDULE, **kw)
    t, tsd = _run(torch, "cpu", SCHEDULE, **kw)
    _same(e, t)
    assert esd == tsd


def test_unscale_then_step_matches_pytorch(torch):
    e, _ = _run(ember, "cpu", SCHEDULE[:6], unscale_first=True, init_scale=1024.0,
                growth_interval=2)
    t, _ = _run(torch, "cpu", SCHEDULE[:6], unscale_first=True, init_scale=1024.0,
                growth_interval=2)
    _same(e, t)


def test_reference_backend_matches_cpu():
    e, _ = _run(ember, "ref", SCHEDULE[:5], init_scale=8.0, growth_interval=2)
    c, _ = _run(ember, "cpu", SCHEDULE[:5], init_scale=8.0, growth_interval=2)
    _same(e, c)


def test_inf_skips_the_step():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=1.0)
    scaler = ember.amp.GradScaler("cpu", init_scale=4.0)
    scaler.scale((w * float("inf")).sum()).backward()
    assert scaler.step(opt) is None
    assert w.tolist() == [1.0, 1.0]
    scaler.update()
    assert scaler.get_scale() == 2.0


def test_scale_nested_outputs(torch):
    scaler = ember.amp.GradScaler("cpu", init_scale=4.0)
    out = scaler.scale([ember.ones(1), (ember.ones(2), ember.ones(1))])
    assert isinstance(out, list) and isinstance(out[1], tuple)
    assert out[1][0].tolist() == [4.0, 4.0]
    with pytest.raises(ValueError, match="outputs must be a Tensor or an iterable"):
        scaler.scale([1.0])


def test_misuse_errors_match_pytorch(torch):
    for lib in (ember, torch):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=1.0)
        scaler = lib.amp.GradScaler("cpu")
        with pytest.raises(AssertionError, match="Attempted step but _scale is None"):
            scaler.step(opt)
        scaler.scale(w.sum()).backward()
        scaler.unscale_(opt)
        with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
            scaler.unscale_(opt)
        scaler.step(opt)
        with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
            scaler.step(opt)
        with pytest.raises(RuntimeError, match="unscale_\\(\\) is being called after step"):
            scaler.unscale_(opt)
        with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
            scaler.step(opt, closure=lambda: None)
        with pytest.raises(AssertionError, match="growth factor must be > 1.0"):
            lib.amp.GradScaler("cpu", growth_factor=1.0)
        with pytest.raises(AssertionError, match="backoff factor must be < 1.0"):
            lib.amp.GradScaler("cpu", backoff_factor=1.0)


def test_fp16_gradients_refused(torch):
    w = ember.ones(2, dtype=ember.float16, requires_grad=True)
    opt = ember.optim.SGD([w], lr=1.0)
    scaler = ember.amp.GradScaler("cpu", init_scale=2.0)
    scaler.scale(w.float().sum()).backward()
    with pytest.raises(ValueError, match="Attempting to unscale FP16 gradients."):
        scaler.step(opt)


def test_disabled_is_a_pass_through():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=1.0)
    scaler = ember.amp.GradScaler("cpu", enabled=False)
    loss = w.sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    scaler.step(opt)
    scaler.update()
    assert w.tolist() == [0.0, 0.0]
    assert (scaler.get_scale(), scaler.state_dict(), scaler.is_enabled()) == (1.0, {}, False)


def test_state_dict_round_trip_and_pickle(torch):
    a = ember.amp.GradScaler("cpu", init_scale=8.0, growth_interval=3)
    w = ember.ones(1, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.0)
    for _ in range(2):
        a.scale(w.sum()).backward()
        a.step(opt)
        a.update()
    b = ember.amp.GradScaler("cpu")
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict() == {"scale": 8.0, "growth_factor": 2.0,
                                                "backoff_factor": 0.5, "growth_interval": 3,
                                                "_growth_tracker": 2}
    c = pickle.loads(pickle.dumps(a))
    assert c.state_dict() == a.state_dict()
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        b.load_state_dict({})


def test_update_with_new_scale():
    s = ember.amp.GradScaler("cpu", init_scale=8.0)
    s.scale(ember.ones(1))
    s.update(2.0)
    assert s.get_scale() == 2.0
    s.update(ember.tensor([5.0]))
    assert s.get_scale() == 5.0
    with pytest.raises(AssertionError, match="new_scale should be a float"):
        s.update(ember.tensor([1.0, 2.0]))
