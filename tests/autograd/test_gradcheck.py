"""gradcheck / gradgradcheck: pass on correct gradients, catch wrong ones, PyTorch's API."""

from __future__ import annotations

import pytest

import ember
from ember.autograd import GradcheckError, gradcheck, gradgradcheck


def _x(*shape):
    ember.manual_seed(0)
    return ember.randn(*shape, dtype=ember.float64, requires_grad=True)


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("fn", [
    lambda a: (a * a).sum(), lambda a: a.exp().sin(), lambda a: a @ a.t(),
    lambda a: a.logsumexp(1), lambda a: a.std(0), lambda a: ember.linalg.inv(a + 3 * ember.eye(
        3, dtype=ember.float64)), lambda a: a.max(1).values, lambda a: a[1:, :2].cumsum(0),
])
def test_gradcheck_passes_on_correct_gradients(fn, fast):
    assert gradcheck(fn, (_x(3, 3),), fast_mode=fast)


@pytest.mark.parametrize("fast", [False, True])
def test_gradcheck_catches_a_wrong_backward(fast):
    class Wrong(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g  # should be 2 * x * g

    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradcheck(Wrong.apply, (_x(2, 2),), fast_mode=fast)
    assert gradcheck(Wrong.apply, (_x(2, 2),), fast_mode=fast, raise_exception=False) is False


def test_gradgradcheck_checks_second_derivatives():
    assert gradgradcheck(lambda a: (a ** 3).sum(1), (_x(2, 3),))
    assert gradgradcheck(lambda a: ember.linalg.det(a), (_x(3, 3),), fast_mode=True)

    class FirstOnly(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x.detach() ** 2  # detached: the second derivative is lost

    with pytest.raises(GradcheckError):
        gradgradcheck(FirstOnly.apply, (_x(2, 2),))


def test_warns_for_single_precision_and_needs_a_differentiable_input():
    x = ember.randn(3, requires_grad=True)
    with pytest.warns(UserWarning, match="not of double precision"):
        gradcheck(lambda a: a * 2, (x,), eps=1e-2, atol=1e-2, rtol=1e-2)
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a * 2, (ember.randn(3, dtype=ember.float64),))


def test_inputs_are_not_modified():
    x = _x(2, 3)
    before = x.tolist()
    gradcheck(lambda a: a.tanh(), (x,))
    assert x.tolist() == before and x.grad is None


def test_runs_on_the_reference_backend():
    x = ember.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=ember.float64, device="ref",
                     requires_grad=True)
    assert gradcheck(lambda a: (a @ a).sigmoid(), (x,))
    assert gradgradcheck(lambda a: a.exp().sum(), (x,), fast_mode=True)
