"""The reference backend's elementwise primitives, creation and casting against NumPy.

NumPy (and ml_dtypes for bfloat16) is the oracle here; the reference itself never imports
it (see test_reference_stdlib.py). Arithmetic that IEEE 754 rounds correctly (+, -, *, /,
sqrt) must agree bit for bit; transcendental functions agree to a few ulps, because NumPy's
float32 kernels compute in float32 while the reference computes in float64 and rounds once.
"""

from __future__ import annotations

import math
import struct
import warnings

import ml_dtypes
import numpy as np
import pytest

from ember.backend import (
    ALL_DTYPES,
    UNARY_OPS,
    by_name,
    device,
    registry,
)

B = registry.backend(device("ref"))

NP_DTYPES = {
    "bool": np.bool_, "uint8": np.uint8, "int8": np.int8, "int16": np.int16,
    "int32": np.int32, "int64": np.int64, "float16": np.float16,
    "bfloat16": ml_dtypes.bfloat16, "float32": np.float32, "float64": np.float64,
    "complex64": np.complex64, "complex128": np.complex128,
}
FLOAT_NAMES = ["float16", "bfloat16", "float32", "float64"]
INT_NAMES = ["uint8", "int8", "int16", "int32", "int64"]
COMPLEX_NAMES = ["complex64", "complex128"]
INF, NAN = math.inf, math.nan

SAMPLES = {
    "bool": [True, False, True, False],
    "uint8": [0, 1, 3, 7, 100, 200, 255],
    "int8": [-128, -100, -7, -1, 0, 1, 3, 100, 127],
    "int16": [-32768, -300, -7, -1, 0, 1, 3, 1000, 32767],
    "int32": [-2**31, -70000, -7, -1, 0, 1, 3, 123456, 2**31 - 1],
    "int64": [-2**63, -2**40, -7, -1, 0, 1, 3, 2**40 + 3, 2**63 - 1],
    "float": [-INF, -300.0, -2.5, -1.0, -0.75, -0.0, 0.0, 0.1, 0.5, 1.0, 1.5, 2.5, 7.0, 100.0,
              INF, NAN],
    "complex": [0j, 1 + 0j, -2.5 + 1j, 0.5 - 0.25j, 3j, -1 - 1j, complex(INF, 0),
                complex(NAN, 1)],
}


def samples(name: str) -> list:
    if name in FLOAT_NAMES:
        return SAMPLES["float"]
    if name in COMPLEX_NAMES:
        return SAMPLES["complex"]
    return SAMPLES[name]


def ref(data, name: str):
    """A reference array of dtype ``name`` from a NumPy array or nested lists."""
    arr = np.asarray(data)
    if arr.dtype == ml_dtypes.bfloat16:
        arr = arr.astype(np.float32)
    return B.from_list(arr.tolist(), arr.shape, by_name(name))


def to_np(x) -> np.ndarray:
    """A reference array as a NumPy array of the same dtype (exact for every dtype)."""
    dt = NP_DTYPES[x.storage.dtype.name]
    if dt is ml_dtypes.bfloat16:
        return np.asarray(B.to_list(x), dtype=np.float32).astype(dt).reshape(B.shape(x))
    return np.asarray(B.to_list(x), dtype=dt).reshape(B.shape(x))


def np_array(values, name: str) -> np.ndarray:
    dt = NP_DTYPES[name]
    if dt is ml_dtypes.bfloat16:
        return np.asarray(values, dtype=np.float32).astype(dt)
    return np.asarray(values, dtype=dt)


def assert_same(got, expected, *, ulps: float = 0.0) -> None:
    """Equal shape, dtype and values (nan where nan; within ``ulps`` units in the last
    place of the expected dtype for floating values)."""
    got_np = to_np(got) if not isinstance(got, np.ndarray) else got
    expected = np.asarray(expected)
    assert got_np.shape == expected.shape
    assert got_np.dtype == expected.dtype, (got_np.dtype, expected.dtype)
    if got_np.dtype.kind in "fcV" or got_np.dtype == ml_dtypes.bfloat16:
        is_complex = got_np.dtype.kind == "c"
        g = got_np.astype(np.complex128 if is_complex else np.float64)
        e = expected.astype(np.complex128 if is_complex else np.float64)
        if ulps == 0.0:
            np.testing.assert_array_equal(g, e)
        else:
            eps = float(ml_dtypes.finfo(expected.dtype).eps)
            np.testing.assert_allclose(g, e, rtol=ulps * eps, atol=ulps * eps * 1e-3)
    else:
        np.testing.assert_array_equal(got_np, expected)


