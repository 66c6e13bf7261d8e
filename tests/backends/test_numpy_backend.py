"""The NumPy backend against plain NumPy and Python: creation, casting, elementwise ops,
reductions, sorting, linear algebra and the fused kernels."""

from __future__ import annotations

import math
import warnings

import ml_dtypes
import numpy as np
import pytest

import ember.backend as B
from ember.backend import BINARY_OPS, COMPARISON_OPS, REDUCTION_OPS, UNARY_OPS, device
from ember_numpy._backend import NumpyBackend

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

BF16 = np.dtype(ml_dtypes.bfloat16)
FLOATS = [B.float16, B.bfloat16, B.float32, B.float64]
INTS = [B.uint8, B.int8, B.int16, B.int32, B.int64]


@pytest.fixture(scope="module")
def be():
    return NumpyBackend(device("cpu"))


def npdt(dt):
    return BF16 if dt.name == "bfloat16" else np.dtype(dt.name)


def arr(values, dt):
    return np.asarray(values, dtype=np.float64).astype(npdt(dt)) if dt.kind == "f" \
        else np.asarray(values).astype(npdt(dt))


def assert_same(got, want):
    assert type(got) is np.ndarray, type(got)
    want = np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if got.dtype.kind in "fcV":
        np.testing.assert_array_equal(got.astype(np.complex128 if got.dtype.kind == "c"
                                                 else np.float64),
                                      want.astype(np.complex128 if got.dtype.kind == "c"
                                                  else np.float64))
    else:
        np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------------- metadata
def test_class_attributes(be):
    assert be.name == "numpy" and be.device_type == "cpu"
    assert set(be.dtypes) == set(B.ALL_DTYPES)
    assert be.capabilities == {"as_strided", "numpy", "dlpack", "einsum", "softmax",
                               "log_softmax", "logsumexp", "binary_into", "unary_into",
                               "view_as_real", "view_as_complex"}
    assert NumpyBackend.is_available() and NumpyBackend.unavailable_reason() is None
    assert be.optional("einsum") is not None
    assert be.optional("no_such_kernel") is None


def test_registered_through_entry_point():
    spec = B.registry.spec("numpy")
    assert spec.device_type == "cpu"
    assert spec.backend_class() is NumpyBackend


def test_every_primitive_is_implemented(be):
    for name in [*UNARY_OPS, *BINARY_OPS, *COMPARISON_OPS, *REDUCTION_OPS]:
        assert getattr(type(be), name) is not getattr(B.Backend, name), name


# ---------------------------------------------------------------------------- creation
@pytest.mark.parametrize("dt", B.ALL_DTYPES, ids=str)
def test_full_and_to_list(be, dt):
    x = be.full((2, 3), 1, dt)
    assert x.dtype == npdt(dt) and x.shape == (2, 3) and x.flags.c_contiguous
    v = be.to_list(x)
    assert v == [[1] * 3] * 2 and type(v[0][0]) is {"b": bool, "i": int, "f": float,
                                                      "c": complex}[dt.kind]
    z = be.full((), 0, dt)
    assert type(z) is np.ndarray and z.shape == ()
    assert be.full((0, 4), 7, dt).shape == (0, 4)


def test_full_wraps_integers(be):
    assert be.to_list(be.full((1,), 300, B.int8)) == [44]
    assert be.to_list(be.full((1,), -1, B.uint8)) == [255]
    assert be.to_list(be.full((1,), 2.9, B.int32)) == [2]
    assert be.to_list(be.full((1,), -2.9, B.int32)) == [-2]
    assert be.to_list(be.full((1,), 0.5, B.bool_)) == [True]


def test_arange(be):
    assert be.to_list(be.arange(2, 3, 4, B.int64)) == [2, 5, 8, 11]
    assert be.to_list(be.arange(0, -1, 3, B.int8)) == [0, -1, -2]
    assert be.to_list(be.arange(0.5, 0.1, 3, B.float64)) == [0.5 + i * 0.1 for i in range(3)]
    f32 = be.arange(0.0, 0.1, 5, B.float32)
    assert f32.dtype == np.float32
    np.testing.assert_array_equal(f32, (np.arange(5) * 0.1).astype(np.float32))
    assert be.arange(0, 1, 0, B.float32).shape == (0,)


