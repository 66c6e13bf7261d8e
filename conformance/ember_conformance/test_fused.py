"""Every optional fused kernel a backend declares agrees with the composite of primitives
that the frontend runs without it (DESIGN.md section 4: "Both paths are checked by the
conformance suite").

Where the frontend uses the kernel (``einsum``, ``logsumexp``, ``binary_into``), the same
frontend call runs twice: as the backend declares itself, and with the kernel hidden from
``capabilities`` so the composite runs. ``softmax``/``log_softmax`` are compared directly
with ``nn.functional``'s composite. A kernel the backend does not declare is skipped with
that reason: the composite is what runs there, and every other test covers it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from .opdb import tolerance

FLOATS = ("float32", "float64")


def _backend(device: str) -> Any:
    import ember
    from ember.backend import registry

    return registry.backend(ember.device(device))


def _require(device: str, kernel: str) -> Any:
    be = _backend(device)
    if kernel not in be.capabilities:
        pytest.skip(f"backend {be.name!r} does not declare the optional kernel {kernel!r}: "
                    f"the frontend's composite runs there (covered by the op tests)")
    return be


@contextmanager
def _hidden(be: Any, kernel: str) -> Iterator[None]:
    """The backend as if it lacked ``kernel`` (its instance's ``capabilities`` only)."""
    saved = be.__dict__.get("capabilities")
    be.capabilities = frozenset(be.capabilities) - {kernel}
    try:
        yield
    finally:
        if saved is None:
            del be.capabilities
        else:
            be.capabilities = saved


def _values(t: Any) -> list[float]:
    return [float(v) for v in t.reshape(-1).tolist()]


def _close(got: list[float], want: list[float], dtype: str, what: str) -> None:
    tol = tolerance(dtype)
    rtol, atol = tol.rtol, tol.atol
    assert len(got) == len(want), what
    for i, (g, w) in enumerate(zip(got, want)):
        if math.isnan(w) or math.isinf(w):
            assert g == w or (math.isnan(g) and math.isnan(w)), f"{what}[{i}]: fused {g}, " \
                f"composite {w}"
        else:
            assert abs(g - w) <= atol + rtol * abs(w), f"{what}[{i}]: fused {g}, composite {w}"


def _both(be: Any, kernel: str, run: Callable[[], Any]) -> tuple[list[float], list[float]]:
    fused = _values(run())
    with _hidden(be, kernel):
        composite = _values(run())
    return fused, composite


def _data(ember: Any, device: str, dtype: str, shape: tuple, seed: int) -> Any:
    g = ember.Generator().manual_seed(seed)
    return (ember.randn(shape, generator=g, dtype=ember.float64) * 2).to(
        device=device, dtype=getattr(ember, dtype))


INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "add_": lambda x, o: x.add_(o),
    "add_-alpha": lambda x, o: x.add_(o, alpha=-0.5),
    "sub_-scalar": lambda x, o: x.sub_(3),
    "mul_-broadcast": lambda x, o: x.mul_(o[0]),
    "div_": lambda x, o: x.div_(o.abs() + 1),
    "addcmul_": lambda x, o: x.addcmul_(o, o, value=0.25),
    "addcdiv_": lambda x, o: x.addcdiv_(o, o.abs() + 1, value=-2),
    "lerp_-low": lambda x, o: x.lerp_(o, 0.2),
    "lerp_-high": lambda x, o: x.lerp_(o, 0.9),
    "strided-view": lambda x, o: x.t()[::2].add_(o.t()[::2]),
    "overlap": lambda x, o: x[:, 1:].add_(x[:, :-1]),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", list(INPLACE))
def test_binary_into_matches_the_copying_composite(device: str, dtype: str, case: str) -> None:
    import ember

    be = _require(device, "binary_into")

    def run() -> Any:
        x = _data(ember, device, dtype, (4, 6), 0)
        with ember.no_grad():
            INPLACE[case](x, _data(ember, device, dtype, (4, 6), 1))
        return x

    fused, composite = _both(be, "binary_into", run)
    assert fused == composite, f"binary_into {case}: {fused} != {composite} (bit for bit)"


UNARY_INTO = ("sqrt", "exp", "log", "neg", "tanh", "sin")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", UNARY_INTO)
def test_unary_into_writes_the_kernels_result(device: str, dtype: str, op: str) -> None:
    import ember

    be = _require(device, "unary_into")
    x = _data(ember, device, dtype, (4, 6), 2).abs() + 0.5  # inside every domain
    out = ember.full((4, 6), 7.0, device=device, dtype=getattr(ember, dtype))
    be.unary_into(op, out._data, x._data)
    got, want = _values(out), _values(getattr(ember, op)(x))  # the op: the kernel, fresh
    assert got == want, f"unary_into {op}: {got} != {want} (bit for bit)"


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kernel", ["unary_into", "binary_into"])
def test_adam_update_matches_the_ops(device: str, dtype: str, kernel: str) -> None:
    """Adam's direct-kernel update (it uses both kernels) against the op-by-op path."""
    import ember

    be = _require(device, kernel)

    def run() -> Any:
        p = _data(ember, device, dtype, (4, 6), 3).requires_grad_()
        opt = ember.optim.Adam([p], lr=0.05)
        for seed in (4, 5, 6):
            p.grad = _data(ember, device, dtype, (4, 6), seed)
            opt.step()
        return p.detach()

    fused, composite = _both(be, kernel, run)
    assert fused == composite, f"Adam with {kernel}: {fused} != {composite} (bit for bit)"


EINSUM = {"matmul": ("ij,jk->ik", [(3, 4), (4, 5)]), "batch": ("bij,bjk->bik", [(2, 3, 4),
          (2, 4, 2)]), "trace": ("ii->", [(4, 4)]), "outer": ("i,j->ij", [(3,), (4,)]),
          "sum": ("ijk->j", [(2, 3, 4)])}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", list(EINSUM))
def test_einsum_matches_the_composite(device: str, dtype: str, case: str) -> None:
    import ember

    be = _require(device, "einsum")
    eq, shapes = EINSUM[case]
    args = [_data(ember, device, dtype, s, i) for i, s in enumerate(shapes)]
    fused, composite = _both(be, "einsum", lambda: ember.einsum(eq, *args))
    _close(fused, composite, dtype, f"einsum {eq}")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dims", [(1,), (0, 1), (-1,)], ids=str)
@pytest.mark.parametrize("special", ["finite", "inf-row"])
def test_logsumexp_matches_the_composite(device: str, dtype: str, dims: tuple,
                                         special: str) -> None:
    import ember

    be = _require(device, "logsumexp")
    x = _data(ember, device, dtype, (3, 5), 2)
    if special == "inf-row":
        x[1] = float("-inf")
        x[2, 0] = float("inf")
    fused, composite = _both(be, "logsumexp", lambda: ember.logsumexp(x, dims))
    _close(fused, composite, dtype, f"logsumexp dims={dims}")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kernel", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [0, 1])
def test_softmax_kernels_match_nn_functional(device: str, dtype: str, kernel: str,
                                             axis: int) -> None:
    import ember
    import ember.nn.functional as F

    be = _require(device, kernel)
    x = _data(ember, device, dtype, (4, 5), 3) * 10
    want = _values(getattr(F, kernel)(x, dim=axis))
    raw = be.from_list(x.tolist(), tuple(x.shape), x.dtype)
    got = be.to_list(getattr(be, kernel)(raw, axis))
    flat = [float(v) for row in got for v in row]
    _close(flat, want, dtype, f"{kernel} axis={axis}")
