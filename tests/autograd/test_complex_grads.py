"""Complex gradients against PyTorch: its conjugate Wirtinger convention (``dL/dx + i dL/dy``)
for holomorphic ops (conjugated formulas), for the non-holomorphic ``abs``, ``sgn``,
``angle``, ``real``, ``imag``, ``conj``, ``vdot``, and for graphs mixing real and complex
tensors (a real input takes the real part). Each case backpropagates a random complex (or
real) output gradient and compares every leaf's gradient; a subset goes to second order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

RNG = np.random.default_rng(7)


def _c(*shape: int) -> np.ndarray:
    return RNG.uniform(-1.5, 1.5, shape) + 1j * RNG.uniform(-1.5, 1.5, shape)


def _r(*shape: int) -> np.ndarray:
    return RNG.uniform(-1.5, 1.5, shape)


Z = _c(3, 4)
Z2 = _c(3, 4)
X = _r(3, 4)
SQ = _c(3, 3) + 3 * np.eye(3)
VEC = _c(3)
B3 = _c(2, 3, 3)
IDX = np.array([2, 0, 2])

#: name -> (function of (lib, *leaves), leaf arrays)
CASES: dict[str, tuple[Callable[..., Any], tuple[np.ndarray, ...]]] = {
    **{f: (lambda lib, z, f=f: getattr(lib, f)(z), (Z,)) for f in (
        "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan",
        "sinh", "cosh", "tanh", "sigmoid", "asin", "acos", "atan", "asinh", "acosh", "atanh",
        "reciprocal", "square", "neg", "abs", "sgn", "angle", "real", "imag", "conj")},
    "pow-int": (lambda lib, z: z ** 3, (Z,)),
    "pow-half": (lambda lib, z: z ** 0.5, (Z,)),
    "pow-complex-exponent": (lambda lib, z: z ** (0.5 - 1j), (Z,)),
    "pow-tensors": (lambda lib, z, w: z ** w, (Z, Z2 * 0.3)),
    "pow-scalar-base": (lambda lib, z: 2 ** z, (Z,)),
    "pow-complex-base": (lambda lib, x: (1 + 1j) ** x, (X,)),
    "add-alpha": (lambda lib, z, w: lib.add(z, w, alpha=2 - 1j), (Z, Z2)),
    "sub": (lambda lib, z, w: z - w, (Z, Z2)),
    "mul": (lambda lib, z, w: z * w, (Z, Z2)),
    "div": (lambda lib, z, w: z / w, (Z, Z2)),
    "mul-number": (lambda lib, z: z * (2 + 3j), (Z,)),
    "div-number": (lambda lib, z: (1 - 2j) / z, (Z,)),
    "rsub-number": (lambda lib, z: 1j - z, (Z,)),
    "addcmul": (lambda lib, z, a, b: lib.addcmul(z, a, b, value=0.5), (Z, Z2, X)),
    "addcdiv": (lambda lib, z, a, b: lib.addcdiv(z, a, b, value=2), (Z, Z2, Z + 2)),
    "abs-squared": (lambda lib, z: z.abs() ** 2, (Z,)),
    "z-times-conj": (lambda lib, z: z * z.conj(), (Z,)),
    "mixed-real-complex": (lambda lib, z, x: z * x + x.exp(), (Z, X)),
    "real-to-complex": (lambda lib, x: x.to(lib.complex128) * (1 + 2j), (X,)),
    "real-part-of-product": (lambda lib, z, x: (z * x).real * x, (Z, X)),
    "matmul": (lambda lib, a, b: a @ b, (Z, Z2.T.copy())),
    "mv": (lambda lib, a, v: lib.mv(a, v), (SQ, VEC)),
    "dot": (lambda lib, u, v: lib.dot(u, v), (VEC, VEC[::-1].copy())),
    "vdot": (lambda lib, u, v: lib.vdot(u, v), (VEC, VEC * 2j)),
    "bmm": (lambda lib, a, b: lib.bmm(a, b), (B3, B3 * 1j)),
    "addmm": (lambda lib, c, a, b: lib.addmm(c, a, b), (SQ, SQ, SQ.T.copy())),
    "einsum": (lambda lib, a, b: lib.einsum("ij,kj->ik", a, b), (Z, Z2)),
    "mixed-matmul": (lambda lib, a, x: a @ x.to(lib.complex128).T, (Z, X)),
    "sum": (lambda lib, z: z.sum(), (Z,)),
    "sum-dim": (lambda lib, z: z.sum(1), (Z,)),
    "mean": (lambda lib, z: z.mean(0), (Z,)),
    "prod": (lambda lib, z: z.prod(1), (Z,)),
    "cumsum": (lambda lib, z: z.cumsum(1), (Z,)),
    "cumprod": (lambda lib, z: z.cumprod(0), (Z,)),
    "trace": (lambda lib, a: lib.trace(a), (SQ,)),
    "reshape-transpose": (lambda lib, z: z.reshape(4, 3).t().permute(1, 0), (Z,)),
    "expand-squeeze": (lambda lib, z: z[:, None].expand(3, 2, 4).unsqueeze(0).squeeze(0),
                       (Z,)),
    "index": (lambda lib, z: z[lib.tensor(IDX), 1:], (Z,)),
    "select-slice": (lambda lib, z: z[1, ::2], (Z,)),
    "index-select-gather": (lambda lib, z: lib.gather(lib.index_select(z, 0, lib.tensor(IDX)),
                                                       1, lib.tensor([[0, 1]] * 3)), (Z,)),
    "flip-roll-repeat": (lambda lib, z: z.flip(0).roll(1, 1).repeat(2, 1), (Z,)),
    "cat-stack": (lambda lib, z, w: lib.stack([lib.cat([z, w]), lib.cat([w, z])]), (Z, Z2)),
    "split-unbind": (lambda lib, z: z.split(2, 1)[1] * z.unbind(1)[0][:, None], (Z,)),
    "clone-diagonal": (lambda lib, a: a.clone().diagonal() * lib.tril(a).sum(0), (SQ,)),
    "triu-mT": (lambda lib, a: lib.triu(a).mT, (SQ,)),
    "pad": (lambda lib, z: lib.nn.functional.pad(z, (1, 2)), (Z,)),
    "where": (lambda lib, z, w: lib.where(lib.tensor(X > 0), z, w), (Z, Z2)),
    "masked-fill-select": (lambda lib, z: lib.masked_select(
        z.masked_fill(lib.tensor(X > 0.5), 2j), lib.tensor(X < 1)), (Z,)),
    "var": (lambda lib, z: z.var(1), (Z,)),
    "std": (lambda lib, z: z.std(), (Z,)),
    "var-mean": (lambda lib, z: lib.var_mean(z, 0)[0] * lib.var_mean(z, 0)[1], (Z,)),
    "vector-norm-2": (lambda lib, z: lib.linalg.vector_norm(z, dim=1), (Z,)),
    "vector-norm-1": (lambda lib, z: lib.linalg.vector_norm(z, 1), (Z,)),
    "vector-norm-3": (lambda lib, z: lib.linalg.vector_norm(z, 3, dim=0), (Z,)),
    "vector-norm-inf": (lambda lib, z: lib.linalg.vector_norm(z, float("inf")), (Z,)),
    "dist": (lambda lib, z, w: lib.dist(z, w, 3), (Z, Z2)),
    "logsumexp": (lambda lib, z: lib.logsumexp(z, 1), (Z,)),
    "logcumsumexp": (lambda lib, z: lib.logcumsumexp(z * 0.5, 1), (Z,)),
    "det": (lambda lib, a: lib.linalg.det(a), (SQ,)),
    "inv": (lambda lib, a: lib.linalg.inv(a), (SQ,)),
    "slogdet": (lambda lib, a: lib.linalg.slogdet(a)[0] * (0.3 - 0.7j) + lib.linalg.slogdet(a)[1],
                (SQ,)),
    "svdvals": (lambda lib, a: lib.linalg.svdvals(a), (Z,)),
    "svdvals-wide": (lambda lib, a: lib.linalg.svdvals(a.T), (Z,)),
    "nuclear-norm": (lambda lib, a: lib.linalg.matrix_norm(a, "nuc"), (SQ,)),
    "spectral-norm": (lambda lib, a: lib.linalg.matrix_norm(a, 2), (Z,)),
    "logdet": (lambda lib, a: lib.logdet(a), (SQ,)),
    "slogdet-logabs": (lambda lib, a: lib.linalg.slogdet(a).logabsdet, (SQ,)),
    "solve": (lambda lib, a, b: lib.linalg.solve(a, b), (SQ, Z[:, :2].copy())),
    "lerp": (lambda lib, z, w: lib.lerp(z, w, 0.3), (Z, Z2)),
    "copy-into": (lambda lib, z, w: (z * 1).copy_(w.exp()), (Z, Z2)),
    "index-ops": (lambda lib, z, w: z.index_add(0, lib.tensor([1, 0]), w[:2]).scatter_add(
        0, lib.tensor([[2, 0, 1, 0]]), w[:1]).index_put((lib.tensor([2]),), w[2]), (Z, Z2)),
    "view-as-real": (lambda lib, z: lib.view_as_real(z) * lib.tensor(X[..., None]), (Z,)),
    "view-as-complex": (lambda lib, x: lib.view_as_complex(x.reshape(3, 2, 2)) * 1j, (X,)),
    "view-roundtrip": (lambda lib, z: lib.view_as_complex(lib.view_as_real(z.exp()) * 2), (Z,)),
    "complex": (lambda lib, a, b: lib.complex(a, b).exp(), (X, X[1])),
    "polar": (lambda lib, r, t: lib.polar(r, t), (X, X * 2)),
    "write-real-part": (lambda lib, z, x: _write_part(z, x, "real"), (Z, X)),
    "write-imag-part": (lambda lib, z, x: _write_part(z, x, "imag"), (Z, X)),
    "write-view-as-complex": (lambda lib, x, z: _write_pairs(lib, x, z), (X, Z[:, :2].copy())),
    "inplace-on-view": (lambda lib, z, w: _write_view(z, w), (Z, Z2)),
    "inplace-mul": (lambda lib, z: (z * 1).mul_(1 - 1j).exp_(), (Z,)),
}


def _write_view(z: Any, w: Any) -> Any:
    y = z * 1
    y[0] = w[1] * 2j
    return y.sin()


def _write_part(z: Any, x: Any, part: str) -> Any:
    y = z * 1
    getattr(y, part)[1:].mul_(x[1:] * 2)  # a write through the part view changes y
    getattr(y, part)[0] = x[0]
    return y * y


def _write_pairs(lib: Any, x: Any, z: Any) -> Any:
    y = x.reshape(3, 2, 2) * 1
    lib.view_as_complex(y)[:, 1] = z[:, 0] * z[:, 1]  # a complex write into real memory
    return y.sin()


def _run(lib: Any, fn: Callable, arrays: tuple, gout_seed: int) -> tuple[Any, list]:
    leaves = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = fn(lib, *leaves)
    rng = np.random.default_rng(gout_seed)
    shape = tuple(out.shape)
    gout = rng.uniform(-1, 1, shape)
    if out.is_complex():
        gout = gout + 1j * rng.uniform(-1, 1, shape)
    out.backward(lib.tensor(gout))
    return out, leaves


def _assert_close(got: Any, want: Any, what: str) -> None:
    assert (got is None) == (want is None), what
    if want is None:
        return
    assert str(got.dtype).split(".")[1] == str(want.dtype).split(".")[1], what
    np.testing.assert_allclose(got.detach().numpy(), want.detach().resolve_conj().numpy(),
                               rtol=1e-9,
                               atol=1e-10, err_msg=what)


@pytest.mark.parametrize("name", sorted(CASES))
def test_complex_gradient_matches_torch(name: str) -> None:
    fn, arrays = CASES[name]
    out, leaves = _run(ember, fn, arrays, 1)
    t_out, t_leaves = _run(torch, fn, arrays, 1)
    if name != "einsum":  # PyTorch composes einsum: its last node is an implementation detail
        assert out.grad_fn.name() == t_out.grad_fn.name()
    _assert_close(out, t_out, f"{name}: value")
    for i, (a, b) in enumerate(zip(leaves, t_leaves)):
        _assert_close(a.grad, b.grad, f"{name}: gradient of input {i}")


SECOND_ORDER = ("exp", "log", "sqrt", "sigmoid", "tanh", "abs", "sgn", "angle", "real", "imag",
                "conj", "mul", "div", "pow-tensors", "abs-squared", "mixed-real-complex",
                "matmul", "vdot", "prod", "logcumsumexp", "slogdet", "svdvals", "svdvals-wide",
                "nuclear-norm", "view-as-real", "view-as-complex",
                "complex", "polar", "write-real-part", "write-imag-part",
                "write-view-as-complex", "inplace-on-view")


def _second(lib: Any, fn: Callable, arrays: tuple) -> list:
    leaves = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = fn(lib, *leaves)
    loss = (out.abs() ** 2).sum() if out.is_complex() else (out * out).sum()
    grads = lib.autograd.grad(loss, leaves, create_graph=True)
    total = sum(((g * g.conj()).real * 0.5 + g.real * 0.25).sum() for g in grads)
    total.backward()
    return [t.grad for t in leaves]


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_complex_second_derivative_matches_torch(name: str) -> None:
    fn, arrays = CASES[name]
    got, want = _second(ember, fn, arrays), _second(torch, fn, arrays)
    for i, (a, b) in enumerate(zip(got, want)):
        _assert_close(a, b, f"{name}: second-order gradient of input {i}")


def test_backward_of_a_complex_scalar_needs_a_gradient() -> None:
    z = ember.tensor([1 + 1j], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for real scalar outputs but got "
                                           "ember.complex64"):
        (z * 2).sum().backward()


@pytest.mark.parametrize("fill", ["zero", "number", "tensor", "tensor-slice"])
def test_fill_and_zero_in_place_cut_the_gradient(fill: str) -> None:
    """Filling a non-leaf in place records a node (its old values get a zero gradient; a
    tensor value gets the summed gradient), named as PyTorch names it."""
    def run(lib: Any) -> tuple:
        x = lib.tensor([1.0, 2.0, -3.0], requires_grad=True)
        v = lib.tensor(1.5, requires_grad=True)
        y = x * 2
        {"zero": lambda: y.zero_(), "number": lambda: y.fill_(4.0),
         "tensor": lambda: y.fill_(v), "tensor-slice": lambda: y[1:].fill_(v)}[fill]()
        (y * y).sum().backward()
        return y.grad_fn.name(), x.grad, v.grad

    (name, gx, gv), (t_name, t_gx, t_gv) = run(ember), run(torch)
    assert name == t_name
    _assert_close(gx, t_gx, "self")
    _assert_close(gv, t_gv, "value")


class _NoConj(ember.autograd.Function):
    """``z * c`` with the real formula's gradient ``g * c`` (PyTorch's is ``g * conj(c)``)."""

    @staticmethod
    def forward(ctx: Any, z: Any) -> Any:
        return z * (2 + 1j)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        return g * (2 + 1j)


GRADCHECKED = ("exp", "sqrt", "abs", "sgn", "angle", "imag", "conj", "div", "pow-tensors",
               "mixed-real-complex", "real-to-complex", "matmul", "vdot", "prod", "var",
               "vector-norm-3", "inplace-on-view")


@pytest.mark.parametrize("fast", [False, True], ids=["full", "fast"])
@pytest.mark.parametrize("name", GRADCHECKED)
def test_gradcheck_takes_complex_inputs_and_outputs(name: str, fast: bool) -> None:
    fn, arrays = CASES[name]
    leaves = [ember.tensor(a, requires_grad=True) for a in arrays]
    ember.manual_seed(0)
    assert ember.autograd.gradcheck(lambda *xs: fn(ember, *xs), tuple(leaves), fast_mode=fast)


@pytest.mark.parametrize("fast", [False, True], ids=["full", "fast"])
def test_gradcheck_catches_a_missing_conjugate_as_torch_does(fast: bool) -> None:
    z = ember.tensor([1 + 2j, -0.5 + 1j], dtype=ember.complex128, requires_grad=True)
    assert not ember.autograd.gradcheck(_NoConj.apply, (z,), raise_exception=False,
                                        fast_mode=fast)

    class TorchNoConj(torch.autograd.Function):
        forward = staticmethod(lambda ctx, z: z * (2 + 1j))
        backward = staticmethod(lambda ctx, g: g * (2 + 1j))

    tz = torch.tensor([1 + 2j, -0.5 + 1j], dtype=torch.complex128, requires_grad=True)
    assert not torch.autograd.gradcheck(TorchNoConj.apply, (tz,), raise_exception=False,
                                        fast_mode=fast)


@pytest.mark.parametrize("name", ("exp", "abs", "sgn", "mul", "vdot", "mixed-real-complex"))
def test_gradgradcheck_takes_complex(name: str) -> None:
    fn, arrays = CASES[name]
    leaves = [ember.tensor(a.reshape(-1)[:3], requires_grad=True) for a in arrays]
    ember.manual_seed(0)
    assert ember.autograd.gradgradcheck(lambda *xs: fn(ember, *xs), tuple(leaves))