@pytest.mark.parametrize("dt", B.ALL_DTYPES, ids=str)
def test_from_list_round_trip(be, dt):
    data = [[0, 1], [1, 0]] if dt.kind == "b" else [[1, 2], [3, 4]]
    x = be.from_list(data, (2, 2), dt)
    assert x.dtype == npdt(dt)
    assert be.to_list(x) == [[bool(v) if dt.kind == "b" else v for v in r] for r in data]
    assert be.to_list(be.from_list(3, (), dt)) == (True if dt.kind == "b" else 3)
    assert be.from_list([], (0,), dt).shape == (0,)


def test_from_list_pytorch_casting(be):
    assert be.to_list(be.from_list([300, -129], (2,), B.int8)) == [44, 127]
    assert be.to_list(be.from_list([1.7, -1.7], (2,), B.int64)) == [1, -1]
    assert be.to_list(be.from_list([1 + 2j], (1,), B.float32)) == [1.0]
    assert be.to_list(be.from_list([0.0, 0.1, float("nan")], (3,), B.bool_)) == [False, True, True]
    x = be.from_list([0.1], (1,), B.float16)
    assert x.dtype == np.float16 and x[0] == np.float16(0.1)
    assert be.to_list(be.from_list([[1, 2], [3, 4]], (2, 2), B.bfloat16)) == [[1, 2], [3, 4]]


def test_from_numpy_shares_memory(be):
    a = np.arange(6.0).reshape(2, 3)
    x = be.from_numpy(a)
    assert be.shares_memory(x, a)
    be.copy_into(be.getitem(x, (0, 1)), 9.0)
    assert a[0, 1] == 9.0
    assert be.to_numpy(x) is x


def test_dlpack(be):
    a = np.arange(4.0)
    x = be.from_dlpack(a)
    x[0] = 5
    assert a[0] == 5


# ---------------------------------------------------------------------------- casting
def test_astype(be):
    f = np.array([1.7, -1.7, 0.0, float("nan")])
    assert be.to_list(be.astype(f[:3], B.int32)) == [1, -1, 0]
    assert be.to_list(be.astype(f, B.bool_)) == [True, True, False, True]
    assert be.to_list(be.astype(np.array([300, -1]), B.uint8)) == [44, 255]
    z = np.array([1 + 2j, 0j])
    assert be.to_list(be.astype(z, B.float64)) == [1.0, 0.0]
    assert be.to_list(be.astype(z, B.bool_)) == [True, False]
    h = be.astype(np.array([1 / 3]), B.bfloat16)
    assert h.dtype == BF16 and float(h[0]) == float(np.float32(1 / 3).astype(BF16))
    src = np.arange(3)
    out = be.astype(src, B.int64)
    assert not np.shares_memory(out, src)


def test_copy_is_contiguous(be):
    a = np.arange(6.0).reshape(2, 3).T
    c = be.copy(a)
    assert c.flags.c_contiguous and not np.shares_memory(c, a)
    np.testing.assert_array_equal(c, a)
    assert be.strides(c) == (2, 1)


# ---------------------------------------------------------------------------- elementwise
_NP_UNARY = {
    "neg": np.negative, "abs": np.abs, "exp": np.exp, "expm1": np.expm1, "log": np.log,
    "log1p": np.log1p, "log2": np.log2, "log10": np.log10, "sqrt": np.sqrt, "sin": np.sin,
    "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh, "floor": np.floor, "ceil": np.ceil,
    "round": np.round, "trunc": np.trunc, "sign": lambda a: np.where(np.isnan(a), 0, np.sign(a)).astype(a.dtype), "isnan": np.isnan,
    "isinf": np.isinf, "isfinite": np.isfinite, "signbit": np.signbit,
    "logical_not": np.logical_not,
}
_FLOAT_VALUES = [-2.5, -1.5, -0.5, -0.0, 0.0, 0.3, 0.5, 0.99, 1.5, 2.5, 100.0,
                 float("inf"), float("-inf"), float("nan")]


