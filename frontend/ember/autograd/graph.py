"""Autograd graph nodes (``grad_fn`` objects) and how ops record them.

# NOTE [ Recording an op ]
An op records a node only when grad mode is on and some input requires grad (checked by
the op itself, on two slot reads). ``record`` builds a :class:`Node` holding

* ``backward(grads, saved) -> tuple`` -- the op's backward formula, written with tensor
  ops so it can be differentiated again (``create_graph=True``);
* ``saved`` -- tensors the formula needs, with their versions at record time, so an
  in-place change before backward is caught;
* one edge per input: ``(node, input_nr)`` for inputs that require grad (their ``grad_fn``,
  or the leaf's ``AccumulateGrad``), else ``(None, 0)``, plus the input's shape and dtype so
  the engine can reduce broadcast gradients and cast them back.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Node", "AccumulateGrad", "record", "needs_grad", "SAVED_FREED_MESSAGE"]

SAVED_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)


class Node:
    """A recorded operation: PyTorch's ``grad_fn`` (``AddBackward0``, ``MulBackward0``, ...)."""

    __slots__ = ("_name", "_backward", "_saved", "_versions", "_edges", "_input_meta",
                 "_freed", "_pre_hooks", "_hooks", "_num_outputs", "metadata", "_saved_out",
                 "__weakref__")

    def __init__(self, name: str, backward: Callable, edges: tuple, input_meta: tuple,
                 saved: tuple = (), num_outputs: int = 1) -> None:
        self._name = name
        self._backward = backward
        self._saved = saved
        self._versions = tuple([t._version for t in saved]) if saved else ()
        self._edges = edges
        self._input_meta = input_meta
        self._freed = False
        self._pre_hooks: list | None = None
        self._hooks: list | None = None
        self._num_outputs = num_outputs
        self.metadata: dict = {}
        self._saved_out: dict[int, int] | None = None

    def name(self) -> str:
        """The node's class name as PyTorch spells it, e.g. ``"MulBackward0"``."""
        return self._name

    def __repr__(self) -> str:
        # PyTorch's repr drops the C++ namespace of nodes like torch::autograd::CopySlices
        return f"<{self._name.rpartition('::')[2]} object at {hex(id(self))}>"

    @property
    def next_functions(self) -> tuple:
        """``((node, input_nr), ...)`` for each input; ``(None, 0)`` where no grad flows."""
        return self._edges

    def saved_tensors(self) -> tuple:
        """The saved tensors, checked against in-place modification since recording."""
        if self._freed:
            raise RuntimeError(SAVED_FREED_MESSAGE)
        for i, (t, v) in enumerate(zip(self._saved, self._versions)):
            if t._version != v:
                raise RuntimeError(
                    f"one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: [{t.type()} {list(t.shape)}], which is output "
                    f"{i} of {self._name}, is at version {t._version}; expected version {v} "
                    f"instead. Hint: the backtrace further above can show the operation that "
                    f"failed to compute its gradient."
                )
        if self._saved_out is not None:
            from .grad_mode import grad_state

            if grad_state.enabled:  # create_graph: saved outputs rejoin the graph at this node
                return tuple(_attach(t, self, self._saved_out[i]) if i in self._saved_out else t
                             for i, t in enumerate(self._saved))
        return self._saved

    def apply(self, grads: tuple) -> tuple:
        """Run the backward formula on the output gradients."""
        saved = self.saved_tensors() if self._saved or self._freed else ()
        return self._backward(grads, saved)

    def release(self) -> None:
        """Free the saved tensors (after a backward without ``retain_graph``)."""
        if self._saved:
            self._saved = ()
            self._freed = True
        attrs = getattr(self._backward, "__dict__", None)  # no AttributeError per node
        ctx = attrs.get("ctx") if attrs else None
        if ctx is not None and ctx._saved:
            ctx._freed = True

    def register_hook(self, fn: Callable) -> Any:
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _Handle(self._hooks, fn)

    def register_prehook(self, fn: Callable) -> Any:
        """``fn(grad_outputs)`` runs before this node's backward and may replace them."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return _Handle(self._pre_hooks, fn)


class AccumulateGrad(Node):
    """The node that accumulates a leaf tensor's gradient into ``.grad``."""

    __slots__ = ("_variable",)

    def __init__(self, variable: Any) -> None:
        super().__init__("AccumulateGrad", None, (), ())
        self._variable = weakref.ref(variable)

    @property
    def variable(self) -> Any:
        """The leaf tensor this node accumulates into."""
        return self._variable()


