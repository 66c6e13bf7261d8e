"""``ember.autograd.backward`` / ``grad`` and the Tensor methods built on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .engine import run_backward

__all__ = ["backward", "grad", "tensor_backward", "retain_grad", "register_hook"]


def _tuple(x: Any) -> tuple:
    if x is None:
        return ()
    from .._tensor import Tensor

    return (x,) if isinstance(x, Tensor) else tuple(x)


def _make_grads(outputs: tuple, grad_outputs: tuple) -> list:
    from .._ops._creation import ones_like

    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if i < len(grad_outputs) else None
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out._dtype.is_floating_point:
                raise RuntimeError(f"grad can be implicitly created only for real scalar "
                                   f"outputs but got {out._dtype}")
            g = ones_like(out)
        elif g._backend.shape(g._data) != out._backend.shape(out._data):
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{g.shape} and output[{i}] has a shape of {out.shape}.")
        grads.append(g)
    return grads


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """Accumulate into ``.grad`` of the leaves the gradients of ``tensors``.

    Args:
        tensors: outputs to differentiate.
        grad_tensors: the gradient with respect to each output (None for scalars).
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the backward pass, for higher-order derivatives.
        inputs: accumulate only into these tensors.
    """
    outs = _tuple(tensors)
    grads = _make_grads(outs, _tuple(grad_tensors) if grad_tensors is not None else ())
    ins = _tuple(inputs) if inputs is not None else None
    if ins is not None and not ins:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    run_backward(outs, grads, retain_graph=create_graph if retain_graph is None else retain_graph,
                 create_graph=create_graph, inputs=ins, accumulate=True)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs`` (nothing is accumulated).

    Example:
        >>> import ember
        >>> x = ember.tensor(3.0, requires_grad=True)
        >>> (g,) = ember.autograd.grad(x ** 2, x, create_graph=True)
        >>> g
        tensor(6., grad_fn=<MulBackward0>)
        >>> ember.autograd.grad(g, x)
        (tensor(2.),)
    """
    outs = _tuple(outputs)
    ins = _tuple(inputs)
    grads = _make_grads(outs, _tuple(grad_outputs) if grad_outputs is not None else ())
    allow = bool(allow_unused) or materialize_grads
    result = run_backward(outs, grads,
                          retain_graph=create_graph if retain_graph is None else retain_graph,
                          create_graph=create_graph, inputs=ins, accumulate=False,
                          allow_unused=allow)
    assert result is not None
    if materialize_grads:
        from .._ops._creation import zeros_like

        result = tuple(zeros_like(i) if r is None else r for r, i in zip(result, ins))
    return result


def tensor_backward(self: Any, gradient: Any = None, retain_graph: bool | None = None,
                    create_graph: bool = False, inputs: Sequence[Any] | None = None) -> None:
    """Compute the gradient of this tensor w.r.t. the graph leaves (``Tensor.backward``)."""
    backward(self, gradient, retain_graph, create_graph, inputs)


def retain_grad(self: Any) -> None:
    """Keep ``.grad`` for this non-leaf tensor after ``backward()``."""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self._grad_fn is None:
        return
    meta = self._ensure_meta()
    if meta.retains_grad:
        return
    meta.retains_grad = True
    nr = meta.output_nr
    import weakref

    ref = weakref.ref(self)

    def hook(grads: list) -> None:
        t = ref()
        if t is None or grads[nr] is None:
            return None
        m = t._ensure_meta()
        g = grads[nr]
        m.grad = g.detach().clone() if m.grad is None else m.grad + g.detach()
        return None

    # PyTorch runs retain_grad last, after every tensor hook of this output.
    self._grad_fn.metadata.setdefault("retain_grad_hooks", []).append(hook)


def register_hook(self: Any, hook: Any) -> Any:
    """Register ``hook(grad) -> Tensor or None``, called with this tensor's gradient."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self._grad_fn is None:
        meta = self._ensure_meta()
        if meta.hooks is None:
            meta.hooks = []
        meta.hooks.append(hook)
        from .graph import _Handle

        return _Handle(meta.hooks, hook)
    nr = self._meta.output_nr if self._meta else 0

    def prehook(grads: list) -> list | None:
        if grads[nr] is None:
            return None
        new = hook(grads[nr])
        if new is None:
            return None
        grads = list(grads)
        grads[nr] = new
        return grads

    return self._grad_fn.register_prehook(prehook)