# ---------------------------------------------------------------------------- the class
def test_backend_declares_everything():
    assert B.name == "reference" and B.device_type == "ref"
    assert set(B.dtypes) == set(ALL_DTYPES)
    assert B.capabilities == frozenset({"as_strided", "view_as_real", "view_as_complex"})
    assert B.optional("as_strided") is not None


def test_every_primitive_is_implemented():
    from ember.backend import Backend

    for name, member in vars(Backend).items():
        if not callable(member) or name.startswith("_"):
            continue
        mine = getattr(type(B), name)
        if mine is member and name not in ("unary", "binary", "reduce", "optional",
                                           "random_bits", "synchronize", "is_available",
                                           "unavailable_reason", "device_count"):
            pytest.fail(f"{name} is not implemented")


# ---------------------------------------------------------------------------- creation
@pytest.mark.parametrize("name", [d.name for d in ALL_DTYPES])
def test_full_and_roundtrip(name):
    x = B.full((2, 3), 1, by_name(name))
    assert B.shape(x) == (2, 3) and B.strides(x) == (3, 1) and B.storage_offset(x) == 0
    assert_same(x, np.ones((2, 3), NP_DTYPES[name]))
    vals = samples(name)
    assert_same(ref(np_array(vals, name), name), np_array(vals, name))


def test_to_list_types_and_zero_d():
    assert B.to_list(B.from_list(3, (), by_name("int64"))) == 3
    assert B.to_list(B.from_list(True, (), by_name("bool"))) is True
    assert B.to_list(B.from_list([[1.5], [2]], (2, 1), by_name("float64"))) == [[1.5], [2.0]]
    assert isinstance(B.to_list(B.full((), 1, by_name("complex64"))), complex)
    assert B.to_list(B.full((0, 3), 1, by_name("float32"))) == []
    assert B.to_list(B.full((2, 0), 1, by_name("float32"))) == [[], []]


def test_arange():
    assert B.to_list(B.arange(2, 3, 4, by_name("int64"))) == [2, 5, 8, 11]
    assert_same(B.arange(0.0, 0.1, 5, by_name("float32")),
                (np.arange(5) * 0.1).astype(np.float32))
    assert B.to_list(B.arange(250, 3, 3, by_name("uint8"))) == [250, 253, 0]


def test_random_bits_is_philox():
    from ember.backend import philox

    bits = B.random_bits((12, 34), 5, 7)
    assert B.to_list(bits) == philox.philox_words((12, 34), 5, 7)
    assert bits.storage.dtype.name == "int64"


# ---------------------------------------------------------------------------- casting
@pytest.mark.parametrize("src", [d.name for d in ALL_DTYPES])
@pytest.mark.parametrize("dst", [d.name for d in ALL_DTYPES])
def test_astype_matches_numpy(src, dst):
    vals = np_array(samples(src), src)
    if src in FLOAT_NAMES + COMPLEX_NAMES and dst in INT_NAMES:
        # out-of-range and non-finite float -> int casts are unspecified (as in PyTorch)
        keep = [v for v in samples(src) if math.isfinite(abs(v)) and -100 < complex(v).real
                < 100 and (dst != "uint8" or complex(v).real > -1)]
        vals = np_array(keep, src)
    x = ref(vals, src)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns about complex -> real
        expected = vals.astype(NP_DTYPES[dst])
    assert_same(B.astype(x, by_name(dst)), expected)


