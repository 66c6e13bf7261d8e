"""Type promotion against PyTorch's rules."""

from __future__ import annotations

import itertools

import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for promotion rules")

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
         "float64", "complex64", "complex128"]


def _e(name):
    return getattr(ember, name if name != "bool" else "bool")


def _t(name):
    return getattr(torch, name)


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_promote_types_matches_torch(a, b):
    assert ember.promote_types(_e(a), _e(b)).name == str(torch.promote_types(_t(a), _t(b))).split(".")[1]


SAMPLES = {"bool": True, "int": 3, "float": 2.5, "complex": 1 + 2j}


@pytest.mark.parametrize("dt", NAMES)
@pytest.mark.parametrize("kind", ["dim", "zero_dim"])
@pytest.mark.parametrize("other", ["bool", "int", "float", "complex", "zdim_int64", "zdim_float64",
                                   "zdim_complex128", "dim_float16"])
def test_result_type_matches_torch(dt, kind, other):
    shape = (2,) if kind == "dim" else ()
    te = torch.zeros(shape, dtype=_t(dt))
    ee = ember.zeros(shape, dtype=_e(dt))
    if other in SAMPLES:
        to, eo = SAMPLES[other], SAMPLES[other]
    else:
        place, name = other.split("_")
        oshape = () if place == "zdim" else (2,)
        to, eo = torch.zeros(oshape, dtype=_t(name)), ember.zeros(oshape, dtype=_e(name))
    expected = torch.result_type(te, to)
    if expected is torch.complex32:
        pytest.xfail("Ember has no complex32 (ComplexHalf) dtype; float16 with complex "
                     "promotes to complex32 in PyTorch")
    assert ember.result_type(ee, eo).name == str(expected).split(".")[1]


@pytest.mark.parametrize("op", ["add", "mul", "sub", "div", "maximum", "eq"])
@pytest.mark.parametrize("a,b", [("int32", "float16"), ("uint8", "int8"), ("int64", "float32"),
                                 ("bool", "int16"), ("float16", "bfloat16"),
                                 ("float32", "float64")])
def test_binary_op_dtypes_match_torch(op, a, b):
    ta, tb = torch.ones(3, dtype=_t(a)), torch.ones(3, dtype=_t(b))
    ea, eb = ember.ones(3, dtype=_e(a)), ember.ones(3, dtype=_e(b))
    try:
        expected = getattr(torch, op)(ta, tb)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            getattr(ember, op)(ea, eb)
        return
    got = getattr(ember, op)(ea, eb)
    assert got.dtype.name == str(expected.dtype).split(".")[1]
    assert got.tolist() == expected.tolist()


def test_default_dtype_governs_python_floats():
    assert (ember.tensor([1, 2]) * 1.5).dtype is ember.float32
    ember.set_default_dtype(ember.float64)
    try:
        assert (ember.tensor([1, 2]) * 1.5).dtype is ember.float64
        assert ember.tensor([1.5]).dtype is ember.float64
    finally:
        ember.set_default_dtype(ember.float32)


def test_dtype_equals_numpy_scalar_type():
    np = pytest.importorskip("numpy")
    assert ember.float32 == np.float32
    assert ember.int64 == np.int64
    assert ember.float32 != np.float64
    assert ember.bool == np.bool_
