"""Helpers for the layer tests: run the same layer in PyTorch and in Ember, with the torch
layer's initialised state copied into the ember one, and compare outputs and gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

import ember


def to_ember(t: Any, device: str = "cpu") -> ember.Tensor:
    """An ember tensor with the values of torch tensor ``t``."""
    return ember.tensor(t.detach().cpu().numpy(), device=device)


def copy_state(em: Any, tm: Any) -> None:
    """Load torch module ``tm``'s state dict into ember module ``em`` (strict)."""
    result = em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    assert not result.missing_keys and not result.unexpected_keys


def _flat(out: Any) -> list:
    return list(out) if isinstance(out, tuple | list) else [out]


def compare(torch: Any, em: Any, tm: Any, *inputs: np.ndarray, atol: float = 1e-5,
            rtol: float = 1e-4, grad: bool = True, device: str = "cpu",
            seed: int = 0, requires_grad: tuple[bool, ...] | None = None,
            **kwargs: Any) -> list:
    """Copy ``tm``'s state into ``em``, run both on ``inputs`` (numpy arrays; floating ones
    get ``requires_grad`` unless ``requires_grad`` says per input), compare outputs, then
    backpropagate the same random cotangent and compare the input and parameter gradients.
    Returns the ember outputs."""
    copy_state(em, tm)
    if device != "cpu":
        em.to(device)
    if requires_grad is None:
        requires_grad = tuple(a.dtype.kind == "f" for a in inputs)
    flags = [grad and r for r in requires_grad]
    t_in = [torch.tensor(a, requires_grad=f) for a, f in zip(inputs, flags)]
    e_in = [ember.tensor(a, device=device, requires_grad=f) for a, f in zip(inputs, flags)]
    t_out, e_out = _flat(tm(*t_in, **kwargs)), _flat(em(*e_in, **kwargs))
    assert len(t_out) == len(e_out)
    for t, e in zip(t_out, e_out):
        assert tuple(e.shape) == tuple(t.shape)
        assert e.dtype.name == str(t.dtype).replace("torch.", ""), (e.dtype, t.dtype)
        np.testing.assert_allclose(np.asarray(e.detach().cpu().tolist()),
                                   t.detach().numpy(), atol=atol, rtol=rtol)
    if not grad:
        return e_out
    rng = np.random.default_rng(seed)
    t_loss, e_loss = 0, 0
    for t, e in zip(t_out, e_out):
        if t.requires_grad:
            g = rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype)
            t_loss = t_loss + (t * torch.tensor(g)).sum()
            e_loss = e_loss + (e * ember.tensor(g, device=device)).sum()
    if isinstance(t_loss, int):
        return e_out
    t_loss.backward()
    e_loss.backward()
    for t, e in zip(t_in, e_in):
        if t.grad is not None:
            assert e.grad is not None
            np.testing.assert_allclose(np.asarray(e.grad.cpu().tolist()), t.grad.numpy(),
                                       atol=atol, rtol=rtol)
    t_params = dict(tm.named_parameters())
    for name, p in em.named_parameters():
        tg = t_params[name].grad
        if tg is None:
            assert p.grad is None, name
        else:
            assert p.grad is not None, name
            np.testing.assert_allclose(np.asarray(p.grad.cpu().tolist()), tg.numpy(),
                                       atol=atol, rtol=rtol, err_msg=name)
    return e_out


def randn(*shape: int, seed: int = 0, dtype: Any = np.float32) -> np.ndarray:
    """A reproducible standard-normal numpy array."""
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)
