"""Elementwise math against PyTorch: values, dtypes, shapes, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

FLOATS = [-2.5, -1.0, -0.5, 0.0, 0.25, 1.0, 3.0, 7.5]
POS = [0.1, 0.5, 1.0, 2.0, 10.0, 100.0]
UNIT = [-0.9, -0.5, 0.0, 0.3, 0.99]
INTS = [-7, -3, -1, 0, 1, 2, 5, 9]


def _pair(values, dtype):
    t = torch.tensor(values, dtype=getattr(torch, dtype))
    e = ember.tensor(values, dtype=getattr(ember, dtype))
    return t, e


def _check(got, expected, rtol=1e-6, atol=1e-6):
    assert got.dtype.name == str(expected.dtype).split(".")[1]
    assert tuple(got.shape) == tuple(expected.shape)
    g = np.asarray(got.tolist(), dtype=complex if got.is_complex() else float)
    x = np.asarray(expected.tolist(), dtype=complex if expected.is_complex() else float)
    np.testing.assert_allclose(g, x, rtol=rtol, atol=atol, equal_nan=True)


UNARY = {
    "exp": FLOATS, "expm1": FLOATS, "log": POS, "log2": POS, "log10": POS, "log1p": POS,
    "sqrt": POS, "rsqrt": POS, "sin": FLOATS, "cos": FLOATS, "tan": UNIT, "asin": UNIT,
    "acos": UNIT, "atan": FLOATS, "sinh": FLOATS, "cosh": FLOATS, "tanh": FLOATS,
    "asinh": FLOATS, "acosh": [1.0, 1.5, 3.0], "atanh": UNIT, "sigmoid": FLOATS, "erf": FLOATS,
    "erfinv": UNIT, "floor": FLOATS, "ceil": FLOATS, "round": FLOATS + [0.5, 1.5, 2.5],
    "trunc": FLOATS, "sign": FLOATS, "abs": FLOATS, "neg": FLOATS, "reciprocal": POS,
    "square": FLOATS, "frac": FLOATS,
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_float(name, dtype):
    t, e = _pair(UNARY[name], dtype)
    _check(getattr(ember, name)(e), getattr(torch, name)(t))
    _check(getattr(e, name)(), getattr(t, name)())


@pytest.mark.parametrize("name", ["exp", "sqrt", "sin", "log1p", "sigmoid", "erf", "abs",
                                  "neg", "floor", "sign", "square"])
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_unary_int_promotes_like_torch(name, dtype):
    vals = [0, 1, 2, 5] if dtype == "uint8" else [-3, 0, 1, 4]
    t, e = _pair(vals, dtype)
    _check(getattr(ember, name)(e), getattr(torch, name)(t), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", ["exp", "sin", "sqrt", "tanh"])
def test_unary_half(name, dtype):
    t, e = _pair(POS, dtype)
    _check(getattr(ember, name)(e), getattr(torch, name)(t), rtol=1e-2, atol=1e-2)


BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "pow", "atan2", "remainder",
          "fmod", "floor_divide", "eq", "ne", "lt", "le", "gt", "ge", "logical_and",
          "logical_or", "logical_xor"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
def test_binary_same_dtype(name, dtype):
    a = [[1, -2, 3, 4], [5, 6, -7, 8]]
    b = [[2, 3, -1, 2], [1, 2, 3, 3]]
    if name == "pow" and dtype.startswith("int"):
        b = [[2, 3, 1, 2], [1, 2, 3, 0]]
    ta, ea = _pair(a, dtype)
    tb, eb = _pair(b, dtype)
    _check(getattr(ember, name)(ea, eb), getattr(torch, name)(ta, tb))


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow", "remainder",
                                  "floor_divide"])
@pytest.mark.parametrize("scalar", [2, -3, 2.5, True])
@pytest.mark.parametrize("dtype", ["float32", "int64", "int16"])
def test_binary_with_python_scalar(name, scalar, dtype):
    if name == "pow" and dtype != "float32" and isinstance(scalar, int) and scalar < 0:
        scalar = 2
    t, e = _pair([1, 2, 3, 4, -5], dtype)
    try:
        expected = getattr(torch, name)(t, scalar)
    except RuntimeError as exc:  # e.g. subtraction with a bool: same error in Ember
        with pytest.raises(RuntimeError, match=str(exc)[:40].replace("(", "\\(")):
            getattr(ember, name)(e, scalar)
        return
    _check(getattr(ember, name)(e, scalar), expected)


@pytest.mark.parametrize("expr", [
    "a + b", "a - b", "a * b", "a / b", "a // b", "a % b", "a ** 2", "2 ** a", "-a",
    "1 - a", "3 / a", "a + 1.5", "1.5 * a", "a < b", "a >= 2", "a == b", "a != 1",
    "abs(a)", "a @ b.T" if False else "a * 1",
])
def test_operators(expr):
    base = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]
    other = [[2.0, 2.0, -1.0], [3.0, 5.0, 6.0]]
    ta, ea = _pair(base, "float32")
    tb, eb = _pair(other, "float32")
    _check(eval(expr, {"a": ea, "b": eb}), eval(expr, {"a": ta, "b": tb}))


@pytest.mark.parametrize("shape_a,shape_b", [((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((), (3,)),
                                             ((5, 1, 2), (3, 1)), ((0, 3), (1, 3)),
                                             ((0,), ())])
def test_broadcasting(shape_a, shape_b):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(shape_a).astype(np.float32)
    b = rng.standard_normal(shape_b).astype(np.float32)
    expected = torch.from_numpy(a) * torch.from_numpy(b)
    _check(ember.from_numpy(a) * ember.from_numpy(b), expected)


def test_broadcast_error_message_matches_torch():
    with pytest.raises(RuntimeError) as te:
        torch.ones(2, 3) + torch.ones(4)
    with pytest.raises(RuntimeError) as ee:
        ember.ones(2, 3) + ember.ones(4)
    assert "The size of tensor a (3) must match the size of tensor b (4) at non-singleton " \
           "dimension 1" in str(ee.value)
    assert str(te.value) in str(ee.value)


def test_div_rounding_modes():
    for mode in (None, "trunc", "floor"):
        for dtype in ("float32", "int64"):
            ta, ea = _pair([7, -7, 5, -5, 0], dtype)
            tb, eb = _pair([2, 2, -3, -3, 3], dtype)
            _check(ember.div(ea, eb, rounding_mode=mode), torch.div(ta, tb, rounding_mode=mode))


def test_integer_division_by_zero_raises():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ember.tensor([1, 2]) // 0
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ember.tensor([1, 2]) % ember.tensor([1, 0])


def test_float_division_by_zero_gives_inf_nan():
    t, e = _pair([1.0, -1.0, 0.0], "float32")
    _check(e / 0, t / 0)


def test_integer_negative_power_raises():
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        ember.tensor([1, 2]) ** -1


def test_bool_negation_and_subtraction_errors():
    with pytest.raises(RuntimeError, match="Negation"):
        -ember.tensor([True])
    with pytest.raises(RuntimeError, match="Subtraction"):
        ember.tensor([True]) - ember.tensor([False])


def test_integer_overflow_wraps():
    t, e = _pair([127, -128, 100], "int8")
    _check(e + 1, t + 1)
    _check(e * 3, t * 3)


def test_nan_inf_propagation():
    vals = [math.nan, math.inf, -math.inf, 1.0]
    t, e = _pair(vals, "float32")
    other_t, other_e = _pair([1.0, 1.0, 1.0, math.nan], "float32")
    for name in ("maximum", "minimum", "add", "mul"):
        _check(getattr(ember, name)(e, other_e), getattr(torch, name)(t, other_t))
    for name in ("isnan", "isinf", "isfinite"):
        assert getattr(ember, name)(e).tolist() == getattr(torch, name)(t).tolist()


def test_clamp_forms():
    t, e = _pair([-3.0, -1.0, 0.0, 2.0, 5.0], "float32")
    _check(ember.clamp(e, min=-1), torch.clamp(t, min=-1))
    _check(ember.clamp(e, max=1), torch.clamp(t, max=1))
    _check(e.clamp(-2, 2), t.clamp(-2, 2))
    _check(ember.clip(e, ember.tensor(0.0), ember.tensor(1.0)),
           torch.clip(t, torch.tensor(0.0), torch.tensor(1.0)))
    ti, ei = _pair([-3, 0, 5], "int64")
    _check(ember.clamp(ei, min=0.5), torch.clamp(ti, min=0.5))
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        ember.clamp(e)


def test_where_lerp_addcmul_addcdiv():
    ta, ea = _pair([1.0, 2.0, 3.0], "float32")
    tb, eb = _pair([4.0, 5.0, 6.0], "float32")
    _check(ember.where(ea > 1.5, ea, eb), torch.where(ta > 1.5, ta, tb))
    _check(ember.where(ea > 1.5, ea, 0.0), torch.where(ta > 1.5, ta, 0.0))
    _check(ember.lerp(ea, eb, 0.25), torch.lerp(ta, tb, 0.25))
    _check(ember.addcmul(ea, ea, eb, value=0.5), torch.addcmul(ta, ta, tb, value=0.5))
    _check(ember.addcdiv(ea, ea, eb, value=2), torch.addcdiv(ta, ta, tb, value=2))
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean"):
        ember.where(ea, ea, eb)


def test_inplace_ops_and_views():
    t, e = _pair([[1.0, 2.0], [3.0, 4.0]], "float32")
    for te, ee in ((t, e),):
        te.add_(1).mul_(2).sub_(0.5)
        ee.add_(1).mul_(2).sub_(0.5)
    _check(e, t)
    e += 1
    t += 1
    _check(e, t)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        ember.tensor([1, 2]).add_(1.5)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        ember.ones(3).add_(ember.ones(2, 3))


def test_inplace_on_leaf_requiring_grad_raises():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.add_(1)
    with ember.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 2.0]


def test_bitwise_ops():
    ta, ea = _pair([1, 2, 12, -1], "int32")
    tb, eb = _pair([3, 6, 10, 7], "int32")
    for expr in ("a & b", "a | b", "a ^ b", "~a", "a << 1", "a >> 1"):
        _check(eval(expr, {"a": ea, "b": eb}), eval(expr, {"a": ta, "b": tb}))
    with pytest.raises(RuntimeError, match="not implemented for 'Float'"):
        ember.ones(2) & ember.ones(2)


def test_mixing_devices_raises():
    a = ember.ones(2)
    b = ember.ones(2, device="ref")
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but "
                                           "found at least two devices, cpu and ref"):
        a + b
