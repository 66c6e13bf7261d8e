"""Gradients of every differentiable op of the op database, on the backend under test.

For each float64 and complex128 sample case (its floating and complex tensor inputs made
leaves that require grad; complex gradients by PyTorch's convention):

* ``test_grad_recorded`` -- every floating output has a ``grad_fn`` unless the op is
  declared non-differentiable (:data:`~._grads.NON_DIFFERENTIABLE`), so a missing backward
  fails;
* ``test_gradcheck`` -- the engine's gradient against central differences (PyTorch's fast
  mode: ``v^T J u`` for random ``u``, ``v``);
* ``test_grad_reference`` -- the gradient of a weighted sum of the outputs equals the
  reference backend's;
* ``test_gradgradcheck`` -- second derivatives by finite differences of the first, for
  every differentiable op;
* ``test_grad_oracle_torch`` -- with ``--ember-oracle torch``, the gradients and the
  ``grad_fn`` name against PyTorch's;
* ``test_gradgrad_oracle_torch`` -- with ``--ember-oracle torch``, second derivatives (a
  Hessian-vector product through double backward) against PyTorch's.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._compare import compare, resolve, to_host
from ._grads import (
    COMPOSITE_IN_TORCH,
    KINKED_CASES,
    PIECEWISE_CONSTANT,
    TORCH_SECOND_ORDER_WRONG,
    build_leaves,
    finite,
    grad_cases,
    non_differentiable,
    outputs,
    second_order_grads,
    weighted_grads,
)
from .opdb import Case

CASES = [pytest.param(c, id=c.id) for c in grad_cases()]
#: Finite differences need finite inputs away from kinks: nan/inf cases are left out.
SMOOTH = [p for p in CASES if finite(p.values[0]) and p.values[0].op not in PIECEWISE_CONSTANT
          and p.values[0].id not in KINKED_CASES]
DOUBLE = [p for p in SMOOTH if non_differentiable(p.values[0]) is None]


def _run(case: Case, ns: Any, device: str) -> tuple[list, Any]:
    leaves, args, kwargs = build_leaves(case, ns, device)
    fn = case.call or (lambda ns_, *a, **k: resolve(ns_, case.op)(*a, **k))
    return leaves, (lambda *xs: fn(ns, *_swap(args, leaves, xs), **kwargs)), args


def _swap(args: list, leaves: list, new: tuple) -> list:
    ids = {id(t): n for t, n in zip(leaves, new)}
    out = []
    for a in args:
        if isinstance(a, list | tuple):
            out.append(type(a)(ids.get(id(x), x) for x in a))
        else:
            out.append(ids.get(id(a), a))
    return out


def _require_grad(case: Case, ns: Any, device: str) -> tuple[list, Any, list]:
    leaves, fn, _ = _run(case, ns, device)
    if not leaves:
        pytest.skip("no floating tensor input")
    outs = outputs(fn(*leaves))
    if not outs:
        pytest.skip("no floating output (integer/bool results are not differentiable)")
    return leaves, fn, outs


@pytest.mark.parametrize("case", CASES)
def test_grad_recorded(case: Case, ember_suite: Any, device: str) -> None:
    import ember

    leaves, _, outs = _require_grad(case, ember, device)
    missing = [i for i, o in enumerate(outs) if o.grad_fn is None]
    if non_differentiable(case):
        # no gradient at all, or (as PyTorch) a node whose backward refuses to run
        for o in outs:
            if o.grad_fn is not None:
                with pytest.raises((RuntimeError, NotImplementedError)):
                    ember.autograd.grad(o.sum(), leaves, allow_unused=True)
        return
    assert not missing, f"{case.op}: outputs {missing} have no grad_fn (backward missing)"


def _smooth(outs: list) -> None:
    if not all(bool(o.isfinite().all()) for o in outs):
        pytest.skip("an output is nan or inf here: no derivative to check")


def _differentiable(case: Case) -> None:
    reason = non_differentiable(case)
    if reason:
        pytest.skip(f"{case.op} is not differentiable ({reason})")


@pytest.mark.parametrize("case", SMOOTH)
def test_gradcheck(case: Case, ember_suite: Any, device: str) -> None:
    import ember

    _differentiable(case)
    leaves, fn, outs = _require_grad(case, ember, device)
    _smooth(outs)
    ember.manual_seed(0)
    assert ember.autograd.gradcheck(fn, tuple(leaves), fast_mode=True, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("case", CASES)
def test_grad_reference(case: Case, ember_suite: Any, device: str,
                        reference_device: str) -> None:
    import ember

    _differentiable(case)
    if device == reference_device:
        pytest.skip("the backend under test is the reference backend itself")
    got = to_host(weighted_grads(*_require_grad(case, ember, device)[:2]))
    want = to_host(weighted_grads(*_require_grad(case, ember, reference_device)[:2]))
    compare(got, want, case)


@pytest.mark.parametrize("case", DOUBLE)
def test_gradgradcheck(case: Case, ember_suite: Any, device: str) -> None:
    import ember

    leaves, fn, outs = _require_grad(case, ember, device)
    _smooth(outs)
    ember.manual_seed(0)
    assert ember.autograd.gradgradcheck(fn, tuple(leaves), fast_mode=True, atol=1e-6,
                                        rtol=1e-4)


@pytest.mark.parametrize("case", CASES)
def test_grad_oracle_torch(case: Case, ember_suite: Any, device: str) -> None:
    """Collected only with ``--ember-oracle torch``."""
    torch = pytest.importorskip(
        "torch", reason="--ember-oracle torch: PyTorch is not installed (pip install torch)")
    import ember

    _differentiable(case)
    if not case.oracle:
        pytest.skip(f"PyTorch differs by design: {case.note or 'see the op database'}")
    leaves, fn, outs = _require_grad(case, ember, device)
    tleaves, tfn, touts = _require_grad(case, torch, "cpu")
    compare(to_host(weighted_grads(leaves, fn)), to_host(weighted_grads(tleaves, tfn)), case)
    if case.op not in COMPOSITE_IN_TORCH:
        assert [o.grad_fn.name() for o in outs] == [o.grad_fn.name() for o in touts], (
            f"{case.op}: grad_fn names differ from PyTorch's")


@pytest.mark.parametrize("case", DOUBLE)
def test_gradgrad_oracle_torch(case: Case, ember_suite: Any, device: str) -> None:
    """Collected only with ``--ember-oracle torch``."""
    torch = pytest.importorskip(
        "torch", reason="--ember-oracle torch: PyTorch is not installed (pip install torch)")
    import ember

    if not case.oracle:
        pytest.skip(f"PyTorch differs by design: {case.note or 'see the op database'}")
    if case.id in TORCH_SECOND_ORDER_WRONG:
        pytest.skip(TORCH_SECOND_ORDER_WRONG[case.id])
    leaves, fn, outs = _require_grad(case, ember, device)
    _smooth(outs)
    tleaves, tfn, _ = _require_grad(case, torch, "cpu")
    try:
        want = second_order_grads(tleaves, tfn)
    except (RuntimeError, NotImplementedError) as exc:
        pytest.skip(f"PyTorch has no second derivative here: {str(exc).splitlines()[0]}")
    compare(to_host(second_order_grads(leaves, fn)), to_host(want), case)
