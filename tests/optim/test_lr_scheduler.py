"""Learning-rate schedulers against PyTorch: lr (and momentum) sequences, state dicts, warnings.

Every schedule is pure Python float arithmetic in both frameworks, so the sequences must be
equal exactly, not just close.
"""

from __future__ import annotations

import copy
import math
import warnings

import pytest

import ember


def _optimizer(lib, name="SGD"):
    w1, w2 = lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)
    groups = [{"params": [w1]}, {"params": [w2], "lr": 0.05}]
    if name == "SGD":
        return lib.optim.SGD(groups, lr=0.1, momentum=0.9)
    return getattr(lib.optim, name)(groups, lr=0.1)


def _record(opt, sched):
    return (tuple(sched.get_last_lr()),
            tuple((g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups))


def _trace(lib, make, steps=50, opt_name="SGD", step_args=None):
    opt = _optimizer(lib, opt_name)
    sched = make(lib.optim.lr_scheduler, opt)
    trace = [_record(opt, sched)]
    for i in range(steps):
        opt.step()
        if step_args is None:
            sched.step()
        else:
            sched.step(step_args[i])
        trace.append(_record(opt, sched))
    return trace, opt, sched


SCHEDULES = {
    "StepLR": lambda S, o: S.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda S, o: S.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda S, o: S.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
    "CosineAnnealingLR-zero-min": lambda S, o: S.CosineAnnealingLR(o, T_max=10),
    "LambdaLR": lambda S, o: S.LambdaLR(o, lambda e: 0.95**e),
    "LambdaLR-per-group": lambda S, o: S.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9**e]),
    "MultiplicativeLR": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.9 if e % 2 else 0.95),
    "LinearLR": lambda S, o: S.LinearLR(o, start_factor=0.25, total_iters=6),
    "LinearLR-down": lambda S, o: S.LinearLR(o, start_factor=1.0, end_factor=0.1,
                                             total_iters=8),
    "ConstantLR": lambda S, o: S.ConstantLR(o, factor=0.5, total_iters=4),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=10, power=2.0),
    "CosineAnnealingWarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=4),
    "CosineAnnealingWarmRestarts-mult": lambda S, o: S.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.01),
    "CyclicLR-triangular": lambda S, o: S.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=4),
    "CyclicLR-triangular2": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=3,
                                                    step_size_down=5, mode="triangular2"),
    "CyclicLR-exp_range": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=4,
                                                  mode="exp_range", gamma=0.9),
    "CyclicLR-scale_fn": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=2,
                                                 scale_fn=lambda x: 0.5 ** x,
                                                 scale_mode="iterations",
                                                 cycle_momentum=False),
    "OneCycleLR-cos": lambda S, o: S.OneCycleLR(o, max_lr=1.0, total_steps=50),
    "OneCycleLR-linear": lambda S, o: S.OneCycleLR(o, max_lr=[1.0, 0.5], epochs=5,
                                                   steps_per_epoch=10, pct_start=0.25,
                                                   anneal_strategy="linear"),
    "OneCycleLR-three-phase": lambda S, o: S.OneCycleLR(o, max_lr=0.3, total_steps=50,
                                                        three_phase=True, div_factor=10,
                                                        final_div_factor=100),
    "OneCycleLR-no-momentum": lambda S, o: S.OneCycleLR(o, max_lr=0.3, total_steps=51,
                                                        cycle_momentum=False),
    "SequentialLR": lambda S, o: S.SequentialLR(
        o, [S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)],
        milestones=[3]),
    "SequentialLR-warmup-cosine": lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=20),
            S.StepLR(o, step_size=2)], milestones=[5, 25]),
    "ChainedScheduler": lambda S, o: S.ChainedScheduler(
        [S.ConstantLR(o, factor=0.5, total_iters=4), S.ExponentialLR(o, gamma=0.9)]),
    "ChainedScheduler-cosine": lambda S, o: S.ChainedScheduler(
        [S.CosineAnnealingLR(o, T_max=6), S.MultiStepLR(o, milestones=[3, 8])], optimizer=o),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_lr_sequence_matches_torch(torch, name):
    e_trace, _, e_sched = _trace(ember, SCHEDULES[name])
    t_trace, _, t_sched = _trace(torch, SCHEDULES[name])
    assert e_trace == t_trace
    assert _state_keys(e_sched.state_dict()) == _state_keys(t_sched.state_dict())


