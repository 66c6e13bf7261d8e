"""The direct in-place arithmetic (NOTE [ Writing in place ]) against PyTorch and against
Ember's general path: same values (bit for bit where the general path is the reference),
views, overlapping operands, broadcasting, scalars, dtypes, version counters and errors."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember._ops import _inplace_fast

DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "uint8"]

CALLS = [
    ("add_", lambda o: ((o,), {})),
    ("add_", lambda o: ((o,), {"alpha": 3})),
    ("sub_", lambda o: ((o,), {})),
    ("sub_", lambda o: ((o,), {"alpha": 2})),
    ("mul_", lambda o: ((o,), {})),
    ("div_", lambda o: ((o,), {})),
    ("addcmul_", lambda o: ((o, o), {"value": 2})),
    ("addcdiv_", lambda o: ((o, o + 1), {"value": -0.5})),
    ("lerp_", lambda o: ((o, 0.3), {})),
    ("lerp_", lambda o: ((o, 0.8), {})),
]


def _data(dtype: str, shape: tuple, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.integers(1, 5, shape) if dtype.startswith(("int", "uint"))
            else rng.uniform(0.5, 2.0, shape)).astype(np.float64)


def _pair(torch, dtype: str, a: np.ndarray):
    return (ember.tensor(a).to(getattr(ember, dtype)),
            torch.tensor(a).to(getattr(torch, dtype)))


def _general(monkeypatch):
    monkeypatch.setattr(_inplace_fast, "_target", lambda t: None)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("call", range(len(CALLS)), ids=lambda i: CALLS[i][0] + str(i))
@pytest.mark.parametrize("other_shape", [(4, 5), (5,), (1, 5)], ids=str)
def test_matches_torch_and_the_general_path(torch, monkeypatch, dtype, call, other_shape):
    name, make = CALLS[call]
    x, o = _data(dtype, (4, 5), 0), _data(dtype, other_shape, 1)
    ex, tx = _pair(torch, dtype, x)
    eo, to = _pair(torch, dtype, o)
    e_args, e_kw = make(eo)
    t_args, t_kw = make(to)

    def run(t, args, kw):
        try:
            return getattr(t, name)(*args, **kw), None
        except Exception as exc:  # noqa: BLE001 -- compared with PyTorch's below
            return None, type(exc)

    tr, terr = run(tx, t_args, t_kw)
    er, eerr = run(ex, e_args, e_kw)
    assert eerr is terr
    ex2 = ember.tensor(x).to(getattr(ember, dtype))
    eo2 = ember.tensor(o).to(getattr(ember, dtype))
    _general(monkeypatch)
    gr, gerr = run(ex2, *make(eo2))
    assert gerr is eerr
    if terr is not None:
        return
    assert er is ex and ex._version == 1
    assert ex.dtype == gr.dtype and ex.float().numpy().tobytes() == gr.float().numpy().tobytes()
    tol = {"float16": 2e-3, "bfloat16": 2e-2}.get(dtype, 1e-6)
    np.testing.assert_allclose(ex.double().numpy(), tr.double().numpy(), rtol=tol, atol=tol)


def test_writes_through_views_and_handles_overlap(monkeypatch):
    # A destination overlapping its operand reads the operand as it was before the op
    # (PyTorch's result there depends on its loop order; Ember's general path buffers).
    a = np.arange(12.0).reshape(3, 4)
    e = ember.tensor(a)
    e.t()[1:].add_(e.t()[:-1])
    expected = a.copy()
    expected[:, 1:] += a[:, :-1]
    np.testing.assert_array_equal(e.numpy(), expected)
    _general(monkeypatch)
    g = ember.tensor(a)
    g.t()[1:].add_(g.t()[:-1])
    np.testing.assert_array_equal(g.numpy(), expected)
    monkeypatch.undo()
    base = ember.zeros(6)
    view = base[::2]
    view.mul_(0).add_(ember.tensor([1.0, 2.0, 3.0]))
    assert base.tolist() == [1.0, 0.0, 2.0, 0.0, 3.0, 0.0]
    assert base._version == view._version == 2


def test_zero_dim_and_scalars(torch):
    e, t = ember.tensor(1.5, dtype=ember.float32), torch.tensor(1.5, dtype=torch.float32)
    for tensor in (e, t):
        tensor.add_(1).mul_(0.5).div_(3).sub_(2, alpha=0.25).lerp_(tensor * 0 + 4, 0.75)
    assert e.item() == t.item()


def test_falls_back_for_promotion_grad_and_bad_shapes(torch):
    i = ember.ones(3, dtype=ember.int64)
    with pytest.raises(RuntimeError, match="can't be cast"):
        i.add_(0.5)
    with pytest.raises(RuntimeError, match="can't be cast"):
        i.div_(2)
    f = ember.ones(3)
    f.add_(ember.ones(3, dtype=ember.float64))  # promotes then casts back: allowed
    assert f.tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(RuntimeError, match="must match the size"):
        f.mul_(ember.ones(4))
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        f.add_(ember.ones(2, 3))
    assert f.tolist() == [2.0, 2.0, 2.0]  # nothing written by a refused op
    leaf = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        leaf.add_(1)
    y = leaf * 2
    y.mul_(ember.tensor([3.0, 4.0]))  # recorded: the general path keeps the history
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert leaf.grad.tolist() == [6.0, 8.0]
    with ember.no_grad():
        leaf.add_(1)  # no grad mode: written directly
    assert leaf.tolist() == [2.0, 2.0] and leaf.grad_fn is None


def test_reference_backend_takes_the_general_path():
    r = ember.ones(3, device="ref")
    assert _inplace_fast._target(r) is None
    r.addcmul_(ember.ones(3, device="ref"), ember.full((3,), 2.0, device="ref"), value=0.5)
    assert r.tolist() == [2.0, 2.0, 2.0]
