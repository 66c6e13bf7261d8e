"""``gradcheck`` and ``gradgradcheck``: analytical gradients against finite differences.

As PyTorch's: the numerical Jacobian comes from central differences of ``func`` in the
inputs' own precision (use float64), the analytical one from the engine, one output element
at a time; a mismatch raises :class:`GradcheckError` (a ``RuntimeError``) with both
Jacobians, or returns False with ``raise_exception=False``.

Complex tensors count as their real and imaginary parts: the Jacobians are those of the
real map, whose row for ``Re(w)`` (``Im(w)``) the engine gives with the output gradient
``1`` (``1j``) and whose columns for ``z`` are the real and imaginary parts of the
gradient, by PyTorch's convention ``dL/dx + i dL/dy`` (NOTE [ Complex gradients ]).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` and :func:`gradgradcheck` when a check fails."""


def _ember() -> Any:
    import ember

    return ember


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, list | tuple) else (x,)


def _diff_inputs(inputs: tuple) -> list[int]:
    ember = _ember()
    out = []
    for i, t in enumerate(inputs):
        if isinstance(t, ember.Tensor) and t.requires_grad:
            if t.dtype not in (ember.float64, ember.complex128):
                warnings.warn(f"Input #{i} requires gradient and is not a double precision "
                              f"floating point or complex. This check will likely fail if all "
                              f"the inputs are not of double precision floating point or "
                              f"complex. ", UserWarning, stacklevel=3)
            out.append(i)
    if not out:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of the them have requires_grad=True.")
    return out


def _outputs(func: Callable, inputs: Sequence[Any]) -> tuple:
    ember = _ember()
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, ember.Tensor))


def _fresh(t: Any) -> Any:
    """A leaf copy of ``t`` with its ``requires_grad`` (``func`` may differentiate it)."""
    ember = _ember()
    if not isinstance(t, ember.Tensor):
        return t
    return t.detach().clone().requires_grad_(t.requires_grad)


def _parts(t: Any) -> tuple:
    """The unit directions of one element: ``1`` (and ``1j`` for a complex tensor)."""
    return (1, 1j) if t.is_complex() else (1,)


def _real_flat(t: Any) -> Any:
    """``t`` as a flat float64 vector; a complex one as (re, im) pairs."""
    ember = _ember()
    t = t.detach()
    if t.is_complex():
        t = ember.stack([t.real, t.imag], dim=-1)
    return t.to(ember.float64).reshape(-1)


def _real_numel(t: Any) -> int:
    return t.numel() * len(_parts(t))


def _numerical(func: Callable, inputs: tuple, wrt: list[int], eps: float) -> list[list[Any]]:
    """``J[o][k]``: the Jacobian of output ``o`` w.r.t. input ``wrt[k]`` as an
    ``(out real numel, in real numel)`` tensor, by central differences (``func`` runs with
    grad mode on, as in PyTorch, since it may itself differentiate)."""
    ember = _ember()
    base = [_fresh(t) for t in inputs]
    outs = _outputs(func, base)
    jac = [[None] * len(wrt) for _ in outs]
    for k, i in enumerate(wrt):
        x = base[i]
        flat = x.detach().reshape(-1)
        cols: list[list[Any]] = [[] for _ in outs]
        for e in range(flat.numel()):
            v = flat[e].item()
            for part in _parts(x):
                f = []
                for step in (eps, -eps):
                    moved = flat.clone()
                    moved[e] = v + step * part
                    args = list(base)
                    args[i] = moved.reshape(x.shape).requires_grad_(x.requires_grad)
                    f.append([_real_flat(o) for o in _outputs(func, args)])
                for o, (a, b) in enumerate(zip(*f)):
                    cols[o].append((a - b) / (2 * eps))
        for o, out in enumerate(outs):
            jac[o][k] = (ember.stack(cols[o], dim=1) if cols[o]
                         else ember.zeros(_real_numel(out), 0, dtype=ember.float64,
                                          device=out.device))
    return jac


