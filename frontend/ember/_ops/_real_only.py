"""Ops that refuse complex input, as PyTorch's do.

Complex numbers have no order, so comparisons, extremes, sorting, clamping, rounding and
the activations, pooling and losses built on them are not defined for them. The backends
would still compute something (NumPy orders complex numbers lexicographically), so the
public functions named here check their tensor arguments first and raise PyTorch's
exception type: ``public`` wraps each op of :data:`REAL_ONLY` (``ember`` namespace), and
``ember.nn.functional`` wraps those of :data:`NN_REAL_ONLY`. The hot ones check where they
already read the dtype instead of paying a wrapper call: the ordering comparisons in
``_elementwise._adjust``, ``max``/``min``/``amax``/``amin``/``aminmax``/``argmax``/``argmin``
through ``check_real``, ``maximum``/``minimum``/``fmax``/``fmin`` and ``clamp`` inline (so
``relu``, ``relu6`` and ``hardtanh``, built on ``clamp``, refuse as PyTorch's do), the
rounding functions, ``sign`` and ``erf`` in ``_unary._def``, and softmax, log_softmax (so
``cross_entropy``) and softmin in their shared ``_prepare``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["REAL_ONLY", "NN_REAL_ONLY", "real_only", "refusal"]

_RT, _NI = RuntimeError, NotImplementedError

#: op -> the exception PyTorch raises for complex input.
REAL_ONLY: dict[str, type[Exception]] = {
    **dict.fromkeys(("argsort", "isneginf", "isposinf", "msort", "nanmean", "nansum", "sort",
                     "topk"), _RT),
    **dict.fromkeys(("bucketize", "cummax", "cummin", "kthvalue", "median", "mode",
                     "nanmedian", "round", "searchsorted", "unique",
                     "unique_consecutive", "atan2", "arctan2", "frac", "floor_divide", "fmod",
                     "remainder", "signbit"), _NI),
}

#: function of ``ember.nn.functional`` -> the exception PyTorch raises for complex input.
NN_REAL_ONLY: dict[str, type[Exception]] = {
    **dict.fromkeys(("cosine_similarity", "kl_div", "pdist"), _RT),
    **dict.fromkeys((
        "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
        "adaptive_max_pool1d", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d",
        "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d",
        "adaptive_max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d",
        "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "celu",
        "celu_", "cosine_embedding_loss", "ctc_loss", "elu", "elu_", "gaussian_nll_loss",
        "gelu", "glu", "scaled_dot_product_attention", "upsample_bilinear",
        "group_norm", "hardshrink", "hardsigmoid", "hardswish",
        "hinge_embedding_loss", "huber_loss", "instance_norm", "interpolate", "layer_norm",
        "leaky_relu", "leaky_relu_", "local_response_norm", "logsigmoid", "lp_pool1d",
        "lp_pool2d", "lp_pool3d", "margin_ranking_loss", "max_pool1d",
        "max_pool1d_with_indices", "max_pool2d", "max_pool2d_with_indices", "max_pool3d",
        "max_pool3d_with_indices", "max_unpool1d", "max_unpool2d", "max_unpool3d", "mish",
        "mse_loss", "multi_margin_loss", "multilabel_margin_loss",
        "multilabel_soft_margin_loss", "nll_loss", "prelu", "rrelu",
        "rrelu_", "selu", "selu_", "smooth_l1_loss", "softplus", "softshrink", "threshold",
        "threshold_", "upsample", "upsample_nearest"), _NI),
}


def refusal(name: str, exc: type[Exception], dtype: Any) -> Exception:
    """The error for complex input to ``name``."""
    return exc(f"{name}: not implemented for complex tensors (got {dtype})")


def _complex_arg(values: Iterable[Any], tensor: type) -> Any:
    for v in values:
        if isinstance(v, tensor):
            if v._dtype.kind == "c":
                return v
        elif type(v) is list or type(v) is tuple:
            found = _complex_arg(v, tensor)
            if found is not None:
                return found
    return None


def real_only(name: str, exc: type[Exception], fn: Callable) -> Callable:
    """``fn`` raising ``exc`` when a tensor argument is complex (one ``isinstance`` and one
    dtype-kind read per argument: these are hot ops, ``relu`` and ``<`` among them)."""
    from .._tensor import Tensor  # imported by every op module before it registers

    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        for v in args:
            if isinstance(v, Tensor):
                if v._dtype.kind == "c":
                    break
            elif (type(v) is list or type(v) is tuple) and _complex_arg(v, Tensor):
                break
        else:
            if not kwargs or _complex_arg(kwargs.values(), Tensor) is None:
                return fn(*args, **kwargs)
        bad = _complex_arg((*args, *kwargs.values()), Tensor)
        raise refusal(name, exc, bad._dtype)

    op.__wrapped_real_only__ = fn  # type: ignore[attr-defined]
    return op
