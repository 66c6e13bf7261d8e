"""Gradients of sorting, selection and scan ops against PyTorch 2.13: sort, msort, topk,
kthvalue, median, nanmedian, mode, cummax/cummin, cumsum, cumprod, logcumsumexp, diff --
grad_fn names, first-order gradients of a weighted sum and second-order gradients for a
representative subset, on float64. unique records a node whose backward raises, and the
integer results (argsort, searchsorted, bucketize) carry no gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch", reason="PyTorch is the differential-testing oracle")

from _grad_oracle import check  # noqa: E402

S = (3, 4)
ZEROS = [[1.0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 1, 0]]
TIES = [[1.0, 3, 3, 2], [0, 0, 0, 0], [5, 1, 5, 6]]
CASES = {
    "sort": (lambda m, a: (a * a).sort(1), [S], True),
    "sort-descending-dim0": (lambda m, a: m.sort(a, dim=0, descending=True), [S], False),
    "sort-stable": (lambda m, a: m.sort(a * a, stable=True, dim=-2), [S], True),
    "sort-T": (lambda m, a: a.t().sort(0).values, [S], False),
    "sort-0d": (lambda m, a: (a.sum() * 2).sort(), [S], False),
    "msort": (lambda m, a: m.msort(a * a), [S], True),
    "topk": (lambda m, a: (a * a).topk(2), [S], True),
    "topk-smallest-dim0": (lambda m, a: a.topk(2, dim=0, largest=False), [S], False),
    "topk-empty": (lambda m, a: a.topk(0), [S], False),
    "kthvalue": (lambda m, a: (a * a).kthvalue(2, 0), [S], True),
    "kthvalue-keepdim": (lambda m, a: a.kthvalue(2, -1, True), [S], False),
    "median": (lambda m, a: (a * a).median(), [S], True),
    "median-dim": (lambda m, a: a.median(1), [S], False),
    "median-ties": (lambda m, a: (a * 0 + 1).median(), [S], False),
    "nanmedian": (lambda m, a: a.nanmedian(), [S], False),
    "nanmedian-dim": (lambda m, a: (a * a).nanmedian(0, keepdim=True), [S], True),
    "mode": (lambda m, a: (a * 2).round().mode(1), [S], False),
    "cummax": (lambda m, a: (a * a).cummax(1), [S], True),
    "cummin": (lambda m, a: a.t().cummin(0), [S], False),
    "cummax-ties": (lambda m, a: (a * 0 + m.tensor(TIES, dtype=m.float64)).cummax(1), [S],
                    False),
    "cumsum": (lambda m, a: (a * a).cumsum(-1), [S], True),
    "cumsum-0d": (lambda m, a: a.sum().cumsum(0), [S], False),
    "cumprod": (lambda m, a: (a * a).cumprod(1), [S], True),
    "cumprod-zeros": (lambda m, a: (a * m.tensor(ZEROS, dtype=m.float64)).cumprod(1), [S], True),
    "cumprod-zeros-dim0": (lambda m, a: (a * m.tensor(ZEROS, dtype=m.float64)).cumprod(0), [S],
                           True),
    "cumprod-T": (lambda m, a: a.t().cumprod(-1), [S], False),
    "logcumsumexp": (lambda m, a: (a * a).logcumsumexp(1), [S], True),
    "logcumsumexp-dim0": (lambda m, a: (a * 3).logcumsumexp(0), [S], False),
    "diff": (lambda m, a: m.diff(a * a, n=2, dim=0), [S], True),
    "diff-prepend-append": (lambda m, a, b, c: m.diff(a, dim=0, prepend=b, append=c),
                            [S, (2, 4), (1, 4)], False),
    "argsort-searchsorted-bucketize": (
        lambda m, a, v: a * (m.argsort(a) + m.searchsorted(v.sort()[0], a)
                             + m.bucketize(a, v.sort()[0])), [S, (6,)], False),
}


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_torch(name):
    fn, shapes, second = CASES[name]
    check(fn, *shapes, second=second)


@pytest.mark.parametrize("name", ["sort", "topk", "cummax", "cumsum", "cumprod-zeros",
                                  "logcumsumexp", "diff"])
def test_reference_backend_gradients_match_torch(name):
    fn, shapes, second = CASES[name]
    check(fn, *shapes, second=second, device="ref")


def test_cumsum_to_float32_matches_torch():
    check(lambda m, a: a.cumsum(0, dtype=m.float32), S, rtol=1e-6)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # the forward's nan * 0
def test_cumprod_gradient_past_a_zero_ignores_inf_and_nan_as_torch():
    data = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 100.0]
    grads = []
    for m in (ember, torch):
        x = m.tensor(data, dtype=m.float64, requires_grad=True)
        x.cumprod(0).sum().backward()
        grads.append(x.grad.tolist())
    np.testing.assert_array_equal(grads[0], grads[1])


@pytest.mark.parametrize("call,name,fname", [
    (lambda x: ember.unique(x), "Unique2Backward0", "_unique2"),
    (lambda x: ember.unique(x, dim=0), "UniqueDimBackward0", "unique_dim"),
    (lambda x: ember.unique_consecutive(x), "UniqueConsecutiveBackward0", "unique_consecutive"),
])
def test_unique_records_a_node_whose_backward_raises(call, name, fname):
    x = ember.tensor([[2.0, 1.0], [2.0, 1.0]], requires_grad=True)
    out = call(x)
    assert out.grad_fn.name() == name
    with pytest.raises(NotImplementedError, match=f"the derivative for '{fname}' is not"):
        out.sum().backward()


def test_indices_and_searches_carry_no_gradient():
    x = ember.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = x.sort()
    assert values.grad_fn.name() == "SortBackward0"
    for t in (indices, x.argsort(), x.topk(2).indices, x.cummax(0).indices,
              ember.searchsorted(values.detach(), x), ember.bucketize(x, values.detach())):
        assert t.grad_fn is None and not t.requires_grad


def test_no_grad_records_nothing():
    x = ember.ones(2, 3, requires_grad=True)
    with ember.no_grad():
        outs = [x.sort()[0], x.topk(1)[0], x.cumsum(1), x.cumprod(1), x.cummax(1)[0],
                x.logcumsumexp(1), ember.diff(x)]
    assert all(o.grad_fn is None for o in outs)
