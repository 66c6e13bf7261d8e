"""``ember.autograd.functional``: Jacobians, Hessians and vector products of functions.

PyTorch's API (``vjp``, ``jvp``, ``jacobian``, ``hessian``, ``vhp``, ``hvp``) on reverse
mode: ``jvp`` uses the double-backward trick (the vjp of a vjp), so every op whose
backward is differentiable supports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def _ember() -> Any:
    import ember

    return ember


def _tuple(x: Any) -> tuple[bool, tuple]:
    if isinstance(x, tuple | list):
        return True, tuple(x)
    return False, (x,)


def _prepare(inputs: tuple, create_graph: bool) -> tuple:
    """Fresh leaves that require grad (kept in the caller's graph with ``create_graph``)."""
    out = []
    for i, t in enumerate(inputs):
        if not isinstance(t, _ember().Tensor):
            raise TypeError(f"The inputs given to the function must be either a Tensor or a "
                            f"tuple of Tensors but the value at index {i} has type "
                            f"{type(t).__name__}.")
        out.append(t.view_as(t) if create_graph and t.requires_grad
                   else t.detach().requires_grad_(True))
    return tuple(out)


def _fill(grads: tuple, like: tuple, strict: bool, what: str) -> tuple:
    ember = _ember()
    out = []
    for i, (g, t) in enumerate(zip(grads, like)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent "
                                   f"of input {i}. This is not allowed in strict mode.")
            g = ember.zeros_like(t)
        out.append(g)
    return tuple(out)


def _grad(outputs: tuple, inputs: tuple, grad_outputs: tuple, create_graph: bool) -> tuple:
    ember = _ember()
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return ember.autograd.grad([o for o, _ in pairs], inputs, [g for _, g in pairs],
                               retain_graph=True, create_graph=create_graph, allow_unused=True)


def _detach(ts: tuple, create_graph: bool) -> tuple:
    return ts if create_graph else tuple(t.detach() for t in ts)


def _ones_if_scalar(outputs: tuple, v: Any, op: str) -> tuple:
    if v is not None:
        return _tuple(v)[1]
    if len(outputs) != 1 or outputs[0].numel() != 1:
        raise RuntimeError(f"The vector v can only be None if the user-provided function "
                           f"returns a single Tensor with a single element ({op}).")
    return (_ember().ones_like(outputs[0]),)


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``.

    Examples:
        >>> import ember
        >>> from ember.autograd.functional import vjp
        >>> vjp(lambda x: (x * x).sum(), ember.tensor([1., 2.]))[1]
        tensor([2., 4.])
    """
    is_tuple, ins = _tuple(inputs)
    with _ember().enable_grad():
        ins = _prepare(ins, create_graph)
        out_tuple, outs = _tuple(func(*ins))
        vs = _ones_if_scalar(outs, v, "vjp")
        grads = _fill(_grad(outs, ins, vs, create_graph), ins, strict, "vjp")
    outs, grads = _detach(outs, create_graph), _detach(grads, create_graph)
    return (outs if out_tuple else outs[0]), (grads if is_tuple else grads[0])


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), J v)``: the Jacobian-vector product, computed as the vjp of a vjp.

    Examples:
        >>> import ember
        >>> from ember.autograd.functional import jvp
        >>> jvp(lambda x: x ** 2, ember.tensor([1., 3.]), ember.tensor([1., 1.]))[1]
        tensor([2., 6.])
    """
    ember = _ember()
    is_tuple, ins = _tuple(inputs)
    with ember.enable_grad():
        ins = _prepare(ins, create_graph)
        out_tuple, outs = _tuple(func(*ins))
        if v is None:
            if len(ins) != 1 or ins[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the input to the "
                                   "user-provided function is a single Tensor with a single "
                                   "element.")
            vs = (ember.ones_like(ins[0]),)
        else:
            vs = _tuple(v)[1]
        dummies = tuple(ember.zeros_like(o).requires_grad_(True) for o in outs)
        g = _grad(outs, ins, dummies, True)
        pairs = [(gi, vi) for gi, vi in zip(g, vs) if gi is not None]
        if pairs:
            jv = ember.autograd.grad([p for p, _ in pairs], dummies, [q for _, q in pairs],
                                     create_graph=create_graph, allow_unused=True)
        else:
            jv = (None,) * len(outs)
        jv = _fill(jv, outs, strict, "jvp")
    outs, jv = _detach(outs, create_graph), _detach(jv, create_graph)
    return (outs if out_tuple else outs[0]), (jv if out_tuple else jv[0])


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape`` (nested
    tuples over several outputs and inputs, as PyTorch).

    Examples:
        >>> import ember
        >>> from ember.autograd.functional import jacobian
        >>> jacobian(lambda x: x ** 2, ember.tensor([1., 2.]))
        tensor([[2., 0.],
                [0., 4.]])
    """
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". '
                         f'Hint: If your strategy is "{strategy}", try "reverse-mode".')
    ember = _ember()
    is_tuple, ins = _tuple(inputs)
    with ember.enable_grad():
        ins = _prepare(ins, create_graph)
        out_tuple, outs = _tuple(func(*ins))
        rows = []
        for o in outs:
            per_input: list[list] = [[] for _ in ins]
            n = o.numel()
            for e in range(n):
                onehot = ember.zeros(n, dtype=o.dtype, device=o.device)
                onehot[e] = 1
                gs = _grad((o,), ins, (onehot.reshape(o.shape),), create_graph)
                for k, (g, t) in enumerate(zip(gs, ins)):
                    if g is None:
                        if strict:
                            raise RuntimeError(f"Output {len(rows)} of the user-provided "
                                               f"function is independent of input {k}. This is "
                                               f"not allowed in strict mode.")
                        g = ember.zeros_like(t)
                    per_input[k].append(g)
            rows.append(tuple(_stacked(gs, t).reshape(tuple(o.shape) + tuple(t.shape))
                              for gs, t in zip(per_input, ins)))
    if not create_graph:
        rows = [tuple(j.detach() for j in r) for r in rows]
    if out_tuple:
        return tuple(r if is_tuple else r[0] for r in rows)
    return rows[0] if is_tuple else rows[0][0]


def _stacked(gs: list, t: Any) -> Any:
    ember = _ember()
    if gs:
        return ember.stack(gs)
    return ember.zeros(0, *t.shape, dtype=t.dtype, device=t.device)


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of the scalar function ``func`` at ``inputs``.

    Examples:
        >>> import ember
        >>> from ember.autograd.functional import hessian
        >>> hessian(lambda x: (x ** 3).sum(), ember.tensor([1., 2.]))
        tensor([[ 6.,  0.],
                [ 0., 12.]])
    """
    is_tuple, ins = _tuple(inputs)

    def gradient(*xs: Any) -> Any:
        out = func(*xs)
        if not isinstance(out, _ember().Tensor) or out.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor "
                               "with a single element.")
        return jacobian(func, xs if is_tuple else xs[0], create_graph=True, strict=strict)

    return jacobian(gradient, ins if is_tuple else ins[0], create_graph=create_graph,
                    strict=strict)


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T H)`` for a scalar ``func``."""
    ember = _ember()
    is_tuple, ins = _tuple(inputs)
    with ember.enable_grad():
        ins = _prepare(ins, create_graph)
        out = func(*ins)
        _ones_if_scalar((out,), None, "vhp")
        g = _fill(_grad((out,), ins, (ember.ones_like(out),), True), ins, strict, "vhp")
        vs = _tuple(v)[1] if v is not None else (ember.ones_like(ins[0]),)
        pairs = [(gi, vi) for gi, vi in zip(g, vs) if gi.requires_grad]
        res = ember.autograd.grad([p for p, _ in pairs], ins, [q for _, q in pairs],
                                  create_graph=create_graph, allow_unused=True) \
            if pairs else (None,) * len(ins)
        res = _fill(res, ins, strict, "vhp")
    out, res = (out if create_graph else out.detach()), _detach(res, create_graph)
    return out, (res if is_tuple else res[0])


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), H v)`` for a scalar ``func`` (H is symmetric, so this is ``vhp``)."""
    return vhp(func, inputs, v, create_graph, strict)