def test_casting_rules():
    f64 = by_name("float64")
    x = B.from_list([300.5, -1.5, -0.9, 2.9], (4,), f64)
    assert B.to_list(B.astype(x, by_name("int8"))) == [44, -1, 0, 2]  # truncate, then wrap
    assert B.to_list(B.astype(x, by_name("uint8"))) == [44, 255, 0, 2]
    z = B.from_list([0j, 1j, complex(NAN, 0)], (3,), by_name("complex128"))
    assert B.to_list(B.astype(z, by_name("bool"))) == [False, True, True]
    assert B.to_list(B.astype(z, f64))[:2] == [0.0, 0.0]  # complex -> real keeps .real


def test_non_finite_to_integer_matches_torch_on_x86(torch):
    # unspecified by the contract; the reference mirrors PyTorch's CPU results
    x = B.from_list([NAN, INF, -INF], (3,), by_name("float32"))
    t = torch.tensor([NAN, INF, -INF])
    for name in INT_NAMES:
        assert B.to_list(B.astype(x, by_name(name))) == t.to(getattr(torch, name)).tolist()


# ---------------------------------------------------------------------------- rounding
def test_float32_rounding_after_every_primitive():
    f32 = by_name("float32")
    x = B.from_list([0.1, 1.0, 16777216.0], (3,), f32)
    assert B.to_list(x)[0] == struct.unpack("f", struct.pack("f", 0.1))[0]
    assert B.to_list(B.add(x, 2.0 ** -24)) == [np.float32(0.1) + np.float32(2 ** -24), 1.0,
                                                16777216.0]
    assert B.to_list(B.add(B.full((), 16777216.0, f32), 1.0)) == 16777216.0  # ties to even
    assert B.to_list(B.mul(B.full((), 3.0e38, f32), 10.0)) == INF
    assert B.to_list(B.full((), 3.5e38, f32)) == INF


