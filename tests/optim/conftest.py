"""The differential harness for optimizers: the same small problem in Ember and in PyTorch.

The problem is a linear least-squares fit written with elementwise ops and reductions only
(``x[:, :, None] * w`` summed over dim 1, plus a bias), in float64, so gradients come from
Ember's autograd without needing matmul's backward. A small quartic term makes the curvature
vary, so the adaptive optimizers see changing gradients.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ember

# Float64; only rounding order differs between the frameworks.
RTOL, ATOL = 1e-10, 1e-12

_rng = np.random.default_rng(1234)
X = _rng.standard_normal((8, 3, 1))
Y = _rng.standard_normal((8, 4))
W0 = _rng.standard_normal((3, 4)) * 0.5
B0 = _rng.standard_normal(4) * 0.5


def _loss(lib: Any, x: Any, y: Any, w: Any, b: Any) -> Any:
    pred = (x * w).sum(1) + b
    return ((pred - y) ** 2).mean() + 0.05 * (w**4).sum()


class Side:
    """One framework's copy of the problem: parameters, loss, closure."""

    def __init__(self, lib: Any, to_tensor: Callable, device: str | None = None) -> None:
        self.lib = lib
        self.to_tensor = to_tensor
        self.x, self.y = to_tensor(X), to_tensor(Y)
        self.w = to_tensor(W0).requires_grad_(True)
        self.b = to_tensor(B0).requires_grad_(True)
        self.params = [self.w, self.b]

    def loss(self) -> Any:
        return _loss(self.lib, self.x, self.y, self.w, self.b)

    def backward(self) -> Any:
        for p in self.params:
            p.grad = None
        loss = self.loss()
        loss.backward()
        return loss

    def closure_for(self, opt: Any) -> Callable[[], Any]:
        def closure() -> Any:
            opt.zero_grad()
            loss = self.loss()
            loss.backward()
            return loss
        return closure


