"""The Optimizer base class: parameter groups, state dicts, zero_grad, step, hooks, errors."""

from __future__ import annotations

import collections
import copy
import pickle

import numpy as np
import pytest

import ember

ALL = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "ASGD", "RAdam",
       "NAdam", "Rprop", "SparseAdam", "LBFGS"]


def _leaf(lib, *shape):
    return lib.zeros(*shape, requires_grad=True)


def _same_error(torch, exc, make):
    """``make(lib)`` raises ``exc`` with the same message in both frameworks."""
    with pytest.raises(exc) as t_err:
        make(torch)
    with pytest.raises(exc) as e_err:
        make(ember)
    assert str(e_err.value) == str(t_err.value)


# -- parameter groups ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_per_group_options_match_torch(harness, name):
    kwargs = {"lr": 0.01, "weight_decay": 0.05}

    def groups(side):
        return [{"params": [side.w], "lr": 0.1}, {"params": [side.b], "weight_decay": 0.0}]

    cls = getattr(ember.optim, name)
    _, _, e_opt, t_opt = harness.run(cls, getattr(harness.torch.optim, name), kwargs, 10,
                                     groups=groups)
    assert [g["lr"] for g in e_opt.param_groups] == [0.1, 0.01]
    assert [g["weight_decay"] for g in e_opt.param_groups] == [0.05, 0.0]
    harness.assert_state_dicts_match(e_opt.state_dict(), t_opt.state_dict())
    assert repr(e_opt) == repr(t_opt)


def test_named_parameters_are_kept_as_param_names(torch):
    def build(lib):
        w, b = _leaf(lib, 3), _leaf(lib, 2)
        return lib.optim.Adam([("layer.weight", w), ("layer.bias", b)], lr=0.1)

    e_opt, t_opt = build(ember), build(torch)
    assert e_opt.param_groups[0]["param_names"] == ["layer.weight", "layer.bias"]
    assert e_opt.state_dict()["param_groups"] == t_opt.state_dict()["param_groups"]
    # Names and no names don't mix.
    _same_error(torch, ValueError, lambda lib: lib.optim.SGD(
        [("w", _leaf(lib, 2)), _leaf(lib, 2)], lr=0.1))
    _same_error(torch, ValueError, lambda lib: lib.optim.SGD(
        [("w", _leaf(lib, 2))], lr=0.1).add_param_group({"params": [_leaf(lib, 2)]}))