@pytest.mark.parametrize("dt", FLOATS, ids=str)
@pytest.mark.parametrize("op", sorted(_NP_UNARY))
def test_unary_float(be, op, dt):
    x = arr(_FLOAT_VALUES, dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The contract: halves are computed in float32 and rounded once.
        ref = _NP_UNARY[op](x.astype(np.float32) if dt.itemsize == 2 else x)
        if ref.dtype != np.bool_:
            ref = ref.astype(npdt(dt))
        got = be.unary(op, x)
    assert_same(got, ref)
    assert type(be.unary(op, x[0, ...])) is np.ndarray  # 0-d stays an array


@pytest.mark.parametrize("dt", INTS + [B.bool_], ids=str)
def test_unary_integer(be, dt):
    vals = [0, 1] if dt.kind == "b" else ([0, 1, 5, 255] if dt.name == "uint8"
                                          else [0, 1, -1, 7, -128])
    x = arr(vals, dt)
    for op in ("floor", "ceil", "round", "trunc", "conj", "real"):
        got = be.unary(op, x)
        assert_same(got, x)
        assert not np.shares_memory(got, x)
    assert_same(be.sign(x), x if dt.kind == "b" else
                np.where(np.isnan(x), 0, np.sign(x)).astype(x.dtype))
    assert_same(be.isnan(x), np.zeros(len(vals), bool))
    assert_same(be.isfinite(x), np.ones(len(vals), bool))
    assert_same(be.logical_not(x), x == 0)
    assert_same(be.bitwise_not(x), np.invert(x))
    if dt.kind == "i":
        assert_same(be.signbit(x), x < 0)
        assert_same(be.neg(x), np.negative(x))
        assert_same(be.abs(x), np.abs(x))


def test_integer_wraparound(be):
    i8 = np.array([-128, 127], np.int8)
    assert be.to_list(be.neg(i8)) == [-128, -127]
    assert be.to_list(be.abs(i8)) == [-128, 127]
    assert be.to_list(be.add(i8, np.array([-1, 1], np.int8))) == [127, -128]
    assert be.to_list(be.mul(np.array([100], np.int8), 3)) == [44]
    assert be.to_list(be.add(np.array([1], np.uint8), -2)) == [255]
    # Python ints out of the dtype's range wrap instead of raising OverflowError.
    assert be.to_list(be.add(np.array([100], np.int8), 300)) == [-112]
    assert be.to_list(be.sub(1000, np.array([1], np.uint8))) == [231]
    assert be.to_list(be.mul(np.array([2], np.int64), 2**64 + 3)) == [6]
    assert be.to_list(be.pow(np.array([2], np.int32), 40)) == [0]
    assert be.to_list(be.where(np.array([True, False]), np.array([1, 2], np.int8), 300)) == [1, 44]
    # Comparisons too give the scalar the array's dtype first, as PyTorch does.
    assert be.to_list(be.lt(np.array([100], np.int8), 300)) == [False]
    assert be.to_list(be.eq(np.array([44], np.int8), 300)) == [True]
    assert be.to_list(be.gt(-1, np.array([254], np.uint8))) == [True]


def test_complex_unary(be):
    z = np.array([3 + 4j, -1j], np.complex64)
    assert_same(be.abs(z), np.array([5, 1], np.complex64))
    assert_same(be.conj(z), np.conj(z))
    assert_same(be.real(z), np.array([3, 0], np.float32))
    assert_same(be.imag(z), np.array([4, -1], np.float32))
    assert_same(be.exp(z), np.exp(z))
    r = be.real(z)
    r[0] = 7
    assert z[0] == 3 + 4j  # a copy, not a view


_NP_BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "floor_divide": np.floor_divide, "remainder": np.remainder, "fmod": np.fmod,
    "pow": np.power, "maximum": np.maximum, "minimum": np.minimum, "atan2": np.arctan2,
    "logical_and": np.logical_and, "logical_or": np.logical_or,
    "logical_xor": np.logical_xor, "eq": np.equal, "ne": np.not_equal, "lt": np.less,
    "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
}