class Harness:
    """Builds both sides and compares them after each step."""

    own_grad_steps = 15

    def __init__(self, torch: Any) -> None:
        self.torch = torch

    def sides(self, device: str | None = None) -> tuple[Side, Side]:
        torch = self.torch
        e = Side(ember, lambda a: ember.tensor(a, dtype=ember.float64, device=device))
        t = Side(torch, lambda a: torch.tensor(a, dtype=torch.float64))
        return e, t

    @staticmethod
    def assert_params_close(e_params: list, t_params: list, msg: str = "") -> None:
        for i, (pe, pt) in enumerate(zip(e_params, t_params)):
            np.testing.assert_allclose(np.asarray(pe.detach().cpu().tolist()),
                                       pt.detach().numpy(), rtol=RTOL, atol=ATOL,
                                       err_msg=f"{msg} param {i}")

    def run(self, e_cls: type, t_cls: type, kwargs: dict, steps: int = 50,
            groups: Callable | None = None, device: str | None = None) -> tuple:
        """Run ``steps`` steps of both optimizers on the problem, comparing every step.

        Both optimizers step with the same gradients: Ember's own for the first
        ``own_grad_steps`` (its autograd feeding its optimizer), then PyTorch's, copied. With
        the larger learning rates the problem is chaotic after a few dozen steps (a rounding
        difference of 1e-12 grows tenfold every two steps), so over 50 steps only identical
        gradients test the optimizer rather than the problem.
        """
        e, t = self.sides(device)
        e_params = groups(e) if groups else e.params
        t_params = groups(t) if groups else t.params
        e_opt, t_opt = e_cls(e_params, **kwargs), t_cls(t_params, **kwargs)
        for step in range(steps):
            e.backward()
            t.backward()
            if step >= self.own_grad_steps:
                for pe, pt in zip(e.params, t.params):
                    pe.grad = ember.tensor(pt.grad.numpy(), device=pe.device)
            e_opt.step()
            t_opt.step()
            self.assert_params_close(e.params, t.params, f"{e_cls.__name__}{kwargs} step {step}")
        return e, t, e_opt, t_opt

    def to_numpy_tree(self, value: Any) -> Any:
        """A state dict with every tensor (of either framework) turned into a NumPy array."""
        if isinstance(value, ember.Tensor):
            return np.asarray(value.cpu().tolist())
        if isinstance(value, self.torch.Tensor):
            return value.detach().numpy()
        if isinstance(value, dict):
            return {k: self.to_numpy_tree(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.to_numpy_tree(v) for v in value)
        return value

    def assert_state_dicts_match(self, e_sd: dict, t_sd: dict) -> None:
        """The same layout, the same group options, the same state values."""
        assert set(e_sd) == set(t_sd) == {"state", "param_groups"}
        assert list(e_sd["state"]) == list(t_sd["state"])
        for idx in t_sd["state"]:
            e_state, t_state = e_sd["state"][idx], t_sd["state"][idx]
            assert list(e_state) == list(t_state), idx
            for key, t_val in t_state.items():
                e_val = e_state[key]
                assert isinstance(e_val, ember.Tensor) == isinstance(t_val, self.torch.Tensor)
                if isinstance(t_val, self.torch.Tensor):
                    assert tuple(e_val.shape) == tuple(t_val.shape), key
                    assert str(e_val.dtype).split(".")[-1] == str(t_val.dtype).split(".")[-1]
                np.testing.assert_allclose(self.to_numpy_tree(e_val), self.to_numpy_tree(t_val),
                                           rtol=RTOL, atol=ATOL, err_msg=key)
        assert len(e_sd["param_groups"]) == len(t_sd["param_groups"])
        for e_group, t_group in zip(e_sd["param_groups"], t_sd["param_groups"]):
            assert e_group == t_group

    def torch_state_to_ember(self, t_sd: dict) -> dict:
        """Convert a PyTorch optimizer state dict into an Ember one (same layout)."""
        def conv(v: Any) -> Any:
            if isinstance(v, self.torch.Tensor):
                dtype = getattr(ember, str(v.dtype).split(".")[-1])
                return ember.tensor(v.detach().numpy(), dtype=dtype)
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            if isinstance(v, list):
                return [conv(x) for x in v]
            return v
        return conv(copy.deepcopy(t_sd))


@pytest.fixture
def harness(torch: Any) -> Harness:
    """The Ember-vs-PyTorch optimizer harness."""
    return Harness(torch)


def _copy_values(dst: Side, src: Side) -> None:
    with ember.no_grad():
        for d, s in zip(dst.params, src.params):
            d.copy_(s)


def check_optimizer(harness: Harness, name: str, kwargs: dict, steps: int = 50,
                    resume_steps: int = 5) -> None:
    """The full differential check of one optimizer configuration against PyTorch.

    The parameter trajectory step by step, ``repr``, the state dict (layout, dtypes, values),
    and resuming: an Ember optimizer loaded from Ember's state dict, and one loaded from
    PyTorch's, continue in step with a PyTorch optimizer loaded from PyTorch's (loading casts
    scalar state such as ASGD's ``eta`` to the parameters' dtype, in both frameworks).
    """
    torch = harness.torch
    e_cls, t_cls = getattr(ember.optim, name), getattr(torch.optim, name)
    e, t, e_opt, t_opt = harness.run(e_cls, t_cls, kwargs, steps)
    assert repr(e_opt) == repr(t_opt)
    harness.assert_state_dicts_match(e_opt.state_dict(), t_opt.state_dict())

    def resume(side_pair: tuple, cls: type, sd: dict) -> tuple:
        side = side_pair[0] if cls is e_cls else side_pair[1]
        src = e if cls is e_cls else t
        if cls is e_cls:
            _copy_values(side, src)
        else:
            with torch.no_grad():
                for d, s in zip(side.params, src.params):
                    d.copy_(s)
        opt = cls(side.params, **kwargs)
        opt.load_state_dict(sd)
        return side, opt

    t_sd = t_opt.state_dict()
    e_own = resume(harness.sides(), e_cls, copy.deepcopy(e_opt.state_dict()))
    e_from_t = resume(harness.sides(), e_cls, harness.torch_state_to_ember(t_sd))
    t_own = resume(harness.sides(), t_cls, copy.deepcopy(t_sd))
    pairs = [((e, e_opt), (t, t_opt)), (e_own, t_own), (e_from_t, t_own)]
    for step in range(resume_steps):
        for side, opt in [(e, e_opt), e_own, e_from_t, (t, t_opt), t_own]:
            side.backward()
            opt.step()
        for i, ((e_side, _), (t_side, _)) in enumerate(pairs):
            harness.assert_params_close(e_side.params, t_side.params,
                                        f"{name} resumed ({i}) step {step}")
    harness.assert_state_dicts_match(e_own[1].state_dict(), t_own[1].state_dict())
    harness.assert_state_dicts_match(e_from_t[1].state_dict(), t_own[1].state_dict())


def check_on_ref(harness: Harness, name: str, kwargs: dict, steps: int = 3) -> None:
    """A few steps on the reference backend (device "ref") agree with PyTorch."""
    torch = harness.torch
    harness.run(getattr(ember.optim, name), getattr(torch.optim, name), kwargs, steps,
                device="ref")


Harness.check = check_optimizer  # type: ignore[attr-defined]
Harness.check_ref = check_on_ref  # type: ignore[attr-defined]