def test_add_param_group_as_the_seed_does(torch):
    """The seed: SGD with momentum, then ``add_param_group({"params": w2, "lr": 1e-4})``."""
    def build(lib):
        w1 = lib.ones(2, 2, requires_grad=True)
        opt = lib.optim.SGD([w1], lr=0.01, momentum=0.9)
        w2 = lib.ones(3, 3, requires_grad=True)
        opt.add_param_group({"params": w2, "lr": 0.0001})
        return opt, w1, w2

    (e_opt, ew1, ew2), (t_opt, tw1, tw2) = build(ember), build(torch)
    assert len(e_opt.param_groups) == 2
    assert e_opt.param_groups[1]["params"][0] is ew2
    assert e_opt.param_groups[1]["lr"] == 0.0001
    assert e_opt.param_groups[1]["momentum"] == 0.9
    for opt, w1, w2 in ((e_opt, ew1, ew2), (t_opt, tw1, tw2)):
        ((w1 * w1).sum() + (w2 * w2).sum()).backward()
        opt.step()
    np.testing.assert_allclose(ew2.tolist(), tw2.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(ew1.tolist(), tw1.detach().numpy(), rtol=1e-6)
    e_sd, t_sd = e_opt.state_dict(), t_opt.state_dict()
    assert e_sd["param_groups"] == t_sd["param_groups"]
    assert [g["params"] for g in e_sd["param_groups"]] == [[0], [1]]
    assert list(e_sd["state"]) == [0, 1]
    assert repr(e_opt) == repr(t_opt)


def test_parameter_group_errors_match_torch(torch):
    def in_two_groups(lib):
        w = _leaf(lib, 2)
        lib.optim.SGD([{"params": [w]}, {"params": [w], "lr": 0.1}], lr=0.1)

    def non_leaf(lib):
        lib.optim.SGD([_leaf(lib, 2) * 2], lr=0.1)

    _same_error(torch, ValueError, in_two_groups)
    _same_error(torch, ValueError, non_leaf)
    _same_error(torch, ValueError, lambda lib: lib.optim.SGD([], lr=0.1))
    _same_error(torch, TypeError, lambda lib: lib.optim.SGD(
        [{"params": {_leaf(lib, 2)}}], lr=0.1))
    _same_error(torch, TypeError, lambda lib: lib.optim.SGD([_leaf(lib, 2), 3], lr=0.1))
    _same_error(torch, TypeError,
                lambda lib: lib.optim.SGD([_leaf(lib, 2)], lr=0.1).add_param_group([1]))
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        non_leaf(ember)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter"):
        in_two_groups(ember)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts, but got"):
        ember.optim.SGD(_leaf(ember, 2), lr=0.1)


def test_duplicate_parameters_warn_like_torch():
    w = _leaf(ember, 2)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        ember.optim.SGD([w, w], lr=0.1)


def test_required_option_must_be_given():
    from ember.optim.optimizer import required

    class Needy(ember.optim.Optimizer):
        def __init__(self, params, lr=required):
            super().__init__(params, {"lr": lr})

    assert repr(required) == "<required parameter>"
    with pytest.raises(ValueError, match="didn't specify a value of required optimization "
                                         "parameter lr"):
        Needy([_leaf(ember, 2)])
    assert Needy([{"params": [_leaf(ember, 2)], "lr": 0.5}]).param_groups[0]["lr"] == 0.5


@pytest.mark.parametrize("name", ALL)
def test_repr_and_defaults_match_torch(torch, name):
    def build(lib):
        return getattr(lib.optim, name)([_leaf(lib, 2)])

    e_opt, t_opt = build(ember), build(torch)
    assert repr(e_opt) == repr(t_opt)
    assert e_opt.defaults == t_opt.defaults
    assert e_opt.state_dict()["param_groups"] == t_opt.state_dict()["param_groups"]


@pytest.mark.parametrize("name,kwargs", [
    ("SGD", {"lr": -0.1}), ("Adam", {"lr": -1e-3}), ("Adam", {"eps": -1.0}),
    ("Adam", {"betas": (0.9, 1.0)}), ("Adam", {"betas": (-0.1, 0.9)}),
    ("Adam", {"weight_decay": -0.1}), ("AdamW", {"betas": (0.9, 1.5)}),
    ("RMSprop", {"alpha": -0.5}), ("RMSprop", {"momentum": -0.5}), ("RMSprop", {"eps": -1.0}),
    ("Adagrad", {"lr_decay": -0.1}), ("Adagrad", {"initial_accumulator_value": -1.0}),
    ("Adadelta", {"rho": 1.5}), ("Adamax", {"betas": (1.0, 0.9)}),
    ("ASGD", {"weight_decay": -1.0}), ("RAdam", {"eps": -1.0}),
    ("NAdam", {"momentum_decay": -0.1}), ("Rprop", {"etas": (1.5, 1.2)}),
    ("LBFGS", {"lr": -1.0}), ("Adam", {"betas": (0, 0.9)}),
], ids=str)
def test_validation_messages_match_torch(torch, name, kwargs):
    _same_error(torch, ValueError, lambda lib: getattr(lib.optim, name)([_leaf(lib, 2)],
                                                                         **kwargs))


def test_invalid_learning_rate_names_the_value():
    with pytest.raises(ValueError, match=r"^Invalid learning rate: -0.1$"):
        ember.optim.SGD([_leaf(ember, 2)], lr=-0.1)


# -- zero_grad and step --------------------------------------------------------------------

def test_zero_grad_sets_to_none_by_default():
    w = _leaf(ember, 3)
    opt = ember.optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    assert w.grad is not None
    opt.zero_grad()
    assert w.grad is None
    opt.zero_grad()  # no grads at all is fine


def test_zero_grad_in_place_keeps_the_tensor_and_detaches_it():
    w = _leaf(ember, 3)
    opt = ember.optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad
    assert w.grad.tolist() == [0.0, 0.0, 0.0]
    assert not w.grad.requires_grad
    # A grad that is itself part of a graph (e.g. after create_graph) is detached in place.
    x = ember.ones(3, requires_grad=True)
    w.grad = x * 3
    opt.zero_grad(set_to_none=False)
    assert w.grad.grad_fn is None and not w.grad.requires_grad
    assert w.grad.tolist() == [0.0, 0.0, 0.0]


def test_step_skips_parameters_without_grad():
    w, b = ember.ones(2, requires_grad=True), ember.ones(2, requires_grad=True)
    opt = ember.optim.Adam([w, b], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    assert b.tolist() == [1.0, 1.0]
    assert b not in opt.state
    assert list(opt.state_dict()["state"]) == [0]


@pytest.mark.parametrize("name", ALL)
def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss(name):
    w = ember.ones(2, dtype=ember.float64, requires_grad=True)
    opt = getattr(ember.optim, name)([w])
    seen = []

    def closure():
        seen.append(ember.is_grad_enabled())
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with ember.no_grad():
        loss = opt.step(closure)
    assert float(loss) == 2.0
    assert seen and all(seen)
    assert w.is_leaf and w.grad_fn is None


def test_step_updates_in_place_without_recording_a_graph():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.5)
    before = w
    (w * w).sum().backward()
    with ember.enable_grad():
        assert opt.step() is None
    assert w is before and w.is_leaf and w.requires_grad
    assert w.tolist() == [0.0, 0.0]


def test_tensor_learning_rate_acts_like_a_float():
    w1, w2 = ember.ones(2, requires_grad=True), ember.ones(2, requires_grad=True)
    o1 = ember.optim.Adam([w1], lr=ember.tensor(0.1))
    o2 = ember.optim.Adam([w2], lr=0.1)
    for w, o in ((w1, o1), (w2, o2)):
        (w * w).sum().backward()
        o.step()
    np.testing.assert_allclose(w1.tolist(), w2.tolist(), rtol=1e-6)
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        ember.optim.SGD([_leaf(ember, 2)], lr=ember.tensor([0.1, 0.2]))


# -- state dicts ---------------------------------------------------------------------------

def test_state_is_a_defaultdict_keyed_by_the_parameter():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
    assert isinstance(opt.state, collections.defaultdict)
    assert opt.state[w] == {}
    (w * w).sum().backward()
    opt.step()
    assert opt.state[w]["momentum_buffer"].tolist() == [2.0, 2.0]
    assert opt.state_dict()["state"][0]["momentum_buffer"] is opt.state[w]["momentum_buffer"]


def test_adam_step_is_a_0d_float32_tensor_like_torch():
    w = ember.ones(2, dtype=ember.float64, requires_grad=True)
    opt = ember.optim.Adam([w])
    (w * w).sum().backward()
    opt.step()
    step = opt.state[w]["step"]
    assert isinstance(step, ember.Tensor) and step.dim() == 0
    assert step.dtype == ember.float32 and step.item() == 1.0


def test_load_state_dict_errors_match_torch(torch):
    def fewer_groups(lib):
        a = lib.optim.SGD([{"params": [_leaf(lib, 2)]}, {"params": [_leaf(lib, 2)]}], lr=0.1)
        lib.optim.SGD([_leaf(lib, 2)], lr=0.1).load_state_dict(a.state_dict())

    def other_size(lib):
        a = lib.optim.SGD([_leaf(lib, 2), _leaf(lib, 2)], lr=0.1)
        lib.optim.SGD([_leaf(lib, 2)], lr=0.1).load_state_dict(a.state_dict())

    _same_error(torch, ValueError, fewer_groups)
    _same_error(torch, ValueError, other_size)


def test_load_state_dict_casts_state_to_the_parameters_dtype_but_not_step(torch):
    def run(lib):
        w = lib.ones(2, dtype=lib.float64, requires_grad=True)
        opt = lib.optim.Adam([w], lr=0.1)
        (w * w).sum().backward()
        opt.step()
        w32 = lib.ones(2, dtype=lib.float32, requires_grad=True)
        opt32 = lib.optim.Adam([w32], lr=0.1)
        opt32.load_state_dict(opt.state_dict())
        return opt32.state[w32]

    e_state, t_state = run(ember), run(torch)
    for key in ("exp_avg", "exp_avg_sq"):
        assert e_state[key].dtype == ember.float32
        assert str(e_state[key].dtype).split(".")[-1] == str(t_state[key].dtype).split(".")[-1]
    assert e_state["step"].dtype == ember.float32


def test_load_state_dict_moves_state_to_the_parameters_device():
    w = ember.ones(2, dtype=ember.float64, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    w_ref = ember.ones(2, dtype=ember.float64, device="ref", requires_grad=True)
    opt_ref = ember.optim.SGD([w_ref], lr=0.1, momentum=0.9)
    opt_ref.load_state_dict(opt.state_dict())
    assert opt_ref.state[w_ref]["momentum_buffer"].device.type == "ref"


def test_load_state_dict_keeps_the_current_parameters_and_copies_the_groups():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
    sd = opt.state_dict()
    sd["param_groups"][0]["lr"] = 0.5
    w2 = ember.ones(2, requires_grad=True)
    opt2 = ember.optim.SGD([w2], lr=0.1)
    opt2.load_state_dict(sd)
    assert opt2.param_groups[0]["params"][0] is w2
    assert opt2.param_groups[0]["lr"] == 0.5 and opt2.param_groups[0]["momentum"] == 0.9
    sd["param_groups"][0]["lr"] = 0.7
    assert opt2.param_groups[0]["lr"] == 0.5


def test_checkpoint_round_trip_like_the_seed():
    w = ember.tensor([1.0, -1.0], requires_grad=True)
    opt = ember.optim.Adam([w], lr=0.01)
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    checkpoint = copy.deepcopy({"epoch": 3, "optimizer_state_dict": opt.state_dict()})
    w2 = w.detach().clone().requires_grad_(True)
    opt2 = ember.optim.Adam([w2], lr=0.01)
    opt2.load_state_dict(checkpoint["optimizer_state_dict"])
    for weights, o in ((w, opt), (w2, opt2)):
        o.zero_grad()
        (weights * weights).sum().backward()
        o.step()
    assert w2.tolist() == w.tolist()


def test_optimizer_pickles():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    clone = pickle.loads(pickle.dumps(opt))
    assert clone.param_groups[0]["lr"] == 0.1
    assert clone.state_dict()["state"][0]["momentum_buffer"].tolist() == [2.0, 2.0]


def test_a_custom_optimizer_written_like_pytorch_tutorials():
    class PlainSGD(ember.optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        @ember.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self.state[p]["steps"] = self.state[p].get("steps", 0) + 1
                        p.add_(p.grad, alpha=-group["lr"])

    w = ember.ones(2, requires_grad=True)
    opt = PlainSGD([w], lr=0.25)
    (w * w).sum().backward()
    opt.step()
    assert w.tolist() == [0.5, 0.5]
    assert opt.state_dict() == {"state": {0: {"steps": 1}},
                                "param_groups": [{"lr": 0.25, "params": [0]}]}
    assert repr(opt) == "PlainSGD (\nParameter Group 0\n    lr: 0.25\n)"


def test_loading_a_state_dict_without_newer_options_fills_the_defaults():
    w = ember.ones(2, requires_grad=True)
    opt = ember.optim.Adam([w], lr=0.1)
    sd = opt.state_dict()
    for key in ("maximize", "foreach", "capturable", "differentiable", "fused",
                "decoupled_weight_decay"):
        del sd["param_groups"][0][key]
    opt.load_state_dict(sd)
    assert opt.param_groups[0]["maximize"] is False
    assert opt.param_groups[0]["decoupled_weight_decay"] is False
    opt.step()
