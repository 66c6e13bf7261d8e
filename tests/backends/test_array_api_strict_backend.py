"""The array-API kernel base on ``array_api_strict`` (pinned to the 2023.12 standard)
agrees with the NumPy backend: proof that the shared code path needs nothing outside
the standard, hence runs on CuPy. The same cases also run the base on the
array-api-compat NumPy namespace without the NumPy fast paths, which covers its
float16 handling (``array_api_strict`` has no float16)."""

from __future__ import annotations

import math

import array_api_compat.numpy as compat_numpy
import numpy as np
import pytest

import ember.backend as B
from ember.backend import device, philox
from ember.backend.array_api import ArrayAPIBackend
from ember_numpy._backend import NumpyBackend

xps = pytest.importorskip("array_api_strict")

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


class StrictBackend(ArrayAPIBackend):
    """The base, unmodified, over array_api_strict."""

    name = "array_api_strict"
    device_type = "strict"
    xp = xps


class PlainNumpyBackend(ArrayAPIBackend):
    """The base, unmodified, over array-api-compat's NumPy namespace (float16 included)."""

    name = "array_api_numpy"
    device_type = "plain"
    xp = compat_numpy


@pytest.fixture(scope="module", autouse=True)
def standard_2023_12():
    xps.set_array_api_strict_flags(api_version="2023.12")
    yield
    xps.reset_array_api_strict_flags()


@pytest.fixture(scope="module", params=["strict", "plain"])
def base(request):
    if request.param == "strict":
        return StrictBackend(device("strict"))
    return PlainNumpyBackend(device("plain"))


@pytest.fixture(scope="module")
def ref():
    return NumpyBackend(device("cpu"))


def test_strict_is_pinned_to_2023_12():
    assert xps.get_array_api_strict_flags()["api_version"] == "2023.12"
    be = StrictBackend(device("strict"))
    assert B.float16 not in be.dtypes and B.bfloat16 not in be.dtypes
    assert B.float32 in be.dtypes and B.complex128 in be.dtypes
    assert "as_strided" not in be.capabilities
    x = be.full((2,), 1.0, B.float32)
    assert type(x).__module__.startswith("array_api_strict")


def run(be, fn, *inputs):
    """Build the inputs (value lists with a dtype) on ``be``, apply ``fn``, read back."""
    args = []
    for vals, dt in inputs:
        shape = np.shape(vals)
        args.append(be.from_list(np.asarray(vals).tolist(), shape, dt))
    out = fn(be, *args)
    if isinstance(out, tuple):
        return tuple(be.to_list(o) for o in out)
    return be.to_list(out)


def same(a, b, rtol=0.0):
    if isinstance(a, tuple):
        assert len(a) == len(b)
        for u, v in zip(a, b):
            same(u, v, rtol)
        return
    if rtol:
        np.testing.assert_allclose(np.asarray(a, dtype=complex), np.asarray(b, dtype=complex),
                                   rtol=rtol, atol=1e-300)
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


F = [[-2.5, 0.0, 1.5, float("nan")], [3.0, -0.5, float("inf"), 2.0]]
POS = [[0.25, 0.5, 1.0], [2.0, 4.0, 9.0]]
INT = [[7, -7, 3], [-2, 0, 5]]
I8 = [[100, -128, 127], [1, -1, 0]]
BOOL = [[True, False, True], [False, False, True]]

