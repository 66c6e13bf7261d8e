"""The reference backend's matmul, inv, det, solve and svdvals against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from test_reference_backend import B, assert_same, ref, to_np

from ember.backend import by_name


def _rand(shape, name="float64", seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if name.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape)
    return a.astype({"float64": np.float64, "float32": np.float32,
                     "complex128": np.complex128, "complex64": np.complex64}[name])


# ---------------------------------------------------------------------------- matmul
@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)),
                                    ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                                    ((2, 1, 2, 3), (4, 3, 2)), ((3,), (2, 3, 4)),
                                    ((2, 0), (0, 3)), ((0, 2), (2, 3))])
def test_matmul_shapes_match_numpy(sa, sb):
    a, b = _rand(sa, seed=1), _rand(sb, seed=2)
    got = B.matmul(ref(a, "float64"), ref(b, "float64"))
    expected = np.matmul(a, b)
    assert B.shape(got) == expected.shape
    np.testing.assert_allclose(to_np(got), expected, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("name", ["float32", "complex64", "complex128"])
def test_matmul_dtypes(name):
    a, b = _rand((2, 3, 4), name, 3), _rand((4, 5), name, 4)
    got = B.matmul(ref(a, name), ref(b, name))
    wide = np.complex128 if name.startswith("complex") else np.float64
    expected = np.matmul(a.astype(wide), b.astype(wide)).astype(a.dtype)
    assert_same(got, expected, ulps=2.0 if name != "complex128" else 8.0)


def test_matmul_integers_wrap_and_bool():
    a = np.array([[2 ** 62, 3], [1, 1]], dtype=np.int64)
    got = B.matmul(ref(a, "int64"), ref(a, "int64"))
    assert_same(got, a @ a)
    m = np.array([[True, False], [False, False]])
    assert B.to_list(B.matmul(ref(m, "bool"), ref(m, "bool"))) == [[True, False],
                                                                    [False, False]]
    i8 = np.array([[100, 100]], dtype=np.int8)
    assert_same(B.matmul(ref(i8, "int8"), ref(i8.T, "int8")), i8 @ i8.T)


def test_matmul_of_views():
    a = _rand((4, 3), seed=5)
    x = ref(a, "float64")
    got = B.matmul(B.permute(x, (1, 0)), x)
    np.testing.assert_allclose(to_np(got), a.T @ a, rtol=1e-14)


def test_matmul_mismatch_raises():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 2\)"):
        B.matmul(B.full((2, 3), 1.0, by_name("float32")), B.full((4, 2), 1.0,
                                                                 by_name("float32")))


# ---------------------------------------------------------------------------- inv, det, solve
@pytest.mark.parametrize("name", ["float64", "complex128"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4), (2, 1, 5, 5), (0, 0)])
def test_inv_det_match_numpy(name, shape):
    a = _rand(shape, name, seed=6)
    x = ref(a, name)
    np.testing.assert_allclose(to_np(B.inv(x)), np.linalg.inv(a), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(to_np(B.det(x)), np.linalg.det(a), rtol=1e-12)


def test_inv_float32_rounds_once():
    a = _rand((4, 4), "float32", seed=7)
    got = B.inv(ref(a, "float32"))
    assert B.to_list(got)[0][0] == float(np.float32(np.linalg.inv(a.astype(np.float64))[0, 0]))


def test_det_needs_pivoting_and_sign():
    a = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert B.to_list(B.det(ref(a, "float64"))) == -1.0
    p = np.array([[0.0, 2.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    assert B.to_list(B.det(ref(p, "float64"))) == pytest.approx(np.linalg.det(p))
    assert B.to_list(B.det(B.full((0, 0), 0.0, by_name("float64")))) == 1.0


def test_singular_matrices():
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(ValueError, match="singular matrix"):
        B.inv(ref(s, "float64"))
    with pytest.raises(ValueError, match="singular matrix"):
        B.solve(ref(s, "float64"), ref(np.ones((2, 1)), "float64"))
    assert B.to_list(B.det(ref(s, "float64"))) == 0.0
    z = np.zeros((3, 3))
    assert B.to_list(B.det(ref(z, "float64"))) == 0.0


@pytest.mark.parametrize("sa,sb", [((3, 3), (3, 2)), ((2, 4, 4), (4, 1)),
                                    ((4, 4), (3, 4, 2)), ((2, 1, 3, 3), (5, 3, 3))])
def test_solve_matches_numpy(sa, sb):
    a, b = _rand(sa, seed=8), _rand(sb, seed=9)
    got = B.solve(ref(a, "float64"), ref(b, "float64"))
    expected = np.linalg.solve(a, b)
    assert B.shape(got) == expected.shape
    np.testing.assert_allclose(to_np(got), expected, rtol=1e-10, atol=1e-12)


def test_solve_complex():
    a, b = _rand((3, 3), "complex128", 10), _rand((3, 2), "complex128", 11)
    np.testing.assert_allclose(to_np(B.solve(ref(a, "complex128"), ref(b, "complex128"))),
                               np.linalg.solve(a, b), rtol=1e-11)


# ---------------------------------------------------------------------------- svdvals
@pytest.mark.parametrize("name", ["float64", "complex128"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 3), (3, 5), (2, 4, 4), (6, 1), (1, 6),
                                   (2, 2, 3, 2)])
def test_svdvals_match_numpy(name, shape):
    a = _rand(shape, name, seed=12)
    got = to_np(B.svdvals(ref(a, name)))
    expected = np.linalg.svd(a, compute_uv=False)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13 * expected.max())


def test_svdvals_rank_deficient_and_float32():
    u = _rand((5, 1), seed=13)
    v = _rand((1, 4), seed=14)
    a = u @ v + 0.0  # rank 1
    got = to_np(B.svdvals(ref(a, "float64")))
    expected = np.linalg.svd(a, compute_uv=False)
    np.testing.assert_allclose(got, expected, atol=1e-13 * expected[0])
    a32 = _rand((4, 3), "float32", 15)
    got32 = B.svdvals(ref(a32, "float32"))
    assert_same(got32, np.linalg.svd(a32.astype(np.float64), compute_uv=False)
                .astype(np.float32), ulps=2.0)
    z = B.svdvals(B.full((3, 2), 0.0, by_name("float64")))
    assert B.to_list(z) == [0.0, 0.0]


def test_svdvals_ill_conditioned():
    # Hilbert matrix: singular values over 13 orders of magnitude
    n = 6
    h = np.array([[1.0 / (i + j + 1) for j in range(n)] for i in range(n)])
    got = to_np(B.svdvals(ref(h, "float64")))
    expected = np.linalg.svd(h, compute_uv=False)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-15)
