"""ember.autograd.functional against torch.autograd.functional."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.autograd.functional as EF

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")
TF = torch.autograd.functional

X = [[0.3, -1.2, 0.8], [1.1, 0.4, -0.6]]
V = [[1.0, -0.5, 2.0], [0.25, 1.5, -1.0]]


def f1(lib):
    return lambda x: (x.sin() * x).sum(1) * x.exp().mean()


def f2(lib):
    return lambda x, y: ((x * y).tanh() ** 2, (x - y).sum())


def _t(lib, v):
    return lib.tensor(v, dtype=lib.float64)


def _close(a, b):
    if isinstance(a, tuple | list):
        assert len(a) == len(b)
        for p, q in zip(a, b):
            _close(p, q)
        return
    np.testing.assert_allclose(np.array(a.tolist()), np.array(b.tolist()), rtol=1e-10,
                               atol=1e-12)


def test_jacobian_single_and_multiple():
    _close(EF.jacobian(f1(ember), _t(ember, X)), TF.jacobian(f1(torch), _t(torch, X)))
    args_e, args_t = (_t(ember, X), _t(ember, V)), (_t(torch, X), _t(torch, V))
    _close(EF.jacobian(f2(ember), args_e), TF.jacobian(f2(torch), args_t))


def test_hessian():
    g = lambda lib: lambda x: (x ** 3 * x.sum()).sum()  # noqa: E731
    _close(EF.hessian(g(ember), _t(ember, X)), TF.hessian(g(torch), _t(torch, X)))


def test_vjp_and_jvp():
    v = [1.0, -2.0]
    _close(EF.vjp(f1(ember), _t(ember, X), _t(ember, v)),
           TF.vjp(f1(torch), _t(torch, X), _t(torch, v)))
    _close(EF.jvp(f1(ember), _t(ember, X), _t(ember, V)),
           TF.jvp(f1(torch), _t(torch, X), _t(torch, V)))


def test_hvp_vhp():
    g = lambda lib: lambda x: (x.exp() * x).sum()  # noqa: E731
    _close(EF.hvp(g(ember), _t(ember, X), _t(ember, V)),
           TF.hvp(g(torch), _t(torch, X), _t(torch, V)))
    _close(EF.vhp(g(ember), _t(ember, X), _t(ember, V)),
           TF.vhp(g(torch), _t(torch, X), _t(torch, V)))


def test_strict_mode_and_bad_inputs():
    with pytest.raises(RuntimeError, match="independent of input 1"):
        EF.vjp(lambda a, b: a * 2, (_t(ember, X), _t(ember, X)), _t(ember, X), strict=True)
    with pytest.raises(TypeError, match="must be either a Tensor or a tuple of Tensors"):
        EF.jacobian(lambda a: a, [1.0])
    with pytest.raises(RuntimeError, match="v can only be None"):
        EF.vjp(lambda a: a * 2, _t(ember, X))


def test_create_graph_keeps_the_result_differentiable():
    x = _t(ember, X).requires_grad_()
    j = EF.jacobian(lambda a: a ** 3, x, create_graph=True)
    (gx,) = ember.autograd.grad(j.sum(), x)
    xt = _t(torch, X).requires_grad_()
    jt = TF.jacobian(lambda a: a ** 3, xt, create_graph=True)
    (gt,) = torch.autograd.grad(jt.sum(), xt)
    _close(gx, gt)
