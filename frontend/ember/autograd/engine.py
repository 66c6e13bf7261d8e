"""The backward engine: an iterative walk over the recorded graph.

# NOTE [ Engine ]
1. Collect every node reachable from the roots with an explicit stack (no recursion, so a
   chain of 100,000 ops is fine) and count, for each node, the edges that point at it.
2. Seed the roots' gradient buffers and run nodes whose count has dropped to zero (Kahn's
   algorithm): a node runs once, after every gradient for it has arrived.
3. A node's output gradients go through its pre-hooks (tensor hooks, ``retain_grad``), then
   its backward formula; each input gradient is summed back to the input's shape (undoing
   broadcasting), cast to its dtype, and added to the next node's buffer.
4. ``AccumulateGrad`` nodes add into ``.grad`` (``backward``) or are captured (``grad``).
5. Without ``retain_graph`` every visited node frees its saved tensors.
Formulas run under ``set_grad_enabled(create_graph)``, so with ``create_graph=True`` the
backward pass is itself recorded and can be differentiated again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .grad_mode import grad_state
from .graph import AccumulateGrad, Node, accumulate_node

__all__ = ["run_backward", "sum_to_shape"]


def sum_to_shape(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or expanded to reach ``shape``."""
    gshape = grad._backend.shape(grad._data)
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    dims = list(range(lead))
    dims += [lead + i for i, n in enumerate(shape) if n == 1 and gshape[lead + i] != 1]
    out = grad.sum(dim=dims, keepdim=True) if dims else grad
    if lead:
        out = out.reshape(shape)
    return out


def _root_node(t: Any) -> tuple[Node, int]:
    if not t._requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a "
                           "grad_fn")
    if t._grad_fn is not None:
        meta = t._meta
        return t._grad_fn, (0 if meta is None else meta.output_nr)
    return accumulate_node(t), 0


def _collect(roots: list[Node]) -> dict[Node, int]:
    """Every node reachable from ``roots`` with the number of edges pointing at it."""
    deps: dict[Node, int] = {}
    stack = list(roots)
    for node in roots:
        deps.setdefault(node, 0)
    seen: set[Node] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for nxt, _ in node._edges:
            if nxt is not None:
                count = deps.get(nxt)
                if count is None:
                    deps[nxt] = 1
                    stack.append(nxt)
                else:
                    deps[nxt] = count + 1
    return deps