CASES = {
    # elementwise
    "add_scalar": (lambda be, a: be.add(a, 2.5), [(F, B.float32)]),
    "sub_broadcast": (lambda be, a, b: be.sub(a, b), [(F, B.float64), ([[1.0], [2.0]], B.float64)]),
    "rsub_scalar": (lambda be, a: be.sub(1, a), [(INT, B.int32)]),
    "mul_wrap": (lambda be, a: be.mul(a, 3), [(I8, B.int8)]),
    "add_big_scalar": (lambda be, a: be.add(a, 300), [(I8, B.int8)]),
    "div": (lambda be, a, b: be.div(a, b), [(F, B.float32), ([[0.0], [-2.0]], B.float32)]),
    "floor_divide": (lambda be, a: be.floor_divide(a, -2), [(INT, B.int64)]),
    "remainder_int": (lambda be, a: be.remainder(a, 3), [(INT, B.int16)]),
    "fmod_int": (lambda be, a: be.fmod(a, -3), [(INT, B.int16)]),
    "fmod_float": (lambda be, a: be.fmod(a, 1.25), [(F, B.float64)]),
    "fmod_neg_divisor": (lambda be, a: be.fmod(a, -0.75), [(F, B.float32)]),
    "pow": (lambda be, a: be.pow(a, 3), [(INT, B.int32)]),
    "maximum_nan": (lambda be, a, b: be.maximum(a, b), [(F, B.float32), ([1.0, float("nan"), 2.0, 0.0], B.float32)]),
    "minimum_bool": (lambda be, a, b: be.minimum(a, b), [(BOOL, B.bool_), ([True, True, False], B.bool_)]),
    "add_bool": (lambda be, a, b: be.add(a, b), [(BOOL, B.bool_), ([True, False, False], B.bool_)]),
    "mul_bool": (lambda be, a, b: be.mul(a, b), [(BOOL, B.bool_), ([True, False, True], B.bool_)]),
    "atan2": (lambda be, a, b: be.atan2(a, b), [(F, B.float64), ([[1.0], [-1.0]], B.float64)]),
    "logical_and": (lambda be, a: be.logical_and(a, 2), [(INT, B.int32)]),
    "logical_xor": (lambda be, a, b: be.logical_xor(a, b), [(F, B.float32), ([[0.0], [1.0]], B.float32)]),
    "bitwise": (lambda be, a: be.bitwise_xor(be.bitwise_and(a, 6), 3), [(I8, B.int8)]),
    "shifts": (lambda be, a: be.right_shift(be.left_shift(a, 2), 1), [(INT, B.int32)]),
    "lt_bool": (lambda be, a, b: be.lt(a, b), [(BOOL, B.bool_), ([True, True, False], B.bool_)]),
    "ge_nan": (lambda be, a: be.ge(a, 1.5), [(F, B.float32)]),
    "eq": (lambda be, a, b: be.eq(a, b), [(F, B.float32), (F, B.float32)]),
    "lt_big_scalar": (lambda be, a: (be.lt(a, 300), be.eq(300, a)), [(I8, B.int8)]),
    "where": (lambda be, c, a: be.where(c, a, -1), [(BOOL, B.bool_), (INT, B.int8)]),
    "clip": (lambda be, a: be.clip(a, -1.0, 2.0), [(F, B.float32)]),
    "neg_wrap": (lambda be, a: be.neg(a), [(I8, B.int8)]),
    "abs_complex": (lambda be, a: be.abs(a), [([3 + 4j, -1j], B.complex64)]),
    "sign": (lambda be, a: be.sign(a), [(F, B.float64)]),
    "sign_bool": (lambda be, a: be.sign(a), [(BOOL, B.bool_)]),
    "exp": (lambda be, a: be.exp(a), [(F, B.float32)]),
    "log_family": (lambda be, a: be.add(be.log1p(a), be.log10(a)), [(POS, B.float64)]),
    "trig": (lambda be, a: be.atanh(be.tanh(be.sin(a))), [(POS, B.float64)]),
    "round_half_even": (lambda be, a: be.round(a), [([0.5, 1.5, 2.5, -0.5, -1.5], B.float32)]),
    "floor_int": (lambda be, a: be.floor(a), [(INT, B.int32)]),
    "trunc": (lambda be, a: be.trunc(a), [(F, B.float64)]),
    "predicates": (lambda be, a: (be.isnan(a), be.isinf(a), be.isfinite(a), be.signbit(a)),
                   [([-0.0, 0.0, float("nan"), float("-inf"), 1.0], B.float32)]),
    "predicates_int": (lambda be, a: (be.isnan(a), be.isfinite(a), be.signbit(a)), [(INT, B.int64)]),
    "logical_not": (lambda be, a: be.logical_not(a), [(F, B.float32)]),
    "logical_complex": (lambda be, a, b: (be.logical_not(a), be.logical_or(a, b)), [([0j, 1j, 2 + 0j], B.complex64), ([0j, 0j, 1 + 0j], B.complex64)]),
    "bitwise_not": (lambda be, a: be.bitwise_not(a), [(BOOL, B.bool_)]),
    "conj_real_imag": (lambda be, a: (be.conj(a), be.real(a), be.imag(a)), [([1 + 2j, -3j], B.complex128)]),
    "erf": (lambda be, a: be.erf(a), [([-3.0, -0.5, 0.0, 0.3, 1.2, 2.7, 7.0, float("nan")], B.float64)]),
    "erfinv": (lambda be, a: be.erfinv(a), [([-1.0, -0.9, 0.0, 0.5, 0.999999, 1.0, 2.0], B.float64)]),
    "erf_f32": (lambda be, a: be.erf(a), [(F, B.float32)]),
    # creation, casting
    "full_wrap": (lambda be: be.full((2,), 300, B.int8), []),
    "arange_int": (lambda be: be.arange(5, -2, 4, B.int16), []),
    "arange_float": (lambda be: be.arange(0.1, 0.2, 5, B.float32), []),
    "from_list_cast": (lambda be: be.from_list([1.9, -1.9, 300], (3,), B.int8), []),
    "astype_trunc": (lambda be, a: be.astype(a, B.int32), [([1.7, -1.7, 0.2], B.float64)]),
    "astype_wrap": (lambda be, a: be.astype(a, B.uint8), [(INT, B.int64)]),
    "astype_complex": (lambda be, a: (be.astype(a, B.float32), be.astype(a, B.bool_)), [([1 + 2j, 0j], B.complex64)]),
    "astype_bool": (lambda be, a: be.astype(a, B.bool_), [(F, B.float32)]),
    # reductions, scans, sorting
    "sum_axes": (lambda be, a: be.sum(a, (0,), True), [(INT, B.int8)]),
    "sum_all": (lambda be, a: be.sum(a, (0, 1), False), [(POS, B.float32)]),
    "prod": (lambda be, a: be.prod(a, (1,), False), [(INT, B.int64)]),
    "max_nan": (lambda be, a: be.max(a, (1,), False), [(F, B.float32)]),
    "min": (lambda be, a: be.min(a, (0,), True), [(INT, B.int32)]),
    "max_bool": (lambda be, a: be.max(a, (1,), False), [(BOOL, B.bool_)]),
    "any_all": (lambda be, a: (be.any(a, (1,), False), be.all(a, (0,), True), be.all(a, (), False)), [(F, B.float32)]),
    "argmax_nan": (lambda be, a: be.argmax(a, 1, False), [(F, B.float32)]),
    "argmin_nan": (lambda be, a: be.argmin(a, 0, True), [([[1.0, float("nan")], [float("nan"), 0.0], [0.0, 0.0]], B.float64)]),
    "argmax_flat": (lambda be, a: be.argmax(a, None, False), [(INT, B.int16)]),
    "argmax_bool": (lambda be, a: be.argmax(a, 1, False), [(BOOL, B.bool_)]),
    "cumsum": (lambda be, a: be.cumsum(a, 1), [(I8, B.int8)]),
    "cumprod": (lambda be, a: be.cumprod(a, 1), [(I8, B.int8)]),
    "cumprod_long": (lambda be, a: be.cumprod(a, 0), [([1, 2, -1, 3, 1, 1, 2, 5, -2, 1, 3], B.int64)]),
    "sort_asc": (lambda be, a: be.sort(a, 1, False, True), [([[3.0, float("nan"), 1.0, 3.0, -float("inf")], [0.0, 0.0, -0.0, 2.0, 1.0]], B.float32)]),
    "sort_desc_stable": (lambda be, a: be.sort(a, 1, True, True), [([[1, 3, 1, 3, 2, 1], [5, 5, 5, 0, 0, 5]], B.int32)]),
    "sort_desc_nan": (lambda be, a: be.sort(a, 0, True, True), [([2.0, float("nan"), 5.0, 2.0, float("nan")], B.float64)]),
    "sort_bool": (lambda be, a: be.sort(a, 1, True, True), [(BOOL, B.bool_)]),
    "unique": (lambda be, a: be.unique(a), [([[3, 1, 3], [2, 1, 1]], B.int64)]),
    "unique_nan": (lambda be, a: be.unique(a), [([float("nan"), 1.0, float("nan"), 1.0], B.float32)]),
    # views, joining
    "reshape_permute": (lambda be, a: be.permute(be.reshape(a, (3, 2)), (1, 0)), [(INT, B.int32)]),
    "expand": (lambda be, a: be.expand(a, (2, 2, 3)), [([[1, 2, 3]], B.int32)]),
    "getitem": (lambda be, a: be.getitem(a, (None, 1, slice(0, 3, 2))), [(INT, B.int32)]),
    "diagonal": (lambda be, a: (be.diagonal(a, 1, 0, 1), be.diagonal(a, -1, 1, 0), be.diagonal(a, 5, 0, 1)), [(INT, B.int32)]),
    "cat": (lambda be, a, b: be.cat([a, b, a], 0), [(INT, B.int32), ([[9, 9, 9]], B.int32)]),
    "flip": (lambda be, a: be.flip(a, (0, 1)), [(INT, B.int32)]),
    "pad": (lambda be, a: be.pad(a, [(1, 0), (2, 1)], -1), [(INT, B.int8)]),
    "strides": (lambda be, a: be.full((), be.strides(be.reshape(a, (3, 1, 2)))[0], B.int64), [(INT, B.int32)]),
    # indexing
    "index_mixed": (lambda be, a, i: be.index(a, (slice(None), i)), [(INT, B.int32), ([2, 0, 2], B.int64)]),
    "index_sep": (lambda be, a, i: be.index(be.reshape(a, (1, 2, 3)), (i, slice(None), i)), [(INT, B.int32), ([0, 0], B.int64)]),
    "index_int_adv": (lambda be, a, i: be.index(be.reshape(a, (1, 2, 3)), (0, slice(None), i)), [(INT, B.int32), ([2, 1], B.int64)]),
    "index_mask": (lambda be, a, m: be.index(a, (m,)), [(INT, B.int32), (BOOL, B.bool_)]),
    "index_basic": (lambda be, a: be.index(a, (1, slice(1, 3))), [(INT, B.int32)]),
    "gather": (lambda be, a, i: be.gather(a, 1, i), [(INT, B.int32), ([[2, 2], [0, 1]], B.int64)]),
    "gather_small": (lambda be, a, i: be.gather(a, 0, i), [(INT, B.int32), ([[1, 0]], B.int64)]),
    "nonzero": (lambda be, a: be.nonzero(a), [(INT, B.int32)]),
    "nonzero_0d": (lambda be, a: be.nonzero(be.reshape(a, ())), [([5], B.int32)]),
    # linalg, nn, random
    "matmul": (lambda be, a, b: be.matmul(a, b), [(POS, B.float64), ([[1.0], [2.0], [3.0]], B.float64)]),
    "matmul_int_vec": (lambda be, a, b: be.matmul(a, b), [(INT, B.int64), ([1, 2, 3], B.int64)]),
    "matmul_bool": (lambda be, a, b: be.matmul(a, b), [(BOOL, B.bool_), ([[True], [False], [False]], B.bool_)]),
    "inv_det": (lambda be, a: (be.inv(a), be.det(a)), [([[[2.0, 1.0], [1.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]]], B.float64)]),
    "solve": (lambda be, a, b: be.solve(a, b), [([[[2.0, 1.0], [1.0, 3.0]], [[1.0, 2.0], [3.0, 4.0]]], B.float64), ([[1.0], [2.0]], B.float64)]),
    "svdvals": (lambda be, a: be.svdvals(a), [(POS, B.float64)]),
    "svd": (lambda be, a: (lambda u, s, vh: be.matmul(be.mul(u, be.reshape(s, (1,) + be.shape(s))), vh))(*be.svd(a)), [(POS, B.float64)]),  # noqa: E501
    "softmax": (lambda be, a: (be.softmax(a, 1), be.log_softmax(a, 0)), [(POS, B.float32)]),
    "logsumexp": (lambda be, a: (be.logsumexp(a, (1,), False), be.logsumexp(a, (0, 1), True)), [(POS, B.float64)]),
    "random_bits": (lambda be: be.random_bits((7, 9), 2**32 - 1, 10), []),
}
APPROX = {"exp": 1e-6, "log_family": 1e-13, "trig": 1e-13, "erf": 2e-16, "erfinv": 1e-15,
          "atan2": 1e-15, "inv_det": 1e-12, "solve": 1e-12, "svdvals": 1e-12,
          "svd": 1e-12,
          "softmax": 1e-6, "logsumexp": 1e-14, "sum_all": 1e-6}


