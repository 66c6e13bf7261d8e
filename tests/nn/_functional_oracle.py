"""Helpers for the ``ember.nn.functional`` tests: run the same function in Ember and in
PyTorch on the same numpy inputs, compare the outputs, then backpropagate the same random
cotangent through both and compare every input gradient."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import ember

TOL = {"float64": (1e-10, 1e-12), "float32": (2e-5, 2e-6)}


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def randn(*shape: int, seed: int = 0, dtype: Any = np.float64) -> np.ndarray:
    """A reproducible standard-normal numpy array."""
    return rng(seed).standard_normal(shape).astype(dtype)


def _flat(out: Any) -> list:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _np(t: Any) -> np.ndarray:
    if isinstance(t, ember.Tensor):
        return np.asarray(t.detach().cpu().tolist(), dtype=t.dtype.name if t.dtype.name !=
                          "bool" else bool)
    return t.detach().numpy()


def check(torch: Any, fe: Callable, ft: Callable, *arrays: np.ndarray, grad: bool = True,
          requires_grad: Sequence[bool] | None = None, rtol: float | None = None,
          atol: float | None = None, device: str = "cpu", seed: int = 1) -> list:
    """Compare ``fe(*ember_inputs)`` with ``ft(*torch_inputs)`` (values, shapes, dtypes) and,
    with ``grad``, the gradients of the floating inputs (or those ``requires_grad`` marks).
    Returns the ember outputs."""
    if requires_grad is None:
        requires_grad = [a.dtype.kind == "f" for a in arrays]
    flags = [grad and bool(r) for r in requires_grad]
    t_in = [torch.tensor(a, requires_grad=f) for a, f in zip(arrays, flags)]
    e_in = [ember.tensor(a, device=device, requires_grad=f) for a, f in zip(arrays, flags)]
    t_out, e_out = _flat(ft(*t_in)), _flat(fe(*e_in))
    assert len(t_out) == len(e_out)
    dt = next((str(t.dtype).replace("torch.", "") for t in t_out
               if t.is_floating_point()), "float64")
    r0, a0 = TOL.get(dt, (0, 0))
    rtol = r0 if rtol is None else rtol
    atol = a0 if atol is None else atol
    for t, e in zip(t_out, e_out):
        assert tuple(e.shape) == tuple(t.shape), (tuple(e.shape), tuple(t.shape))
        assert e.dtype.name == str(t.dtype).replace("torch.", ""), (e.dtype, t.dtype)
        np.testing.assert_allclose(_np(e), _np(t), rtol=rtol, atol=atol)
    if not grad:
        return e_out
    gen = rng(seed)
    t_loss: Any = 0
    e_loss: Any = 0
    for t, e in zip(t_out, e_out):
        if t.requires_grad:
            g = gen.standard_normal(tuple(t.shape)).astype(_np(t).dtype)
            t_loss = t_loss + (t * torch.tensor(g)).sum()
            e_loss = e_loss + (e * ember.tensor(g, device=device)).sum()
    assert not isinstance(t_loss, int), "nothing to differentiate"
    t_loss.backward()
    e_loss.backward()
    for i, (t, e) in enumerate(zip(t_in, e_in)):
        if not t.requires_grad:
            continue
        if t.grad is None:
            assert e.grad is None or not np.any(_np(e.grad)), f"input {i}"
            continue
        assert e.grad is not None, f"input {i} got no gradient"
        np.testing.assert_allclose(_np(e.grad), _np(t.grad), rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {i}")
    return e_out


def raises_like(torch: Any, fe: Callable, ft: Callable, *arrays: np.ndarray) -> Exception:
    """Both raise the same exception type with the same message; returns Ember's."""
    t_exc = e_exc = None
    try:
        ft(*[torch.tensor(a) for a in arrays])
    except Exception as exc:  # noqa: BLE001 - the oracle decides what is expected
        t_exc = exc
    try:
        fe(*[ember.tensor(a) for a in arrays])
    except Exception as exc:  # noqa: BLE001
        e_exc = exc
    assert t_exc is not None, "PyTorch did not raise"
    assert e_exc is not None, f"Ember did not raise (PyTorch: {t_exc!r})"
    assert isinstance(e_exc, type(t_exc)), (e_exc, t_exc)
    assert str(e_exc) == str(t_exc).replace("torch.Size", "ember.Size"), (str(e_exc),
                                                                         str(t_exc))
    return e_exc
