"""NumPy's ``axis``/``keepdims`` aliases for ``dim``/``keepdim`` (NOTE [ NumPy keyword
aliases ]), on the functions and the Tensor methods, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import ember

X = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)

# (op, extra positional args): ops taking both aliases, then axis-only ops (scans, diff).
BOTH = ["sum", "nansum", "mean", "nanmean", "prod", "amax", "amin", "std", "var",
        "logsumexp", "argmax", "argmin"]
AXIS_ONLY = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "diff"]


def _np(out):
    if isinstance(out, tuple):
        return [_np(o) for o in out]
    return out.detach().cpu().numpy() if hasattr(out, "detach") else out


def _check(e_out, t_out):
    e, t = _np(e_out), _np(t_out)
    if isinstance(e, list):
        for a, b in zip(e, t):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    else:
        assert e.shape == t.shape
        np.testing.assert_allclose(e, t, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("device", ["cpu", "ref"])
@pytest.mark.parametrize("method", [False, True], ids=["function", "method"])
@pytest.mark.parametrize("op", BOTH)
def test_axis_and_keepdims(op, method, device, torch):
    x, t = ember.tensor(X, device=device), torch.tensor(X)
    for kwargs in [dict(axis=1), dict(axis=0, keepdims=True), dict(dim=1, keepdims=True)]:
        if method:
            e_out, t_out = getattr(x, op)(**kwargs), getattr(t, op)(**kwargs)
        else:
            e_out, t_out = getattr(ember, op)(x, **kwargs), getattr(torch, op)(t, **kwargs)
        _check(e_out, t_out)


@pytest.mark.parametrize("op", ["max", "min", "aminmax", "std_mean", "var_mean"])
def test_tuple_results(op, torch):
    x, t = ember.tensor(X), torch.tensor(X)
    _check(tuple(getattr(ember, op)(x, axis=1, keepdims=True)),
           tuple(getattr(torch, op)(t, axis=1, keepdims=True)))


@pytest.mark.parametrize("op", ["all", "any"])
def test_logical(op, torch):
    x, t = ember.tensor(X > 0), torch.tensor(X > 0)
    _check(getattr(x, op)(axis=0, keepdims=True), getattr(t, op)(axis=0, keepdims=True))


@pytest.mark.parametrize("op", AXIS_ONLY)
def test_scans_take_axis(op, torch):
    x, t = ember.tensor(X), torch.tensor(X)
    _check(getattr(x, op)(axis=0), getattr(t, op)(axis=0))
    _check(getattr(ember, op)(x, axis=1), getattr(torch, op)(t, axis=1))


def test_scans_refuse_keepdims():
    with pytest.raises(TypeError, match="keepdims"):
        ember.ones(2, 3).cumsum(axis=0, keepdims=True)


@pytest.mark.parametrize("call", ["x.sum(0, axis=0)", "x.sum(dim=0, axis=0)",
                                  "x.amax(dim=0, axis=0)", "x.mean(0, keepdim=True, keepdims=True)",
                                  "ember.cumsum(x, 0, axis=0)"])
def test_name_and_alias_together_is_a_type_error(call, torch):
    x = ember.ones(2, 3)  # noqa: F841 - used by eval
    with pytest.raises(TypeError):
        eval(call)
    x = torch.ones(2, 3)  # noqa: F841
    with pytest.raises(TypeError):  # PyTorch refuses it too
        eval(call.replace("ember.", "torch."))


@pytest.mark.parametrize("op", ["sum", "mean", "amax", "prod", "std", "logsumexp"])
def test_gradient_through_keepdims(op, torch):
    x = ember.tensor(X, requires_grad=True)
    t = torch.tensor(X, requires_grad=True)
    (getattr(x, op)(axis=1, keepdims=True) * ember.tensor(X)).sum().backward()
    (getattr(t, op)(axis=1, keepdims=True) * torch.tensor(X)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)
