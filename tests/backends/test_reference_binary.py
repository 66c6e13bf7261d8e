"""The reference backend's binary primitives, comparisons, ``where`` and ``clip`` against
NumPy, over every dtype each one is defined for, with broadcasting, scalars, 0-d and empty
operands."""

from __future__ import annotations

import math
import warnings

import ml_dtypes
import numpy as np
import pytest
from test_reference_backend import (
    FLOAT_NAMES,
    INT_NAMES,
    NP_DTYPES,
    B,
    assert_same,
    np_array,
    ref,
    samples,
    to_np,
)

from ember.backend import ALL_DTYPES, BINARY_OPS, COMPARISON_OPS, by_name

INF, NAN = math.inf, math.nan

NP_BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "floor_divide": np.floor_divide, "remainder": np.remainder, "fmod": np.fmod,
    "pow": np.power, "maximum": np.maximum, "minimum": np.minimum, "atan2": np.arctan2,
    "logical_and": np.logical_and, "logical_or": np.logical_or,
    "logical_xor": np.logical_xor, "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor,
    "left_shift": np.left_shift, "right_shift": np.right_shift,
    "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
    "gt": np.greater, "ge": np.greater_equal,
}
#: ops whose float result is correctly rounded by IEEE 754 (so bit-exact against NumPy)
EXACT_FLOAT = {"add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "maximum",
               "minimum"}
DEFINED = {
    "b": {"add", "mul", "maximum", "minimum", "logical_and", "logical_or", "logical_xor",
          "bitwise_and", "bitwise_or", "bitwise_xor", *COMPARISON_OPS},
    "i": set(BINARY_OPS) - {"div", "atan2"} | set(COMPARISON_OPS),
    "f": {"add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow", "maximum",
          "minimum", "atan2", "logical_and", "logical_or", "logical_xor", *COMPARISON_OPS},
    "c": {"add", "sub", "mul", "div", "pow", "logical_and", "logical_or", "logical_xor",
          "eq", "ne"},
}


