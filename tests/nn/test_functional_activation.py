"""Activations of ``ember.nn.functional`` against PyTorch: values and gradients in float64
and float32 (including the kinks at exactly 0), in-place flavours, softmax family, errors,
node names, and a few cases on the reference backend."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F


def _x(dtype=np.float64, seed=0):
    x = randn(4, 5, seed=seed, dtype=dtype) * 3
    x[0, :3] = [0.0, 1.0, -1.0]  # the kinks of relu, hardtanh, shrink, ...
    x[1, :2] = [3.0, -3.0]  # the kinks of hardsigmoid / hardswish
    return x


POINTWISE = [
    ("relu", ()), ("relu6", ()), ("leaky_relu", ()), ("leaky_relu", (0.2,)),
    ("leaky_relu", (-0.3,)), ("elu", ()), ("elu", (0.5,)), ("selu", ()), ("celu", (0.7,)),
    ("gelu", ()), ("silu", ()), ("mish", ()), ("sigmoid", ()), ("tanh", ()),
    ("hardtanh", ()), ("hardtanh", (-0.5, 2.0)), ("hardsigmoid", ()), ("hardswish", ()),
    ("softplus", ()), ("softplus", (2.0, 1.0)), ("softsign", ()), ("logsigmoid", ()),
    ("threshold", (0.1, 20.0)), ("tanhshrink", ()), ("softshrink", ()),
    ("softshrink", (1.0,)), ("hardshrink", ()), ("hardshrink", (1.0,)), ("rrelu", ()),
]
# PyTorch computes these constants in float32 even for float64 tensors (1/6 in hardsigmoid's
# backward, 1/alpha in celu), so they agree to float32 precision only.
LOOSE = {"hardsigmoid", "celu"}


@pytest.mark.parametrize("name,args", POINTWISE, ids=[f"{n}{a}" for n, a in POINTWISE])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pointwise_matches_torch(torch, name, args, dtype):
    tol = {"rtol": 1e-7, "atol": 1e-9} if name in LOOSE and dtype == np.float64 else {}
    check(torch, lambda a: getattr(F, name)(a, *args), lambda a: getattr(
        torch.nn.functional, name)(a, *args), _x(dtype), **tol)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_approximations(torch, approximate):
    check(torch, lambda a: F.gelu(a, approximate=approximate),
          lambda a: torch.nn.functional.gelu(a, approximate=approximate), _x())


def test_gelu_bad_approximate_raises(torch):
    raises_like(torch, lambda a: F.gelu(a, approximate="fast"),
                lambda a: torch.nn.functional.gelu(a, approximate="fast"), _x())


def test_softplus_large_inputs_are_linear_and_finite():
    x = ember.tensor([100.0, 1000.0, -1000.0], dtype=ember.float64)
    assert F.softplus(x).tolist() == [100.0, 1000.0, 0.0]


INPLACE = ["relu", "relu6", "elu", "selu", "celu", "leaky_relu", "hardtanh", "silu", "mish",
           "hardswish", "hardsigmoid"]


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_on_non_leaf_matches_torch(torch, name):
    tol = {"rtol": 1e-7, "atol": 1e-9} if name in LOOSE else {}

    def run(lib_f):
        def f(a):
            b = a * 1.0
            out = getattr(lib_f, name)(b, inplace=True)
            assert out is b
            return out
        return f

    check(torch, run(F), run(torch.nn.functional), _x(), **tol)


def test_threshold_inplace_and_relu_underscore(torch):
    x = _x()
    check(torch, lambda a: F.threshold_(a * 1, 0.5, -2.0),
          lambda a: torch.nn.functional.threshold_(a * 1, 0.5, -2.0), x)
    e = ember.tensor(x)
    F.relu_(e)
    np.testing.assert_array_equal(e.numpy(), np.maximum(x, 0))


def test_inplace_on_leaf_requiring_grad_raises():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        F.relu(x, inplace=True)
    with ember.no_grad():
        F.relu(x, inplace=True)


def test_prelu_matches_torch(torch):
    check(torch, F.prelu, torch.nn.functional.prelu, randn(3, 4, 5), randn(4, seed=1))
    check(torch, F.prelu, torch.nn.functional.prelu, randn(3, 4), randn(1, seed=1))


def test_prelu_channel_mismatch(torch):
    raises_like(torch, F.prelu, torch.nn.functional.prelu, randn(3, 4), randn(3))


def test_rrelu_training_is_reproducible_and_in_bounds():
    x = ember.tensor(-np.ones(1000))
    ember.manual_seed(3)
    a = F.rrelu(x, 0.1, 0.3, training=True)
    ember.manual_seed(3)
    b = F.rrelu(x, 0.1, 0.3, training=True)
    assert a.tolist() == b.tolist()
    slopes = -a.numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.03
    pos = ember.ones(5)
    assert F.rrelu(pos, training=True).tolist() == [1.0] * 5


def test_rrelu_training_gradient_is_the_slope():
    x = ember.tensor([-2.0, 3.0], requires_grad=True)
    y = F.rrelu(x, training=True)
    y.sum().backward()
    assert x.grad[1].item() == 1.0
    assert x.grad[0].item() == pytest.approx(y[0].item() / -2.0)


def test_hardtanh_min_greater_than_max(torch):
    raises_like(torch, lambda a: F.hardtanh(a, 2.0, 1.0),
                lambda a: torch.nn.functional.hardtanh(a, 2.0, 1.0), _x())


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_family_matches_torch(torch, name, dim, dtype):
    x = randn(3, 4, 5, dtype=dtype) * 4
    check(torch, lambda a: getattr(F, name)(a, dim),
          lambda a: getattr(torch.nn.functional, name)(a, dim), x)


def test_softmax_dtype_argument(torch):
    x = randn(3, 4, dtype=np.float32)
    out = check(torch, lambda a: F.log_softmax(a, 1, dtype=ember.float64),
                lambda a: torch.nn.functional.log_softmax(a, 1, dtype=torch.float64), x)
    assert out[0].dtype == ember.float64


@pytest.mark.filterwarnings("ignore:invalid value encountered")  # an all -inf row is nan
def test_softmax_is_stable_with_large_and_infinite_logits(torch):
    x = np.array([[1000.0, 0.0, -1000.0], [-np.inf, 0.0, 1.0], [-np.inf] * 3])
    check(torch, lambda a: F.softmax(a, 1), lambda a: torch.nn.functional.softmax(a, 1), x,
          grad=False)
    check(torch, lambda a: F.log_softmax(a, 1), lambda a: torch.nn.functional.log_softmax(a, 1),
          x[:2].copy(), grad=False)


@pytest.mark.parametrize("shape,expected", [((3,), 0), ((2, 3), 1), ((2, 3, 4), 0),
                                            ((2, 3, 4, 5), 1)])
def test_softmax_implicit_dim_warns_like_torch(torch, shape, expected):
    x = randn(*shape)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = F.softmax(ember.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = torch.nn.functional.softmax(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)
    np.testing.assert_allclose(out.numpy(), F.softmax(ember.tensor(x), expected).numpy())


def test_softmax_on_zero_dim_tensor(torch):
    check(torch, lambda a: F.softmax(a, 0), lambda a: torch.nn.functional.softmax(a, 0),
          np.array(2.5))


def test_softmax_bad_dim_raises(torch):
    raises_like(torch, lambda a: F.softmax(a, 2), lambda a: torch.nn.functional.softmax(a, 2),
                randn(2, 3))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_matches_torch(torch, dim):
    check(torch, lambda a: F.glu(a, dim), lambda a: torch.nn.functional.glu(a, dim),
          randn(4, 6, 2))


def test_glu_odd_dimension_raises(torch):
    raises_like(torch, lambda a: F.glu(a, 1), lambda a: torch.nn.functional.glu(a, 1),
                randn(4, 5))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1), (float("inf"), 1)])
def test_normalize_matches_torch(torch, p, dim):
    x = randn(4, 5)
    x[1] = 0.0  # a zero vector: eps guards the division and the gradient stays finite
    check(torch, lambda a: F.normalize(a, p, dim), lambda a: torch.nn.functional.normalize(
        a, p, dim), x)


def test_grad_fn_names_match_torch(torch):
    x = randn(3, 4)
    for fn, kwargs in [("relu", {}), ("leaky_relu", {}), ("elu", {}), ("gelu", {}),
                       ("silu", {}), ("softplus", {}), ("hardtanh", {}), ("softmax",
                                                                          {"dim": 1}),
                       ("log_softmax", {"dim": 1}), ("hardswish", {}), ("logsigmoid", {})]:
        e = getattr(F, fn)(ember.tensor(x, requires_grad=True), **kwargs)
        t = getattr(torch.nn.functional, fn)(torch.tensor(x, requires_grad=True), **kwargs)
        assert e.grad_fn.name() == t.grad_fn.name(), fn


def test_double_backward_through_activations(torch):
    def second(lib, f, x):
        a = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad(f(a).sum(), a, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), a)
        return gg

    x = randn(3, 4)
    for name in ["gelu", "silu", "softplus", "elu", "mish", "logsigmoid"]:
        e = second(ember, getattr(F, name), x)
        t = second(torch, getattr(torch.nn.functional, name), x)
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)
    e = second(ember, lambda a: F.softmax(a, 1) * ember.arange(4.0, dtype=ember.float64), x)
    t = second(torch, lambda a: torch.softmax(a, 1) * torch.arange(4.0, dtype=torch.float64), x)
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", ["relu", "gelu", "silu", "leaky_relu", "elu", "softplus"])
def test_reference_backend(torch, name):
    check(torch, lambda a: getattr(F, name)(a), lambda a: getattr(torch.nn.functional, name)(a),
          _x()[:2, :3].copy(), device="ref")


def test_softmax_reference_backend(torch):
    check(torch, lambda a: F.log_softmax(a, 1), lambda a: torch.nn.functional.log_softmax(a, 1),
          randn(2, 3), device="ref")


def test_gumbel_softmax_soft_and_hard():
    logits = ember.tensor(randn(5, 4), requires_grad=True)
    ember.manual_seed(0)
    soft = F.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(soft.sum(-1).detach().numpy(), np.ones(5), rtol=1e-12)
    ember.manual_seed(0)
    hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
    assert hard.detach().numpy().sum(-1).tolist() == [1.0] * 5
    np.testing.assert_array_equal(hard.detach().numpy().argmax(-1),
                                  soft.detach().numpy().argmax(-1))
    (hard * ember.arange(4.0, dtype=ember.float64)).sum().backward()
    assert logits.grad is not None and np.abs(logits.grad.numpy()).sum() > 0


def test_multi_head_attention_forward_is_exposed():
    assert callable(F.multi_head_attention_forward)
    with pytest.raises(AttributeError):
        F.no_such_function  # noqa: B018
