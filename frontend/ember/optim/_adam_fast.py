"""One parameter's Adam update written straight into its tensors.

# NOTE [ Adam in one pass of calls ]
Adam's single-tensor update is seven in-place ops per parameter (``lerp_``, ``mul_``,
``addcmul_``, ``sqrt``, ``div_``, ``add_``, ``addcdiv_``); at the sizes of a small model
their frontend dispatch costs as much as the arithmetic. When the backend has
``binary_into`` and the tensors agree (one backend, one floating dtype, one shape, no
autograd), :func:`adam_update` issues the very kernel calls those ops' fast paths make
(NOTE [ Writing in place ] in ``_ops/_inplace_fast.py``), in the same order, so the bits
are the same, and bumps each tensor's version as the ops would. Its temporaries live in
scratch arrays kept per parameter between steps (the second one, for ``sqrt``, where the
backend has ``unary_into``): fresh memory of these sizes costs page faults, more than the
arithmetic. Everything is checked before the first write, so a tensor is never left
half-updated; anything else returns False and the caller runs the ops.
"""

from __future__ import annotations

import weakref
from typing import Any

from .._ops._inplace import bump_version
from .._tensor import Tensor
from ..autograd.grad_mode import grad_state

__all__ = ["adam_update"]

#: ``id(exp_avg) -> (weak reference to it, scratch arrays)``: the update's temporaries,
#: dropped with the tensor (tensors compare elementwise, so they cannot be dict keys).
_SCRATCH: dict[int, tuple[weakref.ref, Any]] = {}


def _scratch(t: Tensor) -> Any:
    entry = _SCRATCH.get(id(t))
    return entry[1] if entry is not None and entry[0]() is t else None


def _keep(t: Tensor, array: Any) -> None:
    key = id(t)
    _SCRATCH[key] = (weakref.ref(t, lambda _ref: _SCRATCH.pop(key, None)), array)


def _agree(param: Tensor, others: tuple[Tensor, ...]) -> Any:
    """The ``binary_into`` kernel when the tensors qualify, else None."""
    if not isinstance(param, Tensor) or param._dtype.kind != "f":
        return None
    be, dt = param._backend, param._dtype
    shape = be.shape(param._data)
    for t in others:
        if not isinstance(t, Tensor) or t._backend is not be or t._dtype is not dt or \
                be.shape(t._data) != shape:
            return None
    if grad_state.enabled and (param._requires_grad or any(t._requires_grad for t in others)):
        return None
    return be.optional("binary_into")


def adam_update(param: Tensor, grad: Tensor, exp_avg: Tensor, exp_avg_sq: Tensor, *,
                beta1: float, beta2: float, eps: float, step_size: float,
                bias_correction2_sqrt: float) -> bool:
    """``exp_avg.lerp_(grad, 1 - beta1)``, ``exp_avg_sq.mul_(beta2).addcmul_(grad, grad,
    value=1 - beta2)`` and ``param.addcdiv_(exp_avg, exp_avg_sq.sqrt().div_(c).add_(eps),
    value=-step_size)`` in direct kernel calls (NOTE [ Adam in one pass of calls ]); False
    when the general path must run instead."""
    scalars = (beta1, beta2, eps, step_size, bias_correction2_sqrt)
    if any(type(s) is not float for s in scalars):
        return False
    into = _agree(param, (grad, exp_avg, exp_avg_sq))
    if into is None:
        return False
    be = param._backend
    p, g, m, v = param._data, grad._data, exp_avg._data, exp_avg_sq._data
    weight = 1 - beta1
    unary_into = be.optional("unary_into")
    kept = _scratch(exp_avg)
    if kept is None or be.shape(kept[0]) != be.shape(m):
        diff = be.sub(g, m)
        kept = (diff, be.copy(diff) if unary_into is not None else None)
        _keep(exp_avg, kept)
    else:  # fresh memory costs page faults at these sizes: scratch per state tensor
        diff = kept[0]
        into("sub", diff, g, m)
    # lerp_: the composite's branch for the weight (_minmax.lerp)
    if weight < 0.5:
        into("mul", diff, diff, weight)
        into("add", m, m, diff)
    else:
        into("mul", diff, diff, 1 - weight)
        into("sub", m, g, diff)
    into("mul", v, v, beta2)  # mul_
    q = diff
    into("mul", q, g, g)  # addcmul_: product, scale, add
    if 1 - beta2 != 1:
        into("mul", q, q, 1 - beta2)
    into("add", v, v, q)
    if unary_into is not None and kept[1] is not None:  # sqrt, div_, add_
        d = kept[1]
        unary_into("sqrt", d, v)
    else:
        d = be.sqrt(v)
    into("div", d, d, bias_correction2_sqrt)
    into("add", d, d, eps)
    into("div", q, m, d)  # addcdiv_
    if -step_size != 1:
        into("mul", q, q, -step_size)
    into("add", p, p, q)
    bump_version(exp_avg)
    bump_version(exp_avg_sq)
    bump_version(exp_avg_sq)  # mul_ and addcmul_
    bump_version(param)
    return True