def test_float16_rounding_and_overflow():
    f16 = by_name("float16")
    assert B.to_list(B.from_list([65519.0, 65520.0, -1e6, 1e-8, 2049.0], (5,), f16)) == \
        [65504.0, INF, -INF, 0.0, 2048.0]
    a = np.array([0.1, 1000.0, 3.3, -7.7, 60000.0], np.float16)
    b = np.array([0.2, 0.7, 1e-3, 5.0, 9000.0], np.float16)
    for op, fn in [("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
                   ("div", np.divide)]:
        with np.errstate(all="ignore"):
            assert_same(getattr(B, op)(ref(a, "float16"), ref(b, "float16")), fn(a, b))


def test_float16_conversion_goes_through_float32_like_torch(torch):
    x = 1 + 2 ** -11 + 2 ** -40  # rounds up directly, ties to even through float32
    got = B.to_list(B.from_list([x], (1,), by_name("float16")))
    assert got == [torch.tensor([x], dtype=torch.float64).to(torch.float16).item()] == [1.0]


def test_bfloat16_rounding_matches_ml_dtypes():
    rng = np.random.default_rng(0)
    vals = np.concatenate([rng.standard_normal(500) * 10.0 ** rng.integers(-30, 30, 500),
                           [1.00390625, 1.01171875, 3.0e38, 3.4e38, -0.0, INF, NAN]])
    vals32 = vals.astype(np.float32)
    x = B.from_list(vals32.astype(np.float64).tolist(), vals.shape, by_name("bfloat16"))
    assert_same(x, vals32.astype(ml_dtypes.bfloat16))
    # arithmetic: computed in float32 (exactly, for bfloat16 inputs) and rounded once
    a = vals32[:200].astype(ml_dtypes.bfloat16)
    b = vals32[200:400].astype(ml_dtypes.bfloat16)
    for op, fn in [("add", np.add), ("mul", np.multiply), ("sub", np.subtract)]:
        with np.errstate(all="ignore"):
            expected = fn(a, b)
        assert_same(getattr(B, op)(ref(a, "bfloat16"), ref(b, "bfloat16")), expected)


def test_complex64_parts_are_float32():
    z = B.from_list([complex(0.1, 0.2)], (1,), by_name("complex64"))
    assert B.to_list(z) == [complex(np.float32(0.1), np.float32(0.2))]


# ---------------------------------------------------------------------------- integer wrap
def test_integer_wraparound():
    i8, u8, i64 = by_name("int8"), by_name("uint8"), by_name("int64")
    assert B.to_list(B.add(B.full((), 127, i8), 1)) == -128
    assert B.to_list(B.neg(B.full((), -128, i8))) == -128
    assert B.to_list(B.abs(B.full((), -128, i8))) == -128
    assert B.to_list(B.sub(B.full((), 0, u8), 1)) == 255
    assert B.to_list(B.mul(B.full((), 2**62, i64), 4)) == 0
    assert B.to_list(B.pow(B.full((), 3, i64), 41)) == np.int64(3) ** np.int64(41)
    assert B.to_list(B.add(B.full((2,), 5, i8), 300)) == [49, 49]  # the scalar wraps first
    assert B.to_list(B.floor_divide(B.full((), -128, i8), -1)) == -128


# ---------------------------------------------------------------------------- unary ops
TRANSCENDENTAL = ["exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos",
                  "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
                  "atanh", "erf"]
NP_UNARY = {
    "neg": np.negative, "abs": np.abs, "exp": np.exp, "expm1": np.expm1, "log": np.log,
    "log1p": np.log1p, "log2": np.log2, "log10": np.log10, "sqrt": np.sqrt, "sin": np.sin,
    "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh, "floor": np.floor, "ceil": np.ceil,
    "round": np.round, "trunc": np.trunc, "isnan": np.isnan,
    "sign": lambda a: np.where(np.isnan(a), 0, np.sign(a)).astype(a.dtype),  # sign(nan) = 0
    "isinf": np.isinf, "isfinite": np.isfinite, "signbit": np.signbit,
    "logical_not": np.logical_not, "bitwise_not": np.invert, "conj": np.conj,
    "real": np.real, "imag": np.imag,
}
EXACT_UNARY = {"neg", "abs", "sqrt", "floor", "ceil", "round", "trunc", "sign", "isnan",
               "isinf", "isfinite", "signbit", "logical_not", "bitwise_not", "conj", "real",
               "imag"}


def _np_erf(x: np.ndarray) -> np.ndarray:
    out = np.array([math.erf(v) for v in x.astype(np.float64).ravel()]).reshape(x.shape)
    return out.astype(x.dtype)


def _unary_cases():
    for op in UNARY_OPS:
        if op == "erfinv":
            continue
        for name in [d.name for d in ALL_DTYPES]:
            kind = by_name(name).kind
            if op in TRANSCENDENTAL and kind not in "fc":
                continue
            if op == "erf" and kind == "c":
                continue
            if kind == "c" and op in ("floor", "ceil", "round", "trunc", "signbit",
                                      "bitwise_not", "sign"):
                continue
            if kind == "f" and op == "bitwise_not":
                continue
            if kind == "b" and op in ("neg", "imag"):
                continue
            if kind in "bif" and op == "imag":
                continue
            if kind == "c" and op == "abs":
                continue  # NumPy returns a real dtype: see test_complex_abs
            yield op, name


@pytest.mark.parametrize("op,name", list(_unary_cases()))
def test_unary_matches_numpy(op, name):
    vals = np_array(samples(name), name)
    if op in TRANSCENDENTAL and name == "bfloat16":
        # NumPy has no bfloat16 math: the reference rule is float64 math, rounded once.
        compute = vals.astype(np.float64)
    elif op in TRANSCENDENTAL and name in ("float16", "float32", "complex64"):
        compute = vals.astype(np.complex128 if name == "complex64" else np.float64)
    else:
        compute = vals
    fn = _np_erf if op == "erf" else NP_UNARY[op]
    if name == "bool" and op in ("sign", "conj"):
        fn = np.copy  # identity on bool (NumPy would give int8)
    with np.errstate(all="ignore"):
        expected = np.asarray(fn(compute))
    with np.errstate(all="ignore"):  # float64 results beyond the float16 range become inf
        if expected.dtype.kind in "fc" and op not in ("real", "imag"):
            expected = expected.astype(vals.dtype)
        elif op in ("real", "imag") and vals.dtype.kind == "c":
            expected = expected.astype(np.float32 if name == "complex64" else np.float64)
    got = getattr(B, op)(ref(vals, name))
    if name in COMPLEX_NAMES and op in TRANSCENDENTAL:
        # Branch cuts and infinities of complex functions differ between C99 and cmath.
        finite = np.isfinite(vals)
        got_np, expected = to_np(got)[finite], expected[finite]
        np.testing.assert_allclose(got_np, expected, rtol=1e-6 if name == "complex64"
                                   else 1e-13, atol=1e-12)
        return
    assert_same(got, expected, ulps=0.0 if op in EXACT_UNARY else 4.0)


def test_complex_abs():
    z = np.array([3 + 4j, -1j, complex(INF, NAN), 0j])
    assert B.to_list(B.abs(ref(z, "complex128"))) == [5 + 0j, 1 + 0j, complex(INF, 0), 0j]


def test_unary_special_values():
    f64 = by_name("float64")
    x = B.from_list([0.0, -0.0, -1.0, 1000.0, -1000.0, NAN], (6,), f64)
    assert B.to_list(B.log(x))[:3] == [-INF, -INF, B.to_list(B.log(x))[2]]
    assert math.isnan(B.to_list(B.log(x))[2])
    assert B.to_list(B.exp(x))[3:5] == [INF, 0.0]
    assert B.to_list(B.sinh(x))[3:5] == [INF, -INF]
    assert B.to_list(B.cosh(x))[4] == INF
    assert B.to_list(B.sign(x))[5] == 0.0  # the contract (and PyTorch): sign(nan) is 0
    assert math.copysign(1, B.to_list(B.ceil(B.from_list(-0.5, (), f64)))) == -1.0
    assert B.to_list(B.round(B.from_list([0.5, 1.5, 2.5, -0.5], (4,), f64))) == \
        [0.0, 2.0, 2.0, -0.0]
    assert B.to_list(B.atanh(B.from_list([1.0, -1.0], (2,), f64))) == [INF, -INF]
    assert B.to_list(B.log1p(B.from_list(-1.0, (), f64))) == -INF


def test_erfinv_accuracy():
    ys = [-0.999999, -0.9, -0.5, -1e-10, 0.0, 1e-300, 0.3, 0.7, 0.95, 0.999, 1 - 1e-12,
          1 - 2 ** -53]
    got = B.to_list(B.erfinv(B.from_list(ys, (len(ys),), by_name("float64"))))
    for y, x in zip(ys, got):
        if y == 0.0:
            assert x == 0.0
            continue
        # erfinv is ill-conditioned near +-1: check through erfc there
        if abs(y) > 0.5:
            assert math.erfc(abs(x)) == pytest.approx(1 - abs(y), rel=1e-13)
        else:
            assert math.erf(x) == pytest.approx(y, rel=1e-15)
    xs = [-4.0, -2.5, -1.0, -0.1, 0.01, 0.5, 1.7, 3.0, 5.0]
    back = B.to_list(B.erfinv(B.erf(B.from_list(xs, (len(xs),), by_name("float64")))))
    for x, b in zip(xs[2:7], back[2:7]):  # away from saturation the roundtrip is tight
        assert b == pytest.approx(x, rel=2e-15)
    edges = B.to_list(B.erfinv(B.from_list([1.0, -1.0, 1.5, NAN], (4,), by_name("float64"))))
    assert edges[:2] == [INF, -INF] and math.isnan(edges[2]) and math.isnan(edges[3])


def test_erfinv_matches_torch(torch):
    xs = np.linspace(-0.999, 0.999, 101)
    got = np.array(B.to_list(B.erfinv(ref(xs, "float64"))))
    np.testing.assert_allclose(got, torch.erfinv(torch.tensor(xs)).numpy(), rtol=1e-13)
    got32 = to_np(B.erfinv(ref(xs.astype(np.float32), "float32")))
    np.testing.assert_allclose(got32, torch.erfinv(torch.tensor(xs, dtype=torch.float32)),
                               rtol=3e-7)
