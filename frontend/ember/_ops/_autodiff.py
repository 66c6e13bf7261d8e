"""Declaring an op's derivative next to its forward (STYLE rule 1).

# NOTE [ Declaring a derivative ]
Ops that compute through the backend directly declare their backward with a decorator::

    @public()
    @differentiable("PermuteBackward0", lambda ctx, g: (g.permute(_inverse(ctx.arg(1))),))
    def permute(input, *dims): ...

The wrapped op runs its forward unchanged when grad mode is off or no differentiable input
requires grad -- one flag read and a scan of the tensor inputs, so the hot path stays bare.
Otherwise the forward runs with grad mode off (so an op built on other ops records one
node, not many) and a node is recorded whose backward is ``backward(ctx, *grads)``,
returning one gradient (or None) per input in ``ctx.inputs``. ``ctx`` holds the call's
``args``/``kwargs`` and, when ``save_output=True``, the output (detached, so no reference
cycle through the node); tensors listed by ``saved(ctx)`` are version-checked at backward
time (NOTE [ Recording an op ] in ``autograd/graph.py``). Backward formulas are written
with differentiable tensor ops, so ``create_graph=True`` works through them.

Composite ops (``flatten`` calls ``reshape``) declare nothing: their pieces record.
Integer and bool outputs are never differentiable; ops with several outputs
(``max(dim)``'s values and indices) record only the floating ones.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record

__all__ = ["differentiable", "Ctx", "first", "tensors_in", "zeros_for"]


class Ctx:
    """What a backward formula sees of its forward call."""

    __slots__ = ("args", "kwargs", "out", "inputs")

    def __init__(self, args: tuple, kwargs: dict, out: Any, inputs: Sequence[Any]) -> None:
        self.args = args
        self.kwargs = kwargs
        self.out = out
        self.inputs = inputs

    def arg(self, i: int, name: str | None = None, default: Any = None) -> Any:
        """Positional argument ``i``, else keyword ``name``, else ``default``."""
        if i < len(self.args):
            return self.args[i]
        return self.kwargs.get(name, default) if name else default

    @property
    def input(self) -> Tensor:
        """The first tensor input."""
        return self.inputs[0]


def first(args: tuple, kwargs: dict) -> tuple:
    """The default input selector: the first argument (``input``/``self``)."""
    return (args[0] if args else kwargs.get("input"),)


def tensors_in(args: tuple, kwargs: dict) -> tuple:
    """Input selector for ops over a sequence of tensors (``cat``, ``stack``)."""
    seq = args[0] if args else kwargs.get("tensors", ())
    return tuple(seq)


def zeros_for(t: Tensor) -> Tensor:
    """A zero gradient shaped like ``t`` (for outputs that received none)."""
    return t.new_zeros(t.shape)


def _floating(t: Any) -> bool:
    return isinstance(t, Tensor) and t._dtype.kind in "fc"


def _outputs(out: Any) -> list:
    if isinstance(out, Tensor):
        return [out] if _floating(out) else []
    if isinstance(out, (tuple, list)):
        return [o for o in out if _floating(o)]
    return []


def differentiable(name: str | Callable[[Ctx], str], backward: Callable[..., tuple], *,
                   inputs: Callable[[tuple, dict], Sequence[Any]] = first,
                   save_output: bool = False,
                   saved: Callable[[Ctx], tuple] | None = None) -> Callable:
    """Make ``fn`` record ``name`` with ``backward(ctx, *grads)`` (NOTE [ Declaring a
    derivative ]). ``name`` may be a function of the ctx (``SumBackward0``/``1``)."""

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def op(*args: Any, **kwargs: Any) -> Any:
            if not grad_state.enabled:
                return fn(*args, **kwargs)
            ins = inputs(args, kwargs)
            for t in ins:
                if getattr(t, "_requires_grad", False):
                    break
            else:
                return fn(*args, **kwargs)
            grad_state.enabled = False
            try:
                out = fn(*args, **kwargs)
            finally:
                grad_state.enabled = True
            outs = _outputs(out)
            if not outs or not any(_floating(t) for t in ins if getattr(t, "_requires_grad",
                                                                         False)):
                return out
            ctx = Ctx(args, kwargs, None, ins)
            if save_output:
                ctx.out = _detached(out)
            keep = saved(ctx) if saved is not None else ()
            node_name = name(ctx) if callable(name) else name
            record(node_name, lambda grads, _s: _fill(backward(ctx, *grads), len(ins)),
                   ins, outs, tuple(keep))
            return out

        op.forward = fn  # the undecorated forward, for callers that record themselves
        return op

    return deco


def _detached(out: Any) -> Any:
    if isinstance(out, Tensor):
        return out.detach()
    items = [o.detach() if isinstance(o, Tensor) else o for o in out]
    return type(out)(*items) if hasattr(out, "_fields") else type(out)(items)


def _fill(grads: Any, n: int) -> tuple:
    if not isinstance(grads, tuple):
        grads = (grads,)
    if len(grads) < n:
        grads = grads + (None,) * (n - len(grads))
    return grads