class _Handle:
    """What ``register_hook`` returns: ``handle.remove()`` unregisters the hook."""

    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks: list, fn: Callable) -> None:
        self._hooks = hooks
        self._fn = fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


def accumulate_node(t: Any) -> AccumulateGrad:
    """The one AccumulateGrad node of leaf ``t`` (kept on the tensor, created on demand)."""
    meta = t._ensure_meta()
    node = meta.acc_node
    if node is None:
        node = meta.acc_node = AccumulateGrad(t)
    return node


def record(name: str, backward: Callable, inputs: Sequence[Any], outputs: Sequence[Any],
           saved: tuple = (), *, complex_ok: bool = False) -> Node:
    """Record ``outputs = op(*inputs)`` with ``backward(grads, saved) -> grads per input``.

    ``inputs`` entries that are not tensors (numbers, None) get no gradient. Where a
    complex tensor takes part, ``backward`` is made right for it unless ``complex_ok``
    says it already is (NOTE [ Complex gradients ] in ``autograd/_complex.py``).
    """
    tensor_cls = _tensor_class()
    edges = []
    meta = []
    cplx = False
    for t in inputs:
        if not isinstance(t, tensor_cls):
            edges.append(_NO_EDGE)
            meta.append(None)
            continue
        if t._requires_grad:
            fn = t._grad_fn
            if fn is not None:
                tm = t._meta
                edges.append((fn, 0 if tm is None else tm.output_nr))
            else:
                edges.append((accumulate_node(t), 0))
            dt = t._dtype
            if dt.kind == "c":
                cplx = True
            meta.append((t._backend.shape(t._data), dt, t._backend))
        else:  # no gradient flows to it: the engine never reads its shape
            edges.append(_NO_EDGE)
            meta.append(None)
    node = Node(name, backward, tuple(edges), tuple(meta), saved, len(outputs))
    if saved:
        _note_saved_outputs(node, saved, outputs)
    for i, out in enumerate(outputs):
        if out is None:
            continue
        if out._dtype.kind == "c":
            cplx = True
        out._grad_fn = node
        out._requires_grad = True
        if i:
            out._ensure_meta().output_nr = i
    if cplx and not complex_ok:
        from ._complex import complex_backward

        node._backward = complex_backward(name, backward)
    return node


_NO_EDGE = (None, 0)
_TENSOR: list = []


def _tensor_class() -> type:
    if not _TENSOR:
        from .._tensor import Tensor

        _TENSOR.append(Tensor)
    return _TENSOR[0]


def _note_saved_outputs(node: Node, saved: tuple, outputs: Sequence[Any]) -> None:
    # NOTE [ Saved outputs ]: a formula that uses its output saves ``out.detach()`` (no
    # reference cycle); remember which, so that under create_graph it is re-attached.
    for i, t in enumerate(saved):
        for k, o in enumerate(outputs):
            if o is not None and t is not o and getattr(t, "_data", None) is o._data:
                if node._saved_out is None:
                    node._saved_out = {}
                node._saved_out[i] = k


def _attach(t: Any, node: Node, output_nr: int) -> Any:
    """``t`` (a detached output of ``node``) as that output again: differentiable through
    ``node`` (PyTorch's unpacking of a saved output)."""
    alias = t.detach()
    alias._grad_fn = node
    alias._requires_grad = True
    if output_nr:
        alias._ensure_meta().output_nr = output_nr
    return alias


def _is_tensor(x: Any) -> bool:
    return isinstance(x, _tensor_class())


def needs_grad(*tensors: Any) -> bool:
    """True when grad mode is on and some tensor argument requires grad."""
    from .grad_mode import grad_state

    if not grad_state.enabled:
        return False
    return any(getattr(t, "_requires_grad", False) for t in tensors)
