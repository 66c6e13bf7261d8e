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
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from .._tensor import Tensor
from ..autograd.grad_mode import grad_state
from ..autograd.graph import record

__all__ = ["differentiable", "recomputed", "Ctx", "first", "tensors_in", "zeros_for"]


class Ctx:
    """What a backward formula sees of its forward call."""

    __slots__ = ("args", "kwargs", "_out", "inputs", "_node")

    def __init__(self, args: tuple, kwargs: dict, out: Any, inputs: Sequence[Any]) -> None:
        self.args = args
        self.kwargs = kwargs
        self._out = out
        self.inputs = inputs
        self._node: Any = None

    @property
    def out(self) -> Any:
        """The saved output. Under ``create_graph`` it is re-attached to this node (as
        PyTorch unpacks a saved output), so formulas using it differentiate again; the
        node is held weakly, so saving the output makes no reference cycle."""
        out = self._out
        node = self._node() if self._node is not None else None
        if node is None or not grad_state.enabled:
            return out
        if isinstance(out, Tensor):
            return _attach(out, node, 0)
        items, k = [], 0
        for o in out:
            if isinstance(o, Tensor) and o._dtype.kind in "fc":
                items.append(_attach(o, node, k))
                k += 1
            else:
                items.append(o)
        return type(out)(*items) if hasattr(out, "_fields") else type(out)(items)

    def arg(self, i: int, name: str | None = None, default: Any = None) -> Any:
        """Positional argument ``i``, else keyword ``name``, else ``default``."""
        if i < len(self.args):
            return self.args[i]
        return self.kwargs.get(name, default) if name else default

    @property
    def input(self) -> Tensor:
        """The first tensor input."""
        return self.inputs[0]


def _attach(t: Tensor, node: Any, output_nr: int) -> Tensor:
    alias = t.detach()
    alias._grad_fn = node
    alias._requires_grad = True
    if output_nr:
        alias._ensure_meta().output_nr = output_nr
    return alias


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
                   saved: Callable[[Ctx], tuple] | None = None,
                   complex_ok: bool = False) -> Callable:
    """Make ``fn`` record ``name`` with ``backward(ctx, *grads)`` (NOTE [ Declaring a
    derivative ]). ``name`` may be a function of the ctx (``SumBackward0``/``1``).
    ``complex_ok``: the formula is written for complex tensors as it stands (NOTE
    [ Complex gradients ] in ``autograd/_complex.py``)."""

    unary = inputs is first

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def op(*args: Any, **kwargs: Any) -> Any:
            if not grad_state.enabled or (
                    unary and args and not getattr(args[0], "_requires_grad", False)):
                return fn(*args, **kwargs)  # the common paths: no tuple built, no loop
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
            ctx = Ctx(args, kwargs, _detached(out) if save_output else None, ins)
            keep = saved(ctx) if saved is not None else ()
            node_name = name(ctx) if callable(name) else name
            node = record(node_name, lambda grads, _s: _fill(backward(ctx, *grads), len(ins)),
                          ins, outs, tuple(keep), complex_ok=complex_ok)
            if save_output:
                ctx._node = weakref.ref(node)
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


def recomputed(name: str | Callable[[Ctx], str], *,
               inputs: Callable[[tuple, dict], Sequence[Any]] = first) -> Callable:
    """Record a composite op as one node named as PyTorch names it (``DistBackward0``), whose
    backward differentiates the composite itself, re-run on the saved inputs. For ops off
    the hot path: the backward pays one more forward."""

    def deco(fn: Callable) -> Callable:
        def backward(ctx: Ctx, *grads: Any) -> tuple:
            from ..autograd import grad as autograd_grad
            from ..autograd.grad_mode import enable_grad

            create = grad_state.enabled
            xs = [t if create or not isinstance(t, Tensor) else
                  t.detach().requires_grad_(t._requires_grad) for t in ctx.inputs]
            swap = {id(a): b for a, b in zip(ctx.inputs, xs)}
            with enable_grad():
                out = fn(*_swapped(ctx.args, swap), **{k: _swapped_one(v, swap)
                                                       for k, v in ctx.kwargs.items()})
            pairs = [(o, g) for o, g in zip(_outputs(out), grads) if g is not None]
            want = [x for x in xs if getattr(x, "_requires_grad", False)]
            got = iter(autograd_grad([o for o, _ in pairs], want, [g for _, g in pairs],
                                     allow_unused=True, create_graph=create))
            return tuple(next(got) if getattr(x, "_requires_grad", False) else None
                         for x in xs)

        # the engine differentiates the composite: complex gradients come from its pieces
        return differentiable(name, backward, inputs=inputs, complex_ok=True)(fn)

    return deco


def _swapped_one(a: Any, swap: dict) -> Any:
    if isinstance(a, list | tuple):
        return type(a)(swap.get(id(x), x) for x in a)
    return swap.get(id(a), a)


def _swapped(args: tuple, swap: dict) -> tuple:
    return tuple(_swapped_one(a, swap) for a in args)