def _operands(op: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A column and a row of sample values (their outer broadcast is every pair)."""
    a, b = samples(name), samples(name)
    kind = by_name(name).kind
    if kind == "i" and op in ("floor_divide", "remainder", "fmod"):
        b = [v for v in b if v != 0]  # b == 0 never reaches a backend
    if kind == "i" and op == "pow":
        b = [0, 1, 2, 3, 5, 7]
    if kind == "i" and op in ("left_shift", "right_shift"):
        bits = np.iinfo(NP_DTYPES[name]).bits
        b = [0, 1, 3, bits - 1]
    if kind == "c" and op in ("mul", "div", "pow"):
        a = [v for v in a if math.isfinite(abs(v))]
        b = [v for v in b if math.isfinite(abs(v)) and (op == "mul" or v != 0)]
    return np_array(a, name).reshape(-1, 1), np_array(b, name).reshape(1, -1)


def _cases():
    for op in list(BINARY_OPS) + list(COMPARISON_OPS):
        for d in ALL_DTYPES:
            if op in DEFINED[d.kind]:
                yield op, d.name


@pytest.mark.parametrize("op,name", list(_cases()))
def test_binary_matches_numpy(op, name):
    a, b = _operands(op, name)
    fn = NP_BINARY[op]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "bfloat16" and op not in COMPARISON_OPS and not op.startswith("logical"):
            # the reference rule: compute in float32 (exact for bfloat16 inputs), round once
            expected = fn(a.astype(np.float32), b.astype(np.float32)).astype(ml_dtypes.bfloat16)
        elif name in ("float16", "float32") and op in ("pow", "atan2"):
            expected = fn(a.astype(np.float64), b.astype(np.float64)).astype(a.dtype)
        else:
            expected = fn(a, b)
    got = getattr(B, op)(ref(a, name), ref(b, name))
    if name == "complex64" and op in ("mul", "div", "pow"):
        np.testing.assert_allclose(to_np(got), expected, rtol=4e-7)
    elif name == "complex128" and op in ("div", "pow"):
        np.testing.assert_allclose(to_np(got), expected, rtol=1e-14)
    elif name in FLOAT_NAMES and op not in EXACT_FLOAT and op in ("pow", "atan2"):
        assert_same(got, expected, ulps=2.0)
    else:
        assert_same(got, expected)


@pytest.mark.parametrize("name", INT_NAMES + FLOAT_NAMES)
def test_python_scalar_operands(name):
    a = np_array([v for v in samples(name) if v != 0][:5], name)
    x = ref(a, name)
    with np.errstate(all="ignore"):
        assert_same(B.add(x, 3), (a + a.dtype.type(3)).astype(a.dtype))
        assert_same(B.sub(3, x), (a.dtype.type(3) - a).astype(a.dtype))
        assert_same(B.lt(x, 1), a < a.dtype.type(1))
        assert_same(B.mul(2, x), (a * a.dtype.type(2)).astype(a.dtype))


def test_float_division_edge_cases():
    f64 = by_name("float64")
    x = B.from_list([1.0, -1.0, 0.0, NAN, INF], (5,), f64)
    got = B.to_list(B.div(x, 0.0))
    assert got[:2] == [INF, -INF] and all(math.isnan(v) for v in got[2:4]) and got[4] == INF
    assert B.to_list(B.div(B.from_list(1.0, (), f64), -0.0)) == -INF
    assert B.to_list(B.floor_divide(x, 0.0))[:2] == [INF, -INF]
    assert all(math.isnan(v) for v in B.to_list(B.remainder(x, 0.0)))
    assert all(math.isnan(v) for v in B.to_list(B.fmod(x, 0.0)))
    assert B.to_list(B.pow(B.from_list([0.0, -0.0, 10.0, -10.0], (4,), f64), -1.0))[:2] == \
        [INF, -INF]
    assert B.to_list(B.pow(B.from_list([10.0, -10.0], (2,), f64), 1001.0)) == [INF, -INF]
    assert math.isnan(B.to_list(B.pow(B.from_list(-8.0, (), f64), 1 / 3)))


def test_remainder_and_fmod_signs():
    f64, i64 = by_name("float64"), by_name("int64")
    a = B.from_list([-7.0, 7.0, -7.0, 7.0], (4,), f64)
    b = B.from_list([2.0, -2.0, -2.0, 2.0], (4,), f64)
    assert B.to_list(B.remainder(a, b)) == [1.0, -1.0, -1.0, 1.0]  # sign of the divisor
    assert B.to_list(B.fmod(a, b)) == [-1.0, 1.0, -1.0, 1.0]  # sign of the dividend
    ai, bi = B.astype(a, i64), B.astype(b, i64)
    assert B.to_list(B.remainder(ai, bi)) == [1, -1, -1, 1]
    assert B.to_list(B.fmod(ai, bi)) == [-1, 1, -1, 1]
    assert B.to_list(B.floor_divide(ai, bi)) == [-4, -4, 3, 3]


def test_out_of_range_shifts_follow_pytorch():
    i8 = by_name("int8")
    x = B.from_list([1, -5, 5], (3,), i8)
    assert B.to_list(B.left_shift(x, 8)) == [0, 0, 0]
    assert B.to_list(B.right_shift(x, 9)) == [0, -1, 0]
    assert B.to_list(B.left_shift(x, 7)) == [-128, -128, -128]


def test_maximum_minimum_propagate_nan():
    f32 = by_name("float32")
    a = B.from_list([1.0, NAN, 2.0], (3,), f32)
    b = B.from_list([NAN, 0.0, 1.0], (3,), f32)
    for op in ("maximum", "minimum"):
        got = B.to_list(getattr(B, op)(a, b))
        assert math.isnan(got[0]) and math.isnan(got[1])
    assert B.to_list(B.maximum(a, b))[2] == 2.0 and B.to_list(B.minimum(a, b))[2] == 1.0


def test_comparisons_with_nan():
    a = B.from_list([NAN, 1.0], (2,), by_name("float64"))
    assert B.to_list(B.eq(a, a)) == [False, True]
    assert B.to_list(B.ne(a, a)) == [True, False]
    assert B.to_list(B.lt(a, NAN)) == [False, False]


# ---------------------------------------------------------------------------- broadcasting
@pytest.mark.parametrize("sa,sb", [((), ()), ((3,), ()), ((), (2, 3)), ((2, 1), (1, 3)),
                                    ((4, 1, 3), (2, 1)), ((0,), (1,)), ((2, 0), (2, 1)),
                                    ((0, 3), (3,)), ((1, 1), (5,))])
def test_broadcasting_shapes(sa, sb):
    rng = np.random.default_rng(1)
    a = rng.integers(-5, 5, sa).astype(np.int32)
    b = rng.integers(-5, 5, sb).astype(np.int32)
    assert_same(B.add(ref(a, "int32"), ref(b, "int32")), a + b)
    assert_same(B.ge(ref(a, "int32"), ref(b, "int32")), a >= b)


def test_broadcast_mismatch_names_the_shapes():
    a = B.full((2, 3), 1.0, by_name("float32"))
    b = B.full((4,), 1.0, by_name("float32"))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        B.add(a, b)


def test_mixed_dtypes_are_refused():
    with pytest.raises(TypeError):
        B.add(B.full((1,), 1, by_name("int32")), B.full((1,), 1, by_name("int64")))


# ---------------------------------------------------------------------------- where, clip
def test_where():
    cond = np.array([[True, False, True]])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    got = B.where(ref(cond, "bool"), ref(x, "float32"), -1.0)
    assert_same(got, np.where(cond, x, np.float32(-1)))
    got = B.where(ref(cond, "bool"), 7, ref(x, "float32"))
    assert_same(got, np.where(cond, np.float32(7), x))
    zero_d = B.where(B.full((), False, by_name("bool")), B.full((), 1, by_name("int64")), 2)
    assert B.to_list(zero_d) == 2


@pytest.mark.parametrize("name", ["int16", "float32", "float64", "bfloat16"])
def test_clip(name):
    a = np_array([v for v in samples(name)], name)
    lo, hi = np_array([-1], name)[0], np_array([2], name)[0]
    x = ref(a, name)
    expected = np.minimum(np.maximum(a, lo), hi)
    assert_same(B.clip(x, -1, 2), expected)
    assert_same(B.clip(x, None, 2), np.minimum(a, hi))
    assert_same(B.clip(x, -1, None), np.maximum(a, lo))
    bounds = np_array([0, 1, 5], name)[:, None]
    assert_same(B.clip(x, ref(bounds, name), None), np.maximum(a, bounds))