@pytest.mark.parametrize("name", ["CyclicLR-triangular", "OneCycleLR-cos",
                                  "OneCycleLR-three-phase"])
def test_momentum_cycling_moves_adams_beta1_like_torch(torch, name):
    e_trace, e_opt, _ = _trace(ember, SCHEDULES[name], opt_name="Adam")
    t_trace, _, _ = _trace(torch, SCHEDULES[name], opt_name="Adam")
    assert e_trace == t_trace
    assert e_opt.param_groups[0]["betas"][1] == 0.999


def _state_keys(sd):
    """The key structure of a scheduler state dict, nested ones included."""
    return {k: ([_state_keys(s) for s in v] if k == "_schedulers" else None)
            for k, v in sd.items()}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_state_dict_round_trip_continues_identically(name):
    make = SCHEDULES[name]
    _, opt, sched = _trace(ember, make, steps=10)
    saved_sched = copy.deepcopy(sched.state_dict())
    saved_opt = copy.deepcopy(opt.state_dict())
    opt2 = _optimizer(ember)
    sched2 = make(ember.optim.lr_scheduler, opt2)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    for _ in range(15):
        for o, s in ((opt, sched), (opt2, sched2)):
            o.step()
            s.step()
        assert _record(opt2, sched2) == _record(opt, sched)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
                                  "LinearLR", "ConstantLR", "PolynomialLR", "LambdaLR"])