def _needed(deps: dict[Node, int], targets: set[int]) -> set[int]:
    # Nodes from which some target node can be reached: only those run for autograd.grad.
    needed: set[int] = set()
    state: dict[int, bool] = {}
    for start in deps:
        if id(start) in state:
            continue
        stack: list[tuple[Node, int]] = [(start, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[id(node)] = id(node) in targets
            edges = node._edges
            if i < len(edges):
                stack.append((node, i + 1))
                nxt = edges[i][0]
                if nxt is not None and id(nxt) not in state:
                    stack.append((nxt, 0))
                continue
            if any(n is not None and state.get(id(n), False) for n, _ in edges):
                state[id(node)] = True
            if state[id(node)]:
                needed.add(id(node))
    return needed


def _add(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def run_backward(tensors: Sequence[Any], grads: Sequence[Any], *, retain_graph: bool,
                 create_graph: bool, inputs: Sequence[Any] | None = None,
                 accumulate: bool = True, allow_unused: bool = False) -> tuple | None:
    """Backpropagate ``grads`` from ``tensors``. With ``accumulate`` (``backward``) leaf
    gradients are added into ``.grad`` (only for ``inputs`` when given); otherwise
    (``autograd.grad``) the gradients of ``inputs`` are returned."""
    roots = [_root_node(t) for t in tensors]
    deps = _collect([n for n, _ in roots])
    buffers: dict[Node, list] = {}
    for (node, nr), g in zip(roots, grads):
        buf = buffers.setdefault(node, [None] * max(node._num_outputs, 1))
        buf[nr] = _add(buf[nr], g)

    capture: dict[int, tuple[Node, int]] = {}
    results: list[Any] = []
    targets: set[int] | None = None
    if inputs is not None:
        targets = set()
        for i, t in enumerate(inputs):
            if not t._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            node, nr = (t._grad_fn, t._meta.output_nr if t._meta else 0) if t._grad_fn \
                else (accumulate_node(t), 0)
            capture[i] = (node, nr)
            targets.add(id(node))
        results = [None] * len(inputs)
    needed = _needed(deps, targets) if targets is not None else None
    captured_at: dict[int, list[tuple[int, int]]] = {}
    for i, (node, nr) in capture.items():
        captured_at.setdefault(id(node), []).append((i, nr))

    ready = [n for n, _ in roots if deps.get(n, 0) == 0]
    seen_ready: set[Node] = set()
    prev = grad_state.enabled
    grad_state.enabled = create_graph
    try:
        while ready:
            node = ready.pop()
            if node in seen_ready:
                continue
            seen_ready.add(node)
            out_grads = buffers.pop(node, None)
            if out_grads is None:
                out_grads = [None] * max(node._num_outputs, 1)
            if node._pre_hooks:
                for hook in node._pre_hooks:
                    new = hook(out_grads)
                    if new is not None:
                        out_grads = list(new)
            if node.metadata:
                for hook in node.metadata.get("retain_grad_hooks", ()):
                    hook(out_grads)
            if captured_at:
                for i, nr in captured_at.get(id(node), ()):
                    results[i] = _add(results[i], out_grads[nr])
            if node.__class__ is AccumulateGrad:
                if accumulate and (targets is None or id(node) in targets):
                    _accumulate(node, out_grads[0], create_graph)
                continue
            if needed is not None and id(node) not in needed:
                continue
            if (out_grads[0] is None if len(out_grads) == 1 else
                    all(g is None for g in out_grads)):
                in_grads: tuple = (None,) * len(node._edges)
            else:
                in_grads = node.apply(tuple(out_grads))
            if node._hooks:
                for hook in node._hooks:
                    hook(in_grads, tuple(out_grads))
            for (nxt, nr), g, meta in zip(node._edges, in_grads, node._input_meta):
                if nxt is None:
                    continue
                if g is not None:
                    g = _conform(g, meta)
                    buf = buffers.get(nxt)
                    if buf is None:
                        buf = buffers[nxt] = [None] * max(nxt._num_outputs, 1)
                    old = buf[nr]
                    buf[nr] = g if old is None else old + g
                left = deps[nxt] - 1
                deps[nxt] = left
                if left == 0:
                    ready.append(nxt)
    finally:
        grad_state.enabled = prev
        if not retain_graph:
            for node in deps:
                node.release()
    if inputs is None or accumulate:
        return None
    for r in results:
        if r is None and not allow_unused:
            raise RuntimeError("One of the differentiated Tensors appears to not have been used "
                               "in the graph. Set allow_unused=True if this is the desired "
                               "behavior.")
    return tuple(results)


def _conform(g: Any, meta: tuple) -> Any:
    shape, dtype, backend = meta
    if g._backend.shape(g._data) != shape:
        g = sum_to_shape(g, shape)
    if g._dtype is not dtype:
        if g._dtype.kind == "c" and dtype.kind != "c":
            g = g.real  # a real input's gradient is the real part (NOTE [ Complex gradients ])
        g = g.to(dtype)
    return g


def _accumulate(node: AccumulateGrad, g: Any, create_graph: bool) -> None:
    var = node.variable
    if var is None or g is None:
        return
    meta = var._ensure_meta()
    if meta.hooks:
        for hook in meta.hooks:
            new = hook(g)
            if new is not None:
                g = new
    if meta.grad is None:
        meta.grad = g if create_graph else g.detach().clone()
    elif create_graph or meta.grad._requires_grad:
        meta.grad = meta.grad + g
    else:
        meta.grad.add_(g.detach())