@pytest.mark.parametrize("case", sorted(CASES))
def test_base_agrees_with_numpy_backend(base, ref, case):
    fn, inputs = CASES[case]
    same(run(base, fn, *inputs), run(ref, fn, *inputs), APPROX.get(case, 0.0))


def test_philox_on_strict():
    be = StrictBackend(device("strict"))
    for counter in (0, 2**32 - 2, 2**64 - 1):
        assert be.to_list(be.random_bits((3, 4), counter, 9)) == philox.philox_words((3, 4), counter, 9)


def test_index_put_and_scatter_without_scatter(base, ref):
    """The base emulates integer writes with sort + searchsorted (NOTE [ Scatter without
    scatter ]); duplicates accumulate."""
    for be in (base, ref):
        x = be.full((5,), 0.0, B.float32)
        i = be.from_list([0, 1, 1, 1, 4], (5,), B.int64)
        be.index_put(x, (i,), be.full((5,), 1.0, B.float32), True)
        assert be.to_list(x) == [1, 3, 0, 0, 1]
        be.index_put(x, (be.from_list([2, 2], (2,), B.int64),), 2.5, True)
        assert be.to_list(x) == [1, 3, 5, 0, 1]
        be.index_put(x, (be.from_list([4, 0], (2,), B.int64),), -1.0, False)
        assert be.to_list(x) == [-1, 3, 5, 0, -1]
        m = be.full((2, 3), 0, B.int8)
        be.index_put(m, (be.from_list([1, 1], (2,), B.int64),
                         be.from_list([2, 2], (2,), B.int64)), be.full((2,), 100, B.int8), True)
        assert be.to_list(m) == [[0, 0, 0], [0, 0, -56]]
        mask = be.from_list([[True, False, True], [False, False, True]], (2, 3), B.bool_)
        be.index_put(m, (mask,), 7, False)
        assert be.to_list(m) == [[7, 0, 7], [0, 0, 7]]
        b = be.full((3,), False, B.bool_)
        be.index_put(b, (be.from_list([0, 0], (2,), B.int64),), True, True)
        assert be.to_list(b) == [True, False, False]
        src = be.from_list([[10.0, 11.0, 12.0], [13.0, 14.0, 15.0]], (2, 3), B.float64)
        x = be.reshape(be.arange(1, 1, 6, B.float64), (2, 3))
        idx = be.from_list([[0, 0, 2], [1, 1, 1]], (2, 3), B.int64)
        for reduce, want in ((None, [[11, 2, 12], [4, 15, 6]]),
                             ("sum", [[22, 2, 15], [4, 47, 6]]),
                             ("prod", [[110, 2, 36], [4, 5 * 13 * 14 * 15, 6]]),
                             ("amax", [[11, 2, 12], [4, 15, 6]]),
                             ("amin", [[1, 2, 3], [4, 5, 6]])):
            assert be.to_list(be.scatter(x, 1, idx, src, reduce)) == want, reduce
        assert be.to_list(be.scatter(x, 0, be.from_list([[1]], (1, 1), B.int64), 0.5, None)) \
            == [[1, 2, 3], [0.5, 5, 6]]


