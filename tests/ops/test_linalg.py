"""Linear algebra against PyTorch: products, einsum, tensordot, kron, determinants, inverses,
solves, norms; values, dtypes, shapes and PyTorch's error messages."""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")


def _helpers():
    """The differential helpers of ``test_reduction.py`` (tests/ is not a package)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "_ember_reduction_tests", Path(__file__).with_name("test_reduction.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.pair, mod.raises_like, mod.run, mod.same


pair, raises_like, run, same = _helpers()

RNG = np.random.default_rng(1)


def rand(*shape):
    return RNG.standard_normal(shape).round(3)


def well_conditioned(*shape):
    a = RNG.standard_normal(shape)
    n = shape[-1]
    return a + n * np.eye(n)


# ---------------------------------------------------------------------------- matmul family
@pytest.mark.parametrize("sa,sb", [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((5, 1, 2, 3), (4, 3, 2)), ((3,), (5, 3, 2)),
    ((5, 2, 3), (3,)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
])
def test_matmul_shapes(sa, sb):
    run(lambda m, a, b: m.matmul(a, b), rand(*sa), rand(*sb))
    run(lambda m, a, b: a.matmul(b), rand(*sa), rand(*sb), dtype="float64")


@pytest.mark.parametrize("dtype", ["int64", "int32", "float16", "bfloat16", "float64"])
def test_matmul_dtypes(dtype):
    a, b = RNG.integers(-4, 5, (3, 4)), RNG.integers(-4, 5, (4, 2))
    run(lambda m, x, y: m.matmul(x, y), a, b, dtype=dtype)
    run(lambda m, x, y: m.mm(x, y), a, b, dtype=dtype)
    run(lambda m, x, y: m.mv(x, y[:, 0]), a, b, dtype=dtype)
    run(lambda m, x, y: m.dot(x[0], y[:, 0]), a, b, dtype=dtype)


@pytest.mark.parametrize("fn,sa,sb", [
    ("matmul", (3,), (4,)), ("matmul", (3,), (2, 3)), ("matmul", (2, 3), (2,)),
    ("matmul", (2, 3), (2, 3)), ("matmul", (5, 2, 3), (2, 3)), ("matmul", (5, 2, 3), (4, 3, 3)),
    ("matmul", (5, 2, 3), (5, 4, 3)), ("matmul", (3,), (2, 4, 3)), ("matmul", (2, 4, 3), (2,)),
    ("matmul", (), (3,)), ("mm", (3,), (3, 3)), ("mm", (3, 3), (3,)), ("mm", (2, 3), (2, 3)),
    ("bmm", (3, 3), (3, 3)), ("bmm", (2, 3, 3), (3, 3)), ("bmm", (2, 3, 3), (3, 3, 3)),
    ("bmm", (2, 3, 3), (2, 4, 3)), ("mv", (2, 3), (2,)), ("mv", (2, 3), (2, 3)),
    ("mv", (3,), (3,)), ("dot", (3,), (4,)), ("dot", (3, 3), (3,)), ("outer", (2, 3), (4,)),
    ("inner", (2, 3), (4,)),
])
def test_product_shape_errors_match_torch(fn, sa, sb):
    raises_like(lambda m, a, b: getattr(m, fn)(a, b), rand(*sa), rand(*sb), match=True)


def test_dtype_mismatch_errors():
    e, t = pair(rand(3)), pair(rand(3), "int64")
    with pytest.raises(RuntimeError, match="dot : expected both vectors to have same dtype, but "
                       "found Float and Long"):
        ember.dot(e[0], t[0])
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied \\(2x3 and "
                       "2x3\\)"):
        ember.mm(ember.ones(2, 3), ember.ones(2, 3))
    raises_like(lambda m, a, b: m.mm(a, b.double()), rand(3, 3), rand(3, 3), match=True)
    raises_like(lambda m, a, b: m.matmul(a, b.long()), rand(3, 3), rand(3, 3), match=True)
    raises_like(lambda m, a, b: m.matmul(a.bool(), b.bool()), rand(3, 3), rand(3, 3))


def test_vector_products():
    run(lambda m, a, b: m.dot(a, b), rand(5), rand(5))
    run(lambda m, a, b: m.vdot(a, b), rand(5), rand(5), dtype="float64")
    run(lambda m, a, b: m.outer(a, b), rand(3), rand(4))
    run(lambda m, a, b: m.ger(a, b), rand(3), rand(4))
    run(lambda m, a, b: m.outer(a, b.long()), rand(3), rand(4))
    run(lambda m, a, b: m.inner(a, b), rand(2, 3), rand(4, 3))
    run(lambda m, a, b: m.inner(a, b), rand(3), rand(3))
    run(lambda m, a, b: m.inner(a, b[0, 0]), rand(2, 3), rand(4, 3))
    e = ember.tensor([1 + 2j, 3j])
    t = torch.tensor([1 + 2j, 3j])
    same(ember.vdot(e, e), torch.vdot(t, t))


def test_fused_add_products():
    run(lambda m, c, a, b: m.addmm(c, a, b), rand(2, 4), rand(2, 3), rand(3, 4))
    run(lambda m, c, a, b: m.addmm(c, a, b, beta=0.5, alpha=2), rand(4), rand(2, 3), rand(3, 4))
    run(lambda m, c, a, b: c.addmm(a, b, beta=0), rand(2, 4) * np.nan, rand(2, 3), rand(3, 4))
    run(lambda m, c, a, b: m.addmv(c, a, b, alpha=3), rand(2), rand(2, 3), rand(3))
    run(lambda m, c, a, b: m.baddbmm(c, a, b, beta=2), rand(5, 2, 4), rand(5, 2, 3),
        rand(5, 3, 4))
    run(lambda m, c, a, b: m.addbmm(c, a, b), rand(2, 4), rand(5, 2, 3), rand(5, 3, 4))


# ---------------------------------------------------------------------------- einsum
@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]), ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]), ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(3,), (4,)]), ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]), ("...ij,...jk", [(2, 5, 2, 3), (5, 3, 4)]),
    ("b...,b->...", [(2, 3, 4), (2,)]), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("iij->j", [(3, 3, 2)]), ("ab,ab->a", [(3, 4), (3, 4)]), ("Ba,aB", [(2, 3), (3, 2)]),
    ("i j , j k -> i k", [(2, 3), (3, 4)]), ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),
    ("ij,ij,ij->i", [(2, 3), (2, 3), (2, 3)]), ("i,i,i", [(4,), (4,), (4,)]),
    ("ij,kj->ikj", [(2, 3), (4, 3)]), ("ijk->kji", [(2, 3, 4)]), ("...->...", [(2, 3)]),
    ("ij,jk->ik", [(2, 0), (0, 4)]), ("i,i->i", [(1,), (4,)]),
])
def test_einsum(eq, shapes):
    run(lambda m, *xs: m.einsum(eq, *xs), *[rand(*s) for s in shapes])
    if len(shapes) == 2:
        run(lambda m, *xs: m.einsum(eq, list(xs)), *[rand(*s) for s in shapes], dtype="float64")


def test_einsum_integers():
    run(lambda m, a, b: m.einsum("ij,jk->ik", a, b), RNG.integers(-3, 4, (2, 3)),
        RNG.integers(-3, 4, (3, 2)), dtype="int64")


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(2, 3)]), ("ij->k", [(2, 3)]), ("ij", [(2, 3, 4)]), ("i1", [(2, 3)]),
    ("ij->ii", [(2, 3)]), ("ii->i", [(2, 3)]), ("ij,jk", [(2, 3), (4, 4)]),
    ("i", [(2,), (2,)]),
])
def test_einsum_errors(eq, shapes):
    raises_like(lambda m, *xs: m.einsum(eq, *xs), *[rand(*s) for s in shapes], match=True)


# ---------------------------------------------------------------------------- tensordot, kron
@pytest.mark.parametrize("dims", [0, 1, 2, ([1, 0], [0, 1]), ([2], [1]), [[0], [0]]])
def test_tensordot(dims):
    a, b = rand(3, 4, 5), rand(4, 3, 5)
    if dims in (1, 2):
        a, b = rand(2, 4, 5), rand(4, 5, 3)
        if dims == 1:
            b = rand(5, 3)
    if dims == ([2], [1]):
        b = rand(2, 5, 2)
    if dims == [[0], [0]]:
        b = rand(3, 2)
    run(lambda m, x, y: m.tensordot(x, y, dims=dims), a, b)


def test_tensordot_errors():
    raises_like(lambda m, a, b: m.tensordot(a, b, dims=1), rand(2, 3), rand(4, 2), match=True)
    raises_like(lambda m, a, b: m.tensordot(a, b.double(), dims=1), rand(2, 3), rand(3, 2),
                match=True)


@pytest.mark.parametrize("sa,sb", [((2,), (3,)), ((2, 2), (3, 1)), ((2,), (2, 3)),
                                   ((2, 1, 3), (2, 2))])
def test_kron(sa, sb):
    run(lambda m, a, b: m.kron(a, b), rand(*sa), rand(*sb))
    run(lambda m, a, b: a.kron(b), RNG.integers(0, 4, sa), RNG.integers(0, 4, sb),
        dtype="int64")


# ---------------------------------------------------------------------------- matrix functions
@pytest.mark.parametrize("shape", [(3, 3), (1, 1), (2, 4, 4), (0, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_det_inv_slogdet(shape, dtype):
    a = well_conditioned(*shape) if shape[-1] else np.zeros(shape)
    run(lambda m, x: m.det(x), a, dtype=dtype)
    run(lambda m, x: m.linalg.det(x), a, dtype=dtype)
    run(lambda m, x: x.det(), a, dtype=dtype)
    if shape[-1]:
        run(lambda m, x: m.inverse(x), a, dtype=dtype, rtol=1e-4 if dtype == "float32" else None)
        run(lambda m, x: m.linalg.inv(x), a, dtype=dtype,
            rtol=1e-4 if dtype == "float32" else None)
        got, want = run(lambda m, x: m.slogdet(x), a, dtype=dtype)
        run(lambda m, x: m.linalg.slogdet(x), a, dtype=dtype)
        run(lambda m, x: m.logdet(x), a, dtype=dtype)


def test_slogdet_repr_and_negative_det():
    a = [[1.0, 2.0], [3.0, 4.0]]
    got, want = run(lambda m, x: m.slogdet(x), a)
    assert repr(got) == repr(want).replace("torch.", "ember.")
    got, want = run(lambda m, x: m.linalg.slogdet(x), a)
    assert type(got).__name__ == "linalg_slogdet"
    run(lambda m, x: m.logdet(x), a)
    run(lambda m, x: m.det(x), [[1.0, 2.0], [2.0, 4.0]])


def test_singular_inverse_message():
    sing = [[1.0, 2.0], [2.0, 4.0]]
    raises_like(lambda m, x: m.linalg.inv(x), sing, match=True)
    raises_like(lambda m, x: m.inverse(x), [sing, sing], match=True)
    raises_like(lambda m, x: m.linalg.inv(x), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0],
                                               [7.0, 8.0, 9.0]])
    with pytest.raises(RuntimeError, match="linalg.inv: The diagonal element 2 is zero"):
        ember.linalg.inv(ember.tensor(sing))
    assert issubclass(ember.linalg.LinAlgError, RuntimeError)


@pytest.mark.parametrize("fn", ["det", "inverse", "slogdet"])
def test_matrix_function_errors(fn):
    raises_like(lambda m, x: getattr(m, fn)(x), [[1, 2], [3, 4]], dtype="int64", match=True)
    raises_like(lambda m, x: getattr(m, fn)(x), rand(2, 3), match=True)
    raises_like(lambda m, x: getattr(m, fn)(x), rand(3), match=True)
    raises_like(lambda m, x: getattr(m, fn)(x), rand(2, 2), dtype="float16")


@pytest.mark.parametrize("bshape", [(3,), (3, 2), (4, 3), (4, 3, 2), (2, 1, 3, 1)])
def test_solve(bshape):
    a = well_conditioned(4, 3, 3) if len(bshape) > 2 and bshape[0] == 4 else well_conditioned(3, 3)
    run(lambda m, x, y: m.linalg.solve(x, y), a, rand(*bshape), rtol=1e-4)
    run(lambda m, x, y: m.linalg.solve(x, y), a, rand(*bshape), dtype="float64")


def test_solve_left_false_and_errors():
    a = well_conditioned(3, 3)
    run(lambda m, x, y: m.linalg.solve(x, y, left=False), a, rand(2, 3), rtol=1e-4)
    raises_like(lambda m, x, y: m.linalg.solve(x, y), [[1.0, 2.0], [2.0, 4.0]], rand(2),
                match=True)
    raises_like(lambda m, x, y: m.linalg.solve(x, y), rand(3, 3), rand(4), match=True)
    raises_like(lambda m, x, y: m.linalg.solve(x, y.double()), rand(3, 3), rand(3), match=True)
    raises_like(lambda m, x, y: m.linalg.solve(x, y), rand(3, 3), rand(3), dtype="int64",
                match=True)
    raises_like(lambda m, x, y: m.linalg.solve(x, y), rand(3), rand(3), match=True)


def test_svdvals_matrix_rank():
    run(lambda m, x: m.linalg.svdvals(x), rand(4, 3), rtol=1e-4)
    run(lambda m, x: m.linalg.svdvals(x), rand(2, 3, 5), dtype="float64")
    low = rand(5, 2) @ rand(2, 4)
    run(lambda m, x: m.linalg.matrix_rank(x), low, dtype="float64")
    run(lambda m, x: m.linalg.matrix_rank(x), rand(3, 4, 4))
    run(lambda m, x: m.linalg.matrix_rank(x, atol=1.0, rtol=0.0), rand(4, 4), dtype="float64")
    raises_like(lambda m, x: m.linalg.svdvals(x), rand(3), match=True)
    raises_like(lambda m, x: m.linalg.svdvals(x), [[1, 2]], dtype="int64", match=True)


# ---------------------------------------------------------------------------- norms
INF = float("inf")


@pytest.mark.parametrize("p", ["fro", 2, 1, INF, -INF, 0, 3, 0.5, -1, None])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_tensor_norm(p, dim, keepdim):
    x = rand(3, 4)
    x[1, 1] = 0.0
    if p == "fro" or p is None:
        run(lambda m, t: m.norm(t, p, dim, keepdim), x)
    elif dim == (0, 1) and p not in (2,):
        run(lambda m, t: m.norm(t, p, dim, keepdim), x)
    else:
        run(lambda m, t: t.norm(p, dim, keepdim), x)
        run(lambda m, t: m.norm(t, p=p, dim=dim, keepdim=keepdim), x, dtype="float64")


def test_norm_nuc_and_3d():
    run(lambda m, t: m.norm(t, "nuc"), rand(3, 4), rtol=1e-4)
    run(lambda m, t: m.norm(t, "nuc", dim=(1, 2)), rand(2, 3, 4), rtol=1e-4)
    run(lambda m, t: m.norm(t), rand(2, 3, 4))
    run(lambda m, t: m.norm(t, dim=(0, 2)), rand(2, 3, 4))
    run(lambda m, t: t.norm(1), rand(2, 3, 4))
    run(lambda m, t: m.norm(t), rand(3), dtype="float16")
    run(lambda m, t: m.norm(t, 2, dtype=m.float64), rand(3))
    e, t = ember.tensor([3 + 4j, 1j]), torch.tensor([3 + 4j, 1j])
    same(ember.norm(e), torch.norm(t))
    raises_like(lambda m, t: m.norm(t), [1, 2], dtype="int64", match=True)


@pytest.mark.parametrize("ord", [2, 1, INF, -INF, 0, 3.5, -2])
def test_vector_norm(ord):
    x = rand(3, 4, 2)
    run(lambda m, t: m.linalg.vector_norm(t, ord), x)
    run(lambda m, t: m.linalg.vector_norm(t, ord, dim=(0, 2), keepdim=True), x)
    run(lambda m, t: m.linalg.vector_norm(t, ord, dim=-1), x, dtype="float64")
    run(lambda m, t: m.linalg.vector_norm(t, ord), 2.5)


def test_vector_norm_empty():
    if True:
        raises_like(lambda m, t: m.linalg.vector_norm(t, INF), np.zeros(0), match=True)
        raises_like(lambda m, t: m.linalg.vector_norm(t, -INF), np.zeros(0), match=True)
    run(lambda m, t: m.linalg.vector_norm(t), np.zeros(0))
    run(lambda m, t: m.linalg.vector_norm(t, 1, dim=0), np.zeros((0, 3)))


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, INF, -INF])
def test_matrix_norm(ord):
    run(lambda m, t: m.linalg.matrix_norm(t, ord), rand(3, 4), rtol=1e-4)
    run(lambda m, t: m.linalg.matrix_norm(t, ord, dim=(2, 0), keepdim=True), rand(3, 4, 5),
        rtol=1e-4)
    run(lambda m, t: m.linalg.matrix_norm(t, ord), rand(2, 3, 3), dtype="float64")
    run(lambda m, t: m.linalg.norm(t, ord), rand(3, 4), rtol=1e-4)
    run(lambda m, t: m.linalg.norm(t, ord, dim=(0, 1)), rand(3, 4, 2), rtol=1e-4)


def test_linalg_norm_dispatch_and_errors():
    run(lambda m, t: m.linalg.norm(t), rand(2, 3, 4))
    run(lambda m, t: m.linalg.norm(t, dim=1), rand(2, 3, 4))
    run(lambda m, t: m.linalg.norm(t, 3, dim=(2,)), rand(2, 3, 4))
    run(lambda m, t: m.linalg.norm(t, INF), rand(5))
    run(lambda m, t: m.linalg.norm(t, keepdim=True), rand(2, 3))
    raises_like(lambda m, t: m.linalg.norm(t, ord=2), rand(2, 2, 2), match=True)
    raises_like(lambda m, t: m.linalg.norm(t, dim=(0, 1, 1)), rand(2, 2), match=True)
    raises_like(lambda m, t: m.linalg.matrix_norm(t), rand(2), match=True)
    raises_like(lambda m, t: m.linalg.matrix_norm(t, 3), rand(2, 2), match=True)
    raises_like(lambda m, t: m.linalg.matrix_norm(t, dim=(1, 1)), rand(2, 2), match=True)
    raises_like(lambda m, t: m.linalg.vector_norm(t), [1, 2], dtype="int64", match=True)


# ---------------------------------------------------------------------------- cross, dist, cdist
def test_cross_dist_cdist():
    run(lambda m, a, b: m.linalg.cross(a, b), rand(4, 3), rand(4, 3))
    run(lambda m, a, b: m.linalg.cross(a, b, dim=0), rand(3, 2), rand(3, 1))
    run(lambda m, a, b: m.cross(a, b, dim=1), rand(2, 3), rand(2, 3))
    run(lambda m, a, b: m.cross(a, b), rand(2, 3), rand(2, 3))
    run(lambda m, a, b: a.cross(b, dim=-1), RNG.integers(-3, 3, (2, 3)),
        RNG.integers(-3, 3, (2, 3)), dtype="int64")
    raises_like(lambda m, a, b: m.linalg.cross(a, b), rand(2, 3), rand(2, 4), match=True)
    for p in (2, 1, 0.5, INF, 0):
        run(lambda m, a, b, p=p: m.dist(a, b, p), rand(3, 4), rand(4))
        run(lambda m, a, b, p=p: m.cdist(a, b, p), rand(3, 4), rand(5, 4), rtol=1e-4,
            atol=1e-5)
    run(lambda m, a, b: m.cdist(a, b), rand(2, 3, 4), rand(2, 5, 4), rtol=1e-4, atol=1e-5)
    raises_like(lambda m, a, b: m.cdist(a, b), rand(3), rand(3), match=True)
    raises_like(lambda m, a, b: m.cdist(a, b), rand(2, 3), rand(2, 4), match=True)
    raises_like(lambda m, a, b: m.cdist(a, b), rand(2, 3), rand(2, 3), dtype="int64",
                match=True)
    raises_like(lambda m, a, b: m.dist(a, b), rand(2, 3), rand(2, 3), dtype="int64", match=True)


def test_linalg_registry_and_module():
    from ember._ops._registry import OPS

    for name in ("det", "inv", "solve", "norm", "vector_norm", "matrix_norm", "svdvals",
                 "slogdet", "cross", "matrix_rank"):
        assert f"ember.linalg.{name}" in OPS
        assert callable(getattr(ember.linalg, name))
    for name in ("matmul", "mm", "bmm", "einsum", "det", "inverse", "norm", "kron", "tensordot"):
        assert name in OPS and callable(getattr(ember, name))


# ---------------------------------------------------------------------------- reference backend
def _ref_available() -> bool:
    try:
        ember.tensor([1.0], device="ref")
    except Exception:
        return False
    return True


REF_CALLS = [
    "matmul(a, b)", "mm(a[0], b[0])", "bmm(a, b)", "mv(a[0], b[0, :, 0])",
    "dot(a[0, 0], b[0, :, 0])", "outer(a[0, 0], b[0, 0])", "einsum('bij,bjk->bik', a, b)",
    "einsum('bii->b', s)", "tensordot(a, b, ([1, 2], [2, 1]))", "kron(a[0], b[0])",
    "linalg.det(s)", "linalg.inv(s)", "linalg.solve(s, a.mT)", "linalg.norm(a)",
    "linalg.matrix_norm(a, 1)", "linalg.vector_norm(a, 3, dim=1)", "linalg.svdvals(a)",
    "norm(a, 'nuc', dim=(1, 2))", "slogdet(s)", "addmm(a[0, :, :2], a[0], b[0, :, :2])",
    "linalg.cross(a, a.flip(0))", "cdist(a, a)",
]


@pytest.mark.skipif(not _ref_available(), reason="reference backend (device 'ref') unavailable")
@pytest.mark.parametrize("call", REF_CALLS)
def test_reference_backend_matches_numpy_backend(call):
    a, b, s = rand(2, 3, 3), rand(2, 3, 3), well_conditioned(2, 3, 3)
    env_cpu = {"ember": ember, "a": ember.tensor(a.tolist()), "b": ember.tensor(b.tolist()),
               "s": ember.tensor(s.tolist())}
    env_ref = {"ember": ember, "a": ember.tensor(a.tolist(), device="ref"),
               "b": ember.tensor(b.tolist(), device="ref"),
               "s": ember.tensor(s.tolist(), device="ref")}
    want = eval("ember." + call, env_cpu)
    got = eval("ember." + call, env_ref)
    pairs = list(zip(got, want)) if isinstance(want, tuple) else [(got, want)]
    for g, w in pairs:
        assert g.device.type == "ref"
        assert g.dtype == w.dtype and tuple(g.shape) == tuple(w.shape)
        np.testing.assert_allclose(np.asarray(g.tolist(), dtype=float),
                                   np.asarray(w.tolist(), dtype=float), rtol=1e-4, atol=1e-5)
