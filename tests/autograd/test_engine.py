"""First autograd slice: the engine, grad_fn names, grad modes and Function, against PyTorch.

The full autograd issue (backward for every op, gradcheck, functional API) is open; these
tests cover what exists: elementwise and unary ops, where, clamp, the engine and Function.
"""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

EXPRS = ["x * y + x", "(x - y) / (y + 3)", "x ** 3 - 2 * y", "(x * y).exp() + x.sin()",
         "x.tanh() * y.sigmoid()", "ember.maximum(x, y) + ember.minimum(x, y) * 2",
         "x.abs().sqrt() + y.cos()", "ember.where(x > 0, x * y, y)", "x.clamp(-0.5, 0.5) * y",
         "1 - x / y", "2 ** x + x.reciprocal()", "ember.atan2(x, y) + x.erf()"]


def _run(lib, expr, xv, yv):
    x = lib.tensor(xv, dtype=lib.float64, requires_grad=True)
    y = lib.tensor(yv, dtype=lib.float64, requires_grad=True)
    out = eval(expr.replace("ember.", "lib."), {"lib": lib, "x": x, "y": y})
    out.sum().backward()
    return out, x.grad, y.grad


@pytest.mark.parametrize("expr", EXPRS)
def test_first_order_gradients_match_torch(expr):
    xv, yv = [[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]], [[1.1, 0.5, -2.0], [0.7, -0.9, 3.0]]
    eo, egx, egy = _run(ember, expr, xv, yv)
    to, tgx, tgy = _run(torch, expr, xv, yv)
    np.testing.assert_allclose(eo.tolist(), to.tolist(), rtol=1e-12)
    np.testing.assert_allclose(egx.tolist(), tgx.tolist(), rtol=1e-10, atol=1e-12)
    if tgy is None:  # y unused: no gradient in either framework
        assert egy is None
    else:
        np.testing.assert_allclose(egy.tolist(), tgy.tolist(), rtol=1e-10, atol=1e-12)
    assert eo.grad_fn.name() == to.grad_fn.name()


def test_broadcast_gradients_are_reduced():
    x = ember.ones(2, 3, requires_grad=True)
    b = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * b).sum().backward()
    assert b.grad.tolist() == [2.0, 2.0, 2.0]
    assert x.grad.tolist() == [[1.0, 2.0, 3.0]] * 2


def test_second_derivative_of_square():
    x = ember.tensor(3.0, requires_grad=True)
    (g,) = ember.autograd.grad(x ** 2, x, create_graph=True)
    assert g.item() == 6.0 and g.grad_fn.name() == "MulBackward0"
    (g2,) = ember.autograd.grad(g, x)
    assert g2.item() == 2.0


def test_accumulation_and_zero():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        (x * 2).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]


def test_second_backward_through_freed_graph_raises():
    x = ember.tensor([1.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    z = (x * x).sum()
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad.tolist() == [6.0]


def test_non_scalar_backward_needs_gradient():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()
    (x * 2).backward(ember.tensor([1.0, 3.0]))
    assert x.grad.tolist() == [2.0, 6.0]


def test_long_chain_has_no_recursion_limit():
    x = ember.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_leaf_and_grad_fn_and_next_functions():
    x = ember.tensor([1.0], requires_grad=True)
    y = x * 2 + 1
    assert x.is_leaf and not y.is_leaf
    assert y.grad_fn.name() == "AddBackward0"
    mul_node = y.grad_fn.next_functions[0][0]
    assert mul_node.name() == "MulBackward0"
    assert mul_node.next_functions[0][0].name() == "AccumulateGrad"
    with pytest.warns(UserWarning, match="is not a leaf Tensor"):
        assert y.grad is None


def test_retain_grad_and_hooks():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    seen = []
    x.register_hook(lambda g: seen.append(g.tolist()))
    y.register_hook(lambda g: g * 2)
    y.sum().backward()
    assert y.grad.tolist() == [2.0, 2.0]
    assert x.grad.tolist() == [6.0, 6.0]
    assert seen == [[6.0, 6.0]]


def test_grad_modes():
    x = ember.ones(2, requires_grad=True)
    with ember.no_grad():
        assert not (x * 2).requires_grad
        with ember.enable_grad():
            assert (x * 2).requires_grad
    with ember.set_grad_enabled(False):
        assert not ember.is_grad_enabled()
    assert ember.is_grad_enabled()

    @ember.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    with ember.inference_mode():
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad


def test_detach_shares_data():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 1).detach()
    assert not d.requires_grad and d.grad_fn is None


def test_inplace_modification_of_saved_tensor_is_caught():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.exp()  # saves its result
    w = z * 1
    z.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        w.sum().backward()


def test_custom_function_myrelu():
    class MyReLU(ember.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            ctx.save_for_backward(inp)
            return inp.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (inp,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[inp < 0] = 0
            return grad_input

    x = ember.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = MyReLU.apply(x)
    assert y.grad_fn.name() == "MyReLUBackward"
    (y * y).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 4.0]