@pytest.mark.parametrize("dt", FLOATS, ids=str)
@pytest.mark.parametrize("op", sorted(_NP_BINARY))
def test_binary_float_broadcast(be, op, dt):
    a = arr([[-2.5, 0.0, 1.5, float("nan")], [3.0, -0.5, float("inf"), 2.0]], dt)
    b = arr([[1.5], [-2.0]], dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = _NP_BINARY[op]
        up = (lambda v: v.astype(np.float32)) if dt.itemsize == 2 else (lambda v: v)
        ref = f(up(a), up(b))
        ref = ref if ref.dtype == np.bool_ else ref.astype(npdt(dt))
        assert_same(be.binary(op, a, b), ref)
        # A Python scalar takes the array's dtype, on either side.
        ref_s = f(up(a), up(arr(2.5, dt)))
        ref_s = ref_s if ref_s.dtype == np.bool_ else ref_s.astype(npdt(dt))
        assert_same(be.binary(op, a, 2.5), ref_s)
        ref_r = f(up(arr(2.5, dt)), up(a))
        ref_r = ref_r if ref_r.dtype == np.bool_ else ref_r.astype(npdt(dt))
        assert_same(be.binary(op, 2.5, a), ref_r)


def test_binary_0d_and_empty(be):
    z = np.zeros((), np.float32)
    r = be.add(z, z)
    assert type(r) is np.ndarray and r.shape == () and r.dtype == np.float32
    assert type(be.lt(z, 1.0)) is np.ndarray
    assert be.mul(np.zeros((0, 3), np.float32), np.ones(3, np.float32)).shape == (0, 3)
    assert be.add(np.ones((2, 1, 3)), np.ones((4, 1))).shape == (2, 4, 3)
    with pytest.raises(Exception):
        be.add(np.ones(3), np.ones(4))


def test_float32_scalar_keeps_dtype(be):
    x = np.array([1.0], np.float32)
    assert be.mul(x, 2.5).dtype == np.float32
    assert be.add(np.array([1], np.int16), 2).dtype == np.int16
    assert be.add(np.array([True]), True).dtype == np.bool_


def test_integer_division_semantics(be):
    a = np.array([7, -7, 7, -7], np.int32)
    b = np.array([2, 2, -2, -2], np.int32)
    assert be.to_list(be.floor_divide(a, b)) == [3, -4, -4, 3]
    assert be.to_list(be.remainder(a, b)) == [1, 1, -1, -1]
    assert be.to_list(be.fmod(a, b)) == [1, -1, 1, -1]
    f = a.astype(np.float64)
    assert be.to_list(be.fmod(f, 2.0)) == [math.fmod(v, 2.0) for v in f.tolist()]
    assert be.to_list(be.remainder(f, 2.0)) == [v % 2.0 for v in f.tolist()]


def test_bool_arithmetic(be):
    t = np.array([True, True, False, False])
    f = np.array([True, False, True, False])
    assert be.to_list(be.add(t, f)) == [True, True, True, False]
    assert be.to_list(be.mul(t, f)) == [True, False, False, False]
    assert be.to_list(be.maximum(t, f)) == [True, True, True, False]
    assert be.to_list(be.bitwise_xor(t, f)) == [False, True, True, False]
    assert be.to_list(be.lt(t, f)) == [False, False, True, False]


def test_bitwise_and_shifts(be):
    a = np.array([1, -8, 127], np.int8)
    assert_same(be.bitwise_and(a, 6), np.array([0, 0, 6], np.int8))
    assert_same(be.left_shift(a, np.array([1, 1, 1], np.int8)), np.array([2, -16, -2], np.int8))
    assert_same(be.right_shift(a, np.array([1, 1, 9], np.int8)), np.array([0, -4, 0], np.int8))


def test_nan_propagation(be):
    a = np.array([1.0, float("nan"), 3.0])
    b = np.array([float("nan"), 2.0, 1.0])
    assert np.isnan(be.maximum(a, b)[:2]).all() and be.maximum(a, b)[2] == 3
    assert np.isnan(be.minimum(a, b)[:2]).all()
    assert be.to_list(be.eq(a, a)) == [True, False, True]
    assert be.to_list(be.ne(a, a)) == [False, True, False]
    c = be.clip(a, 1.5, 2.5)
    assert c[0] == 1.5 and np.isnan(c[1]) and c[2] == 2.5
    assert be.to_list(be.clip(np.array([1, 5, 9]), None, 6)) == [1, 5, 6]


def test_division_by_zero_is_silent(be):
    from ember_numpy._backend import silence_fp_warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        silence_fp_warnings()  # what importing the backend does, outside pytest's capture
        r = be.div(np.array([1.0, -1.0, 0.0]), 0.0)
        be.log(np.array([-1.0, 0.0]))
        be.sqrt(np.array([-1.0], np.float32))
        be.sum(np.array([1e308, 1e308]), (0,), False)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert r[0] == np.inf and r[1] == -np.inf and np.isnan(r[2])


def test_float16_rounds_once_per_primitive(be):
    a = np.array([2049.0], np.float16)  # rounds to 2048
    b = np.float16(1.0)
    assert be.add(a, np.array([b])).dtype == np.float16
    x = arr([0.1, 0.2, 0.3], B.bfloat16)
    want = (x.astype(np.float32) * x.astype(np.float32)).astype(BF16)
    assert_same(be.mul(x, x), want)
    assert_same(be.exp(x), np.exp(x.astype(np.float32)).astype(BF16))


# ---------------------------------------------------------------------------- reductions
@pytest.mark.parametrize("dt", [B.int32, B.int64, B.float32, B.float64, B.complex64], ids=str)
@pytest.mark.parametrize("axes", [(0,), (1,), (0, 1), (0, 2), ()])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(be, dt, axes, keepdims):
    x = arr(np.arange(1, 25).reshape(2, 3, 4) % 7, dt)
    for op, fn in (("sum", np.sum), ("prod", np.prod), ("any", np.any), ("all", np.all)):
        got = be.reduce(op, x, axes, keepdims)
        want = fn(x, axis=axes, keepdims=keepdims)
        if op in ("sum", "prod"):
            want = np.asarray(want).astype(x.dtype)
        elif not axes:
            want = x != 0
        assert_same(got, want)
    if dt.kind != "c":
        for op, fn in (("max", np.max), ("min", np.min)):
            want = fn(x, axis=axes, keepdims=keepdims) if axes else x
            assert_same(be.reduce(op, x, axes, keepdims), want)


def test_reductions_wrap_and_halves(be):
    assert be.to_list(be.sum(np.array([100, 100], np.int8), (0,), False)) == -56
    h = np.full(4096, 1.0, np.float16)
    # float16 alone would stall at 2048; the contract accumulates in float32.
    assert be.to_list(be.sum(h, (0,), False)) == 4096.0
    assert be.sum(h, (0,), False).dtype == np.float16
    b = np.full(1000, 0.01, np.float32).astype(BF16)
    got = be.sum(b, (0,), True)
    assert got.dtype == BF16 and got.shape == (1,)
    assert abs(float(got[0]) - float(b.astype(np.float32).sum())) < 0.05
    assert be.max(np.array([1.0, np.nan, 3.0]), (0,), False).item() != 3.0
    assert be.to_list(be.max(np.array([False, True]), (0,), False)) is True
    assert be.to_list(be.min(np.array([False, True]), (0,), False)) is False


def test_reduction_of_empty_and_0d(be):
    e = np.zeros((0, 3), np.float32)
    assert_same(be.sum(e, (0,), False), np.zeros(3, np.float32))
    assert_same(be.prod(e, (0,), False), np.ones(3, np.float32))
    assert_same(be.any(e, (0, 1), False), np.array(False))
    assert_same(be.all(e, (0, 1), False), np.array(True))
    s = np.array(3.0)
    assert_same(be.sum(s, (), False), s)


def test_argmax_argmin(be):
    x = np.array([[1.0, 5.0, 5.0, np.nan], [2.0, np.nan, np.nan, 0.0], [3.0, 3.0, 1.0, 1.0]])
    assert be.to_list(be.argmax(x, 1, False)) == [3, 1, 0]
    assert be.to_list(be.argmin(x, 1, False)) == [3, 1, 2]
    assert be.to_list(be.argmax(x[2], None, False)) == 0
    assert be.argmax(x, None, True).shape == (1, 1)
    assert be.to_list(be.argmax(x, None, False)) == 3
    assert be.argmax(x, 0, True).shape == (1, 4)
    h = x.astype(BF16)
    assert be.to_list(be.argmax(h, 1, False)) == [3, 1, 0]
    assert be.argmax(np.array([False, True]), 0, False).dtype == np.int64


def test_cumsum_cumprod(be):
    x = np.arange(1, 7, dtype=np.int8).reshape(2, 3)
    assert_same(be.cumsum(x, 1), np.cumsum(x, 1, dtype=np.int8))
    assert_same(be.cumprod(x, 0), np.cumprod(x, 0, dtype=np.int8))
    assert be.to_list(be.cumprod(np.array([100, 2, 2], np.int8), 0)) == [100, -56, -112]
    h = np.full(3000, 1.0, np.float16)
    assert be.to_list(be.cumsum(h, 0))[-1] == 3000.0
    assert be.cumsum(np.zeros((0, 2)), 0).shape == (0, 2)


@pytest.mark.parametrize("dt", [B.float32, B.float16, B.bfloat16, B.int16, B.bool_], ids=str)
@pytest.mark.parametrize("descending", [False, True])
def test_sort_stable(be, dt, descending):
    rng = np.random.default_rng(0)
    vals = rng.integers(0, 2 if dt.kind == "b" else 4, size=(3, 17))
    x = arr(vals, dt)
    v, i = be.sort(x, 1, descending, True)
    key = -vals.astype(np.int64) if descending else vals
    want = np.argsort(key, axis=1, kind="stable")
    assert_same(i, want.astype(np.int64))
    assert_same(v, np.take_along_axis(x, want, 1))


def test_sort_nan_is_largest(be):
    x = np.array([2.0, np.nan, -np.inf, 1.0, np.nan, np.inf])
    v, i = be.sort(x, 0, False, True)
    assert be.to_list(i) == [2, 3, 0, 5, 1, 4]
    v, i = be.sort(x, 0, True, True)
    assert be.to_list(i) == [1, 4, 5, 0, 3, 2]
    v, i = be.sort(np.zeros((2, 0)), 1, True, True)
    assert v.shape == (2, 0) and i.dtype == np.int64


# ---------------------------------------------------------------------------- linalg
@pytest.mark.parametrize("dt", [B.float32, B.float64, B.float16, B.bfloat16, B.int64], ids=str)
def test_matmul(be, dt):
    a = arr(np.arange(24).reshape(2, 3, 4) % 5, dt)
    b = arr(np.arange(8).reshape(4, 2) % 3, dt)
    up = (lambda v: v.astype(np.float32)) if dt.itemsize == 2 else (lambda v: v)
    assert_same(be.matmul(a, b), np.matmul(up(a), up(b)).astype(npdt(dt)))
    v = arr([1, 2, 3, 4], dt)
    assert_same(be.matmul(v, v), np.asarray(np.matmul(up(v), up(v))).astype(npdt(dt)))
    assert be.matmul(a, v).shape == (2, 3)


def test_linalg(be):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    b = rng.standard_normal((3, 2))
    np.testing.assert_allclose(be.inv(a), np.linalg.inv(a))
    np.testing.assert_allclose(be.det(a), np.linalg.det(a))
    assert be.det(a[0]).shape == () and type(be.det(a[0])) is np.ndarray
    np.testing.assert_allclose(be.solve(a, b), np.linalg.solve(a, np.broadcast_to(b, (2, 3, 2))))
    m = rng.standard_normal((2, 4, 3))
    s = be.svdvals(m)
    np.testing.assert_allclose(s, np.linalg.svd(m, compute_uv=False))
    assert (np.diff(s, axis=-1) <= 0).all()
    assert be.inv(a.astype(np.float32)).dtype == np.float32
    assert be.inv(a.astype(np.float16)).dtype == np.float16
    with pytest.raises(Exception):
        be.inv(np.zeros((2, 2)))


# ---------------------------------------------------------------------------- fused kernels
def test_einsum_softmax_logsumexp(be):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_allclose(be.einsum("ij,jk->ik", a, b), a @ b, rtol=1e-5, atol=1e-6)
    assert type(be.einsum("ij,ij->", a, a)) is np.ndarray
    s = be.softmax(a, 1)
    np.testing.assert_allclose(s, np.exp(a) / np.exp(a).sum(1, keepdims=True), rtol=1e-6)
    ls = be.log_softmax(a, 0)
    np.testing.assert_allclose(ls, a - np.log(np.exp(a).sum(0, keepdims=True)), rtol=1e-5)
    assert s.dtype == np.float32 and ls.dtype == np.float32
    lse = be.logsumexp(a, (1,), False)
    np.testing.assert_allclose(lse, np.log(np.exp(a).sum(1)), rtol=1e-6)
    assert be.logsumexp(a, (0, 1), True).shape == (1, 1)
    big = np.array([1000.0, 1000.0])
    assert be.to_list(be.logsumexp(big, (0,), False)) == pytest.approx(1000 + math.log(2))
    ninf = np.array([-np.inf, -np.inf])
    assert be.to_list(be.logsumexp(ninf, (0,), False)) == -math.inf
    assert be.to_list(be.logsumexp(np.zeros((0,)), (0,), False)) == -math.inf
    h = be.softmax(a.astype(np.float16), 1)
    assert h.dtype == np.float16