def test_copy_into_and_views_on_base(base):
    x = base.reshape(base.arange(0, 1, 6, B.int32), (2, 3))
    base.copy_into(base.getitem(x, (1, slice(None))), 300)
    assert base.to_list(x) == [[0, 1, 2], [300, 300, 300]]
    base.copy_into(x, base.from_list([9, 8, 7], (3,), B.int32))
    assert base.to_list(x) == [[9, 8, 7], [9, 8, 7]]
    assert base.strides(x) == (3, 1) and base.storage_offset(x) == 0
    with pytest.raises(NotImplementedError):
        base.as_strided(x, (2,), (1,), 0)


def test_plain_numpy_base_float16():
    """The base's float16 paths: computed in float32, rounded once."""
    be = PlainNumpyBackend(device("plain"))
    ref = NumpyBackend(device("cpu"))
    vals = [0.1, 0.2, 2049.0, 65504.0, -3.3]
    for op in ("add", "mul", "div", "pow", "atan2", "fmod"):
        got = run(be, lambda b, a, c, op=op: b.binary(op, a, c), (vals, B.float16), (vals[::-1], B.float16))
        want = run(ref, lambda b, a, c, op=op: b.binary(op, a, c), (vals, B.float16), (vals[::-1], B.float16))
        same(got, want)
    for op in ("exp", "sin", "sqrt", "tanh", "erf"):
        x = [abs(v) / 1000 for v in vals]
        same(run(be, lambda b, a, op=op: b.unary(op, a), (x, B.float16)),
             run(ref, lambda b, a, op=op: b.unary(op, a), (x, B.float16)))
    h = be.full((4096,), 1.0, B.float16)
    assert be.to_list(be.sum(h, (0,), False)) == 4096.0
    assert be.to_list(be.cumsum(h, 0))[-1] == 4096.0
    assert math.isclose(be.to_list(be.matmul(h, h)), 4096.0)


def test_numpy_erf_fast_path_equals_base():
    """ember_numpy evaluates erf's intervals under masks; the values are the base's."""
    plain = PlainNumpyBackend(device("plain"))
    ref = NumpyBackend(device("cpu"))
    x = np.concatenate([np.linspace(-8, 8, 40001), [np.nan, np.inf, -np.inf, -0.0, 1.0, 2.5]])
    got, want = ref.erf(x), plain.erf(x)
    np.testing.assert_array_equal(got, want)
    assert math.copysign(1, got[-3]) == -1
    x32 = x.astype(np.float32)
    np.testing.assert_array_equal(ref.erf(x32), plain.erf(x32))