def test_step_with_an_epoch_uses_the_closed_form_like_torch(torch, name):
    epochs = [1, 2, 3, 7, 4, 4, 12, 0, 9, 20]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e_trace, _, _ = _trace(ember, SCHEDULES[name], len(epochs), step_args=epochs)
        t_trace, _, _ = _trace(torch, SCHEDULES[name], len(epochs), step_args=epochs)
    assert e_trace == t_trace
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)`"):
        _trace(ember, SCHEDULES[name], 1, step_args=[3])


@pytest.mark.parametrize("T_mult", [1, 2])
def test_warm_restarts_with_fractional_epochs_match_torch(torch, T_mult):
    iters = 4
    epochs = [e + i / iters for e in range(12) for i in range(iters)]

    def make(S, o):
        return S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=T_mult, eta_min=0.001)

    e_trace, _, e_sched = _trace(ember, make, len(epochs), step_args=epochs)
    t_trace, _, t_sched = _trace(torch, make, len(epochs), step_args=epochs)
    assert e_trace == t_trace
    assert (e_sched.T_i, e_sched.T_cur, e_sched.last_epoch) == (
        t_sched.T_i, t_sched.T_cur, t_sched.last_epoch)


# -- ReduceLROnPlateau ---------------------------------------------------------------------

METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.79995, 0.79, 0.7, 0.7, 0.71,
           0.72, 0.73, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.55, 0.55, 0.55, 0.55, 0.4, 0.4, 0.4, 0.4]

PLATEAUS = [
    {"patience": 2},
    {"patience": 0, "factor": 0.5},
    {"patience": 1, "cooldown": 2, "factor": 0.5},
    {"patience": 1, "threshold": 0.05, "threshold_mode": "abs"},
    {"patience": 1, "threshold": 1e-3, "threshold_mode": "rel"},
    {"mode": "max", "patience": 1, "factor": 0.3},
    {"mode": "max", "patience": 2, "threshold_mode": "abs", "threshold": 0.01},
    {"patience": 0, "factor": 0.5, "min_lr": [0.01, 0.02]},
    {"patience": 0, "factor": 0.5, "min_lr": 0.02},
    {"patience": 0, "factor": 0.9, "eps": 0.02},
]


@pytest.mark.parametrize("kwargs", PLATEAUS, ids=str)
def test_reduce_lr_on_plateau_follows_a_scripted_metric_like_torch(torch, kwargs):
    def make(S, o):
        return S.ReduceLROnPlateau(o, **kwargs)

    e_trace, _, e_sched = _trace(ember, make, len(METRICS), step_args=METRICS)
    t_trace, _, t_sched = _trace(torch, make, len(METRICS), step_args=METRICS)
    assert e_trace == t_trace
    for attr in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
        assert getattr(e_sched, attr) == getattr(t_sched, attr), attr
    assert set(e_sched.state_dict()) == set(t_sched.state_dict())


def test_reduce_lr_on_plateau_state_dict_round_trip():
    def make(S, o):
        return S.ReduceLROnPlateau(o, patience=1, cooldown=1, factor=0.5)

    _, opt, sched = _trace(ember, make, 10, step_args=METRICS)
    opt2 = _optimizer(ember)
    sched2 = make(ember.optim.lr_scheduler, opt2)
    opt2.load_state_dict(copy.deepcopy(opt.state_dict()))
    sched2.load_state_dict(copy.deepcopy(sched.state_dict()))
    for metric in METRICS[10:]:
        for o, s in ((opt, sched), (opt2, sched2)):
            o.step()
            s.step(metric)
        assert _record(opt2, sched2) == _record(opt, sched)


def test_reduce_lr_on_plateau_accepts_tensor_metrics():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(ember.tensor(1.0))
    sched.step(ember.tensor(2.0))
    assert sched.get_last_lr() == [0.010000000000000002, 0.005000000000000001]


# -- the seed's schedule -------------------------------------------------------------------

SEED_LRS = [0.01, 0.01, 0.01, 0.01, 0.01, 0.005, 0.0025, 0.00125, 0.000625, 0.0003125]


@pytest.mark.parametrize("kind", ["LambdaLR", "MultiplicativeLR"])
def test_seed_schedule_001_for_5_epochs_then_halved(torch, kind):
    """The seed's exercise: lr 0.01 for 5 epochs, then halved every epoch."""
    def run(lib):
        w = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.01)
        S = lib.optim.lr_scheduler
        if kind == "LambdaLR":
            sched = S.LambdaLR(opt, lambda epoch: 1.0 if epoch < 5 else 0.5 ** (epoch - 4))
        else:
            sched = S.MultiplicativeLR(opt, lambda epoch: 1.0 if epoch < 5 else 0.5)
        lrs = []
        for _epoch in range(10):
            lrs.append(opt.param_groups[0]["lr"])
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
            sched.step()
        return lrs

    assert run(ember) == run(torch) == SEED_LRS


# -- warnings and errors -------------------------------------------------------------------

def test_scheduler_step_before_optimizer_step_warns_like_torch(torch):
    for lib in (ember, torch):
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=1)
        with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before "
                                             r"`optimizer.step\(\)`"):
            sched.step()


def test_the_right_order_does_not_warn():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.StepLR(opt, step_size=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            opt.step()
            sched.step()


def test_overriding_optimizer_step_after_the_scheduler_warns():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.StepLR(opt, step_size=1)
    opt.step = lambda closure=None: None
    with pytest.warns(UserWarning, match="has been overridden after learning rate scheduler"):
        sched.step()


def test_calling_get_lr_outside_step_warns():
    sched = ember.optim.lr_scheduler.StepLR(_optimizer(ember), step_size=1)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()


def test_two_schedulers_wrap_the_optimizer_step_once():
    opt = _optimizer(ember)
    ember.optim.lr_scheduler.StepLR(opt, step_size=1)
    wrapped = opt.step
    ember.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    assert opt.step is wrapped


def test_initial_lr_and_base_lrs():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.StepLR(opt, step_size=2)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.05]
    assert sched.base_lrs == [0.1, 0.05]
    assert sched.last_epoch == 0 and sched.get_last_lr() == [0.1, 0.05]


def test_tensor_lr_is_updated_in_place(torch):
    def run(lib):
        w = lib.zeros(2, requires_grad=True)
        lr = lib.tensor(0.1)
        opt = lib.optim.SGD([w], lr=lr)
        sched = lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        for _ in range(3):
            opt.step()
            sched.step()
        assert opt.param_groups[0]["lr"] is lr
        return lr.item(), [x.item() for x in sched.get_last_lr()]

    assert run(ember) == run(torch)


ERRORS = [
    (ValueError, lambda S, o: S.ConstantLR(o, factor=1.5)),
    (ValueError, lambda S, o: S.LinearLR(o, start_factor=0.0)),
    (ValueError, lambda S, o: S.LinearLR(o, end_factor=1.5)),
    (ValueError, lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0)),
    (ValueError, lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0)),
    (ValueError, lambda S, o: S.OneCycleLR(o, max_lr=0.1)),
    (ValueError, lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=0)),
    (ValueError, lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, pct_start=1.5)),
    (ValueError, lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10,
                                           anneal_strategy="step")),
    (ValueError, lambda S, o: S.OneCycleLR(o, max_lr=[0.1], total_steps=10)),
    (ValueError, lambda S, o: S.CyclicLR(o, 0.01, 0.1, mode="sawtooth")),
    (ValueError, lambda S, o: S.ReduceLROnPlateau(o, factor=1.0)),
    (ValueError, lambda S, o: S.ReduceLROnPlateau(o, mode="median")),
    (ValueError, lambda S, o: S.ReduceLROnPlateau(o, threshold_mode="pct")),
    (ValueError, lambda S, o: S.ReduceLROnPlateau(o, min_lr=[0.1])),
    (ValueError, lambda S, o: S.LambdaLR(o, [lambda e: 1.0])),
    (TypeError, lambda S, o: S.MultiplicativeLR(o, 0.5)),
    (ValueError, lambda S, o: S.SequentialLR(o, [S.ExponentialLR(o, 0.9)], milestones=[2])),
    (ValueError, lambda S, o: S.SequentialLR(o, [], milestones=[])),
    (ValueError, lambda S, o: S.ChainedScheduler([])),
    (ValueError, lambda S, o: S.ChainedScheduler([S.ReduceLROnPlateau(o)])),
    (TypeError, lambda S, o: S.StepLR(None, step_size=1)),
    (KeyError, lambda S, o: S.StepLR(o, step_size=1, last_epoch=3)),
]


@pytest.mark.parametrize("exc,make", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_match_torch(torch, exc, make):
    with pytest.raises(exc) as t_err:
        make(torch.optim.lr_scheduler, _optimizer(torch))
    with pytest.raises(exc) as e_err:
        make(ember.optim.lr_scheduler, _optimizer(ember))
    assert str(e_err.value) == str(t_err.value)


def test_cycling_momentum_needs_momentum_like_torch(torch):
    def make(lib):
        opt = lib.optim.Adagrad([lib.zeros(2, requires_grad=True)])
        lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)

    with pytest.raises(ValueError) as t_err:
        make(torch)
    with pytest.raises(ValueError) as e_err:
        make(ember)
    assert str(e_err.value) == str(t_err.value)


def test_one_cycle_refuses_to_step_past_the_end():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    opt.step()
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total "
                                         "steps is 3"):
        sched.step()


def test_cosine_annealing_is_the_closed_form_without_interference():
    opt = _optimizer(ember)
    sched = ember.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    for epoch in range(1, 11):
        opt.step()
        sched.step()
        expected = 0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * epoch / 10)) / 2
        assert sched.get_last_lr()[0] == pytest.approx(expected, rel=1e-12)
