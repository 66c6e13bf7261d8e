"""What the gradient checks need: which cases, which ops, how inputs become leaves."""

from __future__ import annotations

import math
from typing import Any

from ._compare import _build
from .opdb import Case, TensorArg, all_cases

__all__ = ["COMPOSITE_IN_TORCH", "NAMED_UNLIKE_TORCH", "NON_DIFFERENTIABLE", "PIECEWISE_CONSTANT",
           "TORCH_SECOND_ORDER_WRONG", "non_differentiable",
           "KINKED_CASES", "grad_cases", "build_leaves", "outputs", "weighted_grads",
           "finite"]

#: Ops whose floating outputs carry no gradient in PyTorch either, with the reason.
NON_DIFFERENTIABLE: dict[str, str] = {
    **{op: "a fresh tensor that only takes its input's shape and dtype" for op in (
        "empty_like", "zeros_like", "ones_like", "full_like", "rand_like", "randn_like",
        "randint_like")},
    "bernoulli": "a random sample",
    "floor_divide": "PyTorch records NotImplemented: its backward raises",
    "histc": "a histogram (counts)",
    "unique": "PyTorch does not implement its derivative",
    "unique_consecutive": "PyTorch does not implement its derivative",
    "real": "the identity on real tensors (returns the input itself)",
    "conj": "the identity on real tensors (returns the input itself)",
    **{f"nn.functional.{op}": "training=False: returns the input itself (as PyTorch)" for op in (
        "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
        "feature_alpha_dropout")},
}

#: Piecewise-constant ops (zero gradient) whose samples sit on their jumps on purpose, where
#: finite differences are meaningless; their zero gradients are still compared.
PIECEWISE_CONSTANT = frozenset({"round", "floor", "ceil", "trunc", "sign", "sgn", "fix"})

#: Cases whose samples sit on a kink of the function, with the reason (finite differences
#: average the two one-sided slopes there); their gradients are still compared.
KINKED_CASES: dict[str, str] = {
    **{f"{op}-float64-tensor-q-dim": "q = 0.5 gives an integer rank, where d/dq jumps"
       for op in ("quantile", "nanquantile")},
    "nn.functional.embedding-float64-padding-idx":
        "the padding_idx row gets no gradient by definition (not the derivative)",
}

#: Cases whose second derivative PyTorch gets wrong, with the reason (``gradgradcheck``
#: still checks Ember's against finite differences).
TORCH_SECOND_ORDER_WRONG: dict[str, str] = {
    "logcumsumexp-complex128-complex": "PyTorch's double backward of complex logcumsumexp "
                                       "gives nan for finite inputs",
}

#: Ops PyTorch composes from other ops where Ember records one node: the last node's name
#: is PyTorch's implementation detail, so only the gradients are compared.
#: Functions of ``ember.nn.functional`` whose last node is named unlike PyTorch's: Ember
#: composes them from ops, or records one node for PyTorch's in-place/overload variants
#: (``EluBackward1``, ``RreluWithNoiseBackward0``, ``ThresholdBackward1``). Gradients are
#: still compared; only the node name is not.
NAMED_UNLIKE_TORCH = frozenset(f"nn.functional.{op}" for op in (
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d",
    "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d",
    "adaptive_max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d", "bilinear",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "celu", "celu_",
    "channel_shuffle", "cross_entropy", "ctc_loss", "elu_", "fold", "huber_loss",
    "instance_norm", "interpolate", "leaky_relu_", "margin_ranking_loss", "max_pool1d",
    "max_pool1d_with_indices", "max_pool2d", "max_pool2d_with_indices", "max_pool3d",
    "max_pool3d_with_indices", "max_unpool1d", "max_unpool2d", "max_unpool3d", "mse_loss",
    "multi_margin_loss", "multilabel_margin_loss", "nll_loss", "pad", "pairwise_distance",
    "pdist", "pixel_shuffle", "pixel_unshuffle", "rrelu", "rrelu_", "selu_", "smooth_l1_loss",
    "soft_margin_loss", "threshold_", "triplet_margin_loss",
    "triplet_margin_with_distance_loss", "unfold", "upsample", "upsample_bilinear",
    "upsample_nearest"))

COMPOSITE_IN_TORCH = frozenset({"quantile", "nanquantile", "einsum", "ember.linalg.multi_dot"}
                               ) | NAMED_UNLIKE_TORCH

def grad_cases() -> list[Case]:
    """The float64 and complex128 value cases (the dtypes finite differences need)."""
    return [c for c in all_cases() if not c.error and c.values and (
        c.dtype == "float64" or c.dtype.startswith("complex128"))]