def _analytical(func: Callable, inputs: tuple, wrt: list[int]) -> list[list[Any]]:
    ember = _ember()
    outs = _outputs(func, inputs)
    targets = [inputs[i] for i in wrt]
    jac = []
    for out in outs:
        rows: list[list[Any]] = [[] for _ in wrt]
        flat_n = out.numel()
        for e in range(flat_n):
            for part in _parts(out):
                if not out.requires_grad:
                    grads = [None] * len(wrt)
                else:
                    g = ember.zeros(flat_n, dtype=out.dtype, device=out.device)
                    g[e] = part
                    grads = ember.autograd.grad(out, targets, g.reshape(out.shape),
                                                retain_graph=True, allow_unused=True)
                for k, (gr, t) in enumerate(zip(grads, targets)):
                    rows[k].append(ember.zeros(_real_numel(t), dtype=ember.float64,
                                               device=t.device)
                                   if gr is None else _real_flat(gr))
        jac.append([ember.stack(r) if r else ember.zeros(0, _real_numel(t),
                                                         dtype=ember.float64, device=t.device)
                    for r, t in zip(rows, targets)])
    return jac


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Check the gradients of ``func(*inputs)`` against finite differences.

    Args:
        func: a function of the inputs returning a tensor or a tuple of tensors.
        inputs: a tensor or a tuple of them (and other arguments); those with
            ``requires_grad=True`` are checked. Use float64.
        eps, atol, rtol: the finite-difference step and the tolerances
            (``|analytical - numerical| <= atol + rtol * |numerical|``).
        raise_exception: raise :class:`GradcheckError` on failure (else return False).

    Examples:
        >>> import ember
        >>> x = ember.tensor([1., 2.], dtype=ember.float64, requires_grad=True)
        >>> ember.autograd.gradcheck(lambda t: (t * t).sum(), (x,))
        True
    """
    if check_forward_ad:
        raise NotImplementedError("gradcheck(check_forward_ad=True): Ember has no forward-mode "
                                  "AD; use ember.autograd.functional.jvp")
    inputs = _as_tuple(inputs)
    wrt = _diff_inputs(inputs)
    if fast_mode:
        return _fast(func, inputs, wrt, eps, atol, rtol, raise_exception)
    numerical = _numerical(func, inputs, wrt, eps)
    analytical = _analytical(func, inputs, wrt)
    for o, (nrow, arow) in enumerate(zip(numerical, analytical)):
        for k, (n, a) in enumerate(zip(nrow, arow)):
            if n.shape != a.shape or not _close(a, n, atol, rtol):
                msg = (f"Jacobian mismatch for output {o} with respect to input {wrt[k]},\n"
                       f"numerical:{n}\nanalytical:{a}\n")
                if raise_exception:
                    raise GradcheckError(msg)
                return False
    return True


def _fast(func: Callable, inputs: tuple, wrt: list[int], eps: float, atol: float,
          rtol: float, raise_exception: bool) -> bool:
    """PyTorch's fast mode: compare ``v^T J u`` for random ``u`` (per input) and ``v`` (per
    output): two evaluations of ``func`` and one backward instead of the full Jacobians."""
    ember = _ember()
    base = [_fresh(t) for t in inputs]
    outs = [o for o in _outputs(func, base) if _differentiable(o)]
    us = {i: ember.rand(base[i].shape, dtype=base[i].dtype, device=base[i].device) - 0.5
          for i in wrt}
    vs = [ember.rand(o.shape, dtype=o.dtype, device=o.device) - 0.5 for o in outs]
    shifted = []
    for sign in (1.0, -1.0):
        args = list(base)
        for i in wrt:
            args[i] = (base[i].detach() + sign * eps * us[i]).requires_grad_(True)
        shifted.append([o.detach() for o in _outputs(func, args) if _differentiable(o)])
    for o, (out, v) in enumerate(zip(outs, vs)):
        num = _inner(v, (shifted[0][o] - shifted[1][o]) / (2 * eps))
        targets = [base[i] for i in wrt]
        grads = (ember.autograd.grad(out, targets, v, retain_graph=True, allow_unused=True)
                 if out.requires_grad else [None] * len(wrt))
        ana = sum((_inner(g.detach(), us[i]) for g, i in zip(grads, wrt) if g is not None),
                  ember.zeros((), dtype=num.dtype, device=num.device))
        if not _close(ana.reshape(1), num.reshape(1), atol, rtol):
            msg = (f"Jacobian mismatch for output {o} with respect to the inputs {wrt} "
                   f"(fast mode: v^T J u),\nnumerical:{num.item()}\nanalytical:{ana.item()}\n")
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True


def _differentiable(t: Any) -> bool:
    return t.is_floating_point() or t.is_complex()


def _inner(a: Any, b: Any) -> Any:
    """The real inner product ``Re(sum(conj(a) * b))``: ``dL`` for the gradient ``a``
    and the change ``b`` (NOTE [ Complex gradients ])."""
    return (a.conj() * b).sum().real.to(_ember().float64)


def _close(a: Any, n: Any, atol: float, rtol: float) -> bool:
    if a.numel() == 0:
        return True
    return bool(((a - n).abs() <= atol + rtol * n.abs()).all())


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Any = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: :func:`gradcheck` of the gradient of ``func`` (computed with
    ``create_graph=True``) with respect to the inputs and the output gradients, which are
    random (seeded by Ember's generator) when ``grad_outputs`` is None.

    Examples:
        >>> import ember
        >>> x = ember.tensor([0.5, 1.5], dtype=ember.float64, requires_grad=True)
        >>> ember.autograd.gradgradcheck(lambda t: t.pow(3), (x,))
        True
    """
    ember = _ember()
    inputs = _as_tuple(inputs)
    wrt = _diff_inputs(inputs)
    if grad_outputs is None:
        outs = [o for o in _outputs(func, inputs) if _differentiable(o)]
        grad_outputs = tuple(ember.randn(o.shape, dtype=o.dtype, device=o.device)
                             .requires_grad_(True) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def first_derivative(*args: Any) -> tuple:
        ins, gos = args[:n_in], args[n_in:]
        outs = [o for o in _outputs(func, ins) if _differentiable(o)]
        pairs = [(o, g) for o, g in zip(outs, gos) if o.requires_grad]
        if not pairs:
            raise GradcheckError("gradgradcheck: no output of the function requires grad, so "
                                 "it has no first derivative to check")
        grads = ember.autograd.grad([o for o, _ in pairs], [ins[i] for i in wrt],
                                    [g for _, g in pairs], create_graph=True,
                                    allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, fast_mode=fast_mode)
