"""Custom differentiable operations: ``ember.autograd.Function``.

Example (the seeds' ``MyReLU``):
    >>> import ember
    >>> class MyReLU(ember.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x.clamp(min=0)
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return grad_output * (x > 0).float()
    >>> x = ember.tensor([-1.0, 2.0], requires_grad=True)
    >>> MyReLU.apply(x).sum().backward()
    >>> x.grad
    tensor([0., 1.])
"""

from __future__ import annotations

from typing import Any

from .grad_mode import grad_state
from .graph import SAVED_FREED_MESSAGE, record

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """The ``ctx`` object passed to ``forward`` and ``backward``."""

    def __init__(self) -> None:
        self.needs_input_grad: tuple[bool, ...] = ()
        self._saved: tuple = ()
        self._versions: tuple = ()
        self._freed = False
        self._dirty: tuple = ()
        self._non_differentiable: tuple = ()
        self.materialize_grads = True

    def save_for_backward(self, *tensors: Any) -> None:
        """Save tensors (or None) for ``backward``; in-place changes to them are detected."""
        self._saved = tensors
        self._versions = tuple(None if t is None else t._version for t in tensors)

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to :meth:`save_for_backward`."""
        if self._freed:
            raise RuntimeError(SAVED_FREED_MESSAGE)
        for i, (t, v) in enumerate(zip(self._saved, self._versions)):
            if t is not None and t._version != v:
                raise RuntimeError(
                    f"one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: [{t.type()} {list(t.shape)}], which is output "
                    f"{i} of a custom Function, is at version {t._version}; expected version "
                    f"{v} instead.")
        return self._saved

    saved_variables = saved_tensors

    def mark_dirty(self, *tensors: Any) -> None:
        """Declare inputs modified in place by ``forward``."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Declare outputs that get no gradient (e.g. indices)."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """Whether None output gradients become zero tensors before ``backward``."""
        self.materialize_grads = bool(value)


class _FunctionMeta(type):
    def __init__(cls, name: str, bases: tuple, ns: dict) -> None:
        super().__init__(name, bases, ns)
        cls._backward_name = f"{name}Backward"


class Function(metaclass=_FunctionMeta):
    """Base class of custom autograd operations: subclass it with static ``forward(ctx,
    *args)`` and ``backward(ctx, *grad_outputs)`` and call ``YourFunction.apply(*args)``."""

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        from .._tensor import Tensor

        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        track = grad_state.enabled and any(ctx.needs_input_grad)
        prev = grad_state.enabled
        grad_state.enabled = False
        try:
            outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            grad_state.enabled = prev
        if not track:
            return outputs
        is_tuple = isinstance(outputs, tuple)
        outs = outputs if is_tuple else (outputs,)
        outs = tuple(_fresh(o, args, ctx) if isinstance(o, Tensor) else o for o in outs)
        non_diff = {id(t) for t in ctx._non_differentiable}
        diff_outs = [o if isinstance(o, Tensor) and id(o) not in non_diff else None
                     for o in outs]
        n_args = len(args)
        tensor_pos = [i for i, a in enumerate(args) if isinstance(a, Tensor)]

        def backward(grads: tuple, saved: tuple) -> tuple:
            if ctx.materialize_grads:
                from .._ops._creation import zeros_like

                grads = tuple(zeros_like(o) if g is None and o is not None else g
                              for g, o in zip(grads, outs))
            res = cls.backward(ctx, *grads)
            if not isinstance(res, tuple):
                res = (res,)
            if len(res) < n_args or any(g is not None for g in res[n_args:]):
                raise RuntimeError(f"function {cls._backward_name} returned an incorrect "
                                   f"number of gradients (expected {n_args}, got {len(res)})")
            return tuple(res[i] for i in tensor_pos)

        backward.ctx = ctx  # type: ignore[attr-defined]  (Node.release frees ctx's tensors)
        record(cls._backward_name, backward, [args[i] for i in tensor_pos], diff_outs,
               complex_ok=True)  # a user's formula runs as written, as in PyTorch
        for o in outs:
            if isinstance(o, Tensor) and id(o) in non_diff:
                o._requires_grad = False
        return outs if is_tuple else outs[0]


def _fresh(out: Any, args: tuple, ctx: FunctionCtx) -> Any:
    # An input returned unchanged (and not marked dirty) gets a new tensor object, so that
    # recording a node on it does not rewrite the input's history.
    if any(out is a for a in args) and not any(out is d for d in ctx._dirty):
        return out.detach()
    return out


def once_differentiable(fn: Any) -> Any:
    """Decorator for ``backward``: run it without recording (no double backward)."""
    import functools

    from .grad_mode import no_grad

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with no_grad():
            return fn(ctx, *args)

    return wrapper