#: Ops in :data:`NON_DIFFERENTIABLE` only because they are the identity on real tensors.
_IDENTITY_ON_REAL = frozenset({"real", "conj"})


def non_differentiable(case: Case) -> str | None:
    """Why the case's op has no gradient, or None when it has one."""
    if case.op in _IDENTITY_ON_REAL and case.dtype.startswith("complex"):
        return None
    return NON_DIFFERENTIABLE.get(case.op)


def finite(case: Case) -> bool:
    """True when every number in the case's tensor inputs is finite."""
    def ok(x: Any) -> bool:
        if isinstance(x, TensorArg):
            return ok(x.data)
        if isinstance(x, list | tuple):
            return all(ok(v) for v in x)
        if isinstance(x, float):
            return math.isfinite(x)
        return True

    return ok(list(case.args)) and ok(list(case.kwargs.values()))


def _leaf(t: Any, ns: Any) -> Any:
    if t.dtype in (ns.float64, ns.complex128):
        return t.detach().requires_grad_(True)
    return t


def build_leaves(case: Case, ns: Any, device: str) -> tuple[list, list, dict]:
    """The case's arguments in ``ns`` with floating tensors made leaves requiring grad
    (views keep their strides), and the list of those leaves."""
    leaves: list = []

    def build(a: Any) -> Any:
        if isinstance(a, TensorArg):
            t = _leaf(a.build(ns, device), ns)
            if t.requires_grad:
                leaves.append(t)
            return t
        if isinstance(a, list | tuple) and a and all(isinstance(x, TensorArg) for x in a):
            return type(a)(build(x) for x in a)
        return _build(a, ns, device)

    args = [build(a) for a in case.args]
    kwargs = {k: build(v) for k, v in case.kwargs.items()}
    return leaves, args, kwargs


def outputs(result: Any) -> list:
    """The floating tensors among an op's results."""
    if isinstance(result, list | tuple):
        return [t for r in result for t in outputs(r)]
    is_float = getattr(result, "is_floating_point", None)
    return [result] if is_float is not None and (result.is_floating_point() or
                                                 result.is_complex()) else []


def _term(o: Any, w: Any) -> Any:
    """``(o * w).sum()``, made real for complex ``o`` (weighting the imaginary parts too)."""
    t = (o * w.reshape(o.shape).to(o.dtype)).sum()
    return (t * (1 - 0.5j)).real if t.is_complex() else t


def weighted_grads(leaves: list, fn: Any) -> list:
    """The gradients of ``sum_k (out_k * w_k).sum()`` for fixed weights ``w_k`` (so the
    gradient differs from a plain sum's), with zeros where an input gets none."""
    outs = outputs(fn(*leaves))
    ns = _namespace(leaves[0])
    total = None
    for k, o in enumerate(outs):
        n = o.numel()
        w = ((ns.arange(n, dtype=ns.float64, device=o.device) + k) % 5 - 2.0) / 2.0
        term = _term(o, w)
        total = term if total is None else total + term
    grads = ns.autograd.grad(total, leaves, allow_unused=True)
    # (clone: PyTorch may hand back an "efficient zero" tensor that cannot be read directly)
    return [ns.zeros_like(t) if g is None else g.clone() for g, t in zip(grads, leaves)]


def second_order_grads(leaves: list, fn: Any) -> list:
    """The gradients of ``sum_i (g_i * u_i).sum()``, where ``g_i`` are the gradients of
    :func:`weighted_grads` taken with ``create_graph=True`` and ``u_i`` fixed weights: a
    Hessian-vector product through the op's double backward, zeros where none flows."""
    outs = outputs(fn(*leaves))
    ns = _namespace(leaves[0])
    total = None
    for k, o in enumerate(outs):
        w = ((ns.arange(o.numel(), dtype=ns.float64, device=o.device) + k) % 5 - 2.0) / 2.0
        term = _term(o, w)
        total = term if total is None else total + term
    firsts = ns.autograd.grad(total, leaves, allow_unused=True, create_graph=True)
    s = None
    for i, g in enumerate(firsts):
        if g is None or not g.requires_grad:
            continue  # no dependence left: its second derivative is zero
        u = ((ns.arange(g.numel(), dtype=ns.float64, device=g.device) + i) % 3 - 1.0) / 3.0
        term = _term(g, u)
        s = term if s is None else s + term
    if s is None:
        return [ns.zeros_like(t) for t in leaves]
    grads = ns.autograd.grad(s, leaves, allow_unused=True)
    return [ns.zeros_like(t) if g is None else g.detach().clone() for g, t in zip(grads, leaves)]


def _namespace(t: Any) -> Any:
    import importlib

    return importlib.import_module(type(t).__module__.split(".")[0])
