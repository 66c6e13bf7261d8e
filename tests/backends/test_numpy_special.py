"""erf/erfinv accuracy and Philox bits of the NumPy backend (shared array-API code)."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest

import ember.backend as B
from ember.backend import device, philox
from ember_numpy._backend import NumpyBackend

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.fixture(scope="module")
def be():
    return NumpyBackend(device("cpu"))


def _grid():
    rng = np.random.default_rng(0)
    pts = np.concatenate([
        np.linspace(-7, 7, 20001), rng.uniform(-6, 6, 20000),
        np.geomspace(1e-300, 1, 300), -np.geomspace(1e-12, 1, 50),
        [0.0, -0.0, 0.5, 1.0, 2.5, 6.0, 5.9999999, 0.99999999, 1.0000001],
    ])
    return pts


def test_erf_float64_accuracy(be):
    x = _grid()
    got = be.erf(x)
    want = np.array([math.erf(v) for v in x])
    rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
    assert rel.max() < 2e-15, (rel.max(), x[rel.argmax()])
    assert math.copysign(1, be.erf(np.array([-0.0]))[0]) == -1


def test_erf_special_values(be):
    x = np.array([np.inf, -np.inf, np.nan, 40.0, -1e300])
    got = be.erf(x)
    assert got[0] == 1 and got[1] == -1 and np.isnan(got[2]) and got[3] == 1 and got[4] == -1


@pytest.mark.parametrize("name", ["float32", "float16", "bfloat16"])
def test_erf_low_precision_is_correctly_rounded(be, name):
    dt = np.dtype(ml_dtypes.bfloat16) if name == "bfloat16" else np.dtype(name)
    x = np.linspace(-4, 4, 4001).astype(dt)
    got = be.erf(x)
    assert got.dtype == dt
    want = np.array([math.erf(float(v)) for v in x]).astype(dt)
    # Computed in float64 and rounded once: equal to the rounded exact value.
    assert (got.astype(np.float64) == want.astype(np.float64)).mean() > 0.999


def test_erfinv(be):
    y = _grid()
    y = y[np.abs(y) < 5.8]
    x = np.array([math.erf(v) for v in y])
    ok = np.abs(x) < 1
    got = be.erfinv(x[ok])
    back = np.array([math.erf(v) for v in got])
    # erf(erfinv(x)) recovers x to rounding level, and erfinv(erf(y)) is close to y.
    assert np.max(np.abs(back - x[ok]) / np.maximum(np.abs(x[ok]), 1e-300)) < 4e-16
    mid = np.abs(y[ok]) < 1.5  # beyond, rounding x = erf(y) itself moves y by more
    assert np.max(np.abs(got[mid] - y[ok][mid]) / np.maximum(np.abs(y[ok][mid]), 1e-300)) < 1e-14
    tail = 1 - np.geomspace(1e-16, 0.5, 200)
    t = be.erfinv(tail)
    resid = np.array([math.erfc(v) for v in t]) / (1 - tail) - 1
    assert np.abs(resid).max() < 1e-13


def test_erfinv_special_values(be):
    got = be.erfinv(np.array([1.0, -1.0, 1.5, -2.0, np.nan, 0.0, -0.0]))
    assert got[0] == np.inf and got[1] == -np.inf
    assert np.isnan(got[2:5]).all()
    assert got[5] == 0 and math.copysign(1, got[6]) == -1
    f = be.erfinv(np.array([0.5, -0.999], np.float32))
    assert f.dtype == np.float32
    assert f[0] == np.float32(0.4769362762044699)


@pytest.mark.parametrize("key", [(0, 0), (1, 2), (0xFFFFFFFF, 0xFFFFFFFF), (2**40 + 7, 3)])
@pytest.mark.parametrize("counter", [0, 5, 2**32 - 1, 2**32 - 2, 2**64 - 1, 2**96 - 1,
                                     2**128 - 2])
@pytest.mark.parametrize("n", [0, 1, 3, 4, 7, 17])
def test_philox_bits_match_definition(be, key, counter, n):
    got = be.random_bits(key, counter, n)
    assert got.dtype == np.int64 and got.shape == (n,)
    assert got.tolist() == philox.philox_words(key, counter, n)


def test_philox_long_stream(be):
    got = be.random_bits((123, 456), 2**32 - 10, 1001)
    assert got.tolist() == philox.philox_words((123, 456), 2**32 - 10, 1001)
    assert got.min() >= 0 and got.max() < 2**32
    assert be.to_list(be.random_bits((0, 0), 0, 4)) == list(philox.philox_block(0, (0, 0)))
    assert B.int64 in be.dtypes
