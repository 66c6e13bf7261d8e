"""Ops that refuse complex input, as PyTorch's do.

Complex numbers have no order, so comparisons, extremes, sorting, clamping, rounding and
the activations, pooling and losses built on them are not defined for them. The backends
would still compute something (NumPy orders complex numbers lexicographically), so the
public functions named here check their tensor arguments first and raise PyTorch's
exception type: ``public`` wraps each op of :data:`REAL_ONLY` (``ember`` namespace), and
``ember.nn.functional`` wraps those of :data:`NN_REAL_ONLY`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["REAL_ONLY", "NN_REAL_ONLY", "real_only"]

_RT, _NI = RuntimeError, NotImplementedError

#: op -> the exception PyTorch raises for complex input.
REAL_ONLY: dict[str, type[Exception]] = {
    **dict.fromkeys(("argmax", "argmin", "argsort", "fmax", "fmin", "isneginf", "isposinf",
                     "maximum", "minimum", "msort", "nanmean", "nansum", "sort", "topk"), _RT),
    **dict.fromkeys(("amax", "amin", "aminmax", "bucketize", "clamp", "clip", "clamp_min",
                     "clamp_max", "cummax", "cummin", "ge", "greater", "greater_equal", "gt",
                     "kthvalue", "le", "less", "less_equal", "lt", "max", "median", "min",
                     "mode", "nanmedian", "round", "searchsorted", "sign", "unique",
                     "unique_consecutive", "relu", "atan2", "arctan2", "ceil", "floor", "fix",
                     "trunc", "frac", "erf", "erfinv", "floor_divide", "fmod", "remainder",
                     "signbit", "softmax", "log_softmax"), _NI),
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
        "celu_", "cosine_embedding_loss", "cross_entropy", "ctc_loss", "elu", "elu_",
        "gaussian_nll_loss", "gelu", "glu", "log_softmax", "scaled_dot_product_attention",
        "softmax", "softmin", "upsample_bilinear",
        "group_norm", "hardshrink", "hardsigmoid", "hardswish", "hardtanh", "hardtanh_",
        "hinge_embedding_loss", "huber_loss", "instance_norm", "interpolate", "layer_norm",
        "leaky_relu", "leaky_relu_", "local_response_norm", "logsigmoid", "lp_pool1d",
        "lp_pool2d", "lp_pool3d", "margin_ranking_loss", "max_pool1d",
        "max_pool1d_with_indices", "max_pool2d", "max_pool2d_with_indices", "max_pool3d",
        "max_pool3d_with_indices", "max_unpool1d", "max_unpool2d", "max_unpool3d", "mish",
        "mse_loss", "multi_margin_loss", "multilabel_margin_loss",
        "multilabel_soft_margin_loss", "nll_loss", "prelu", "relu", "relu6", "relu_", "rrelu",
        "rrelu_", "selu", "selu_", "smooth_l1_loss", "softplus", "softshrink", "threshold",
        "threshold_", "upsample", "upsample_nearest"), _NI),
}


def _complex_arg(values: Iterable[Any]) -> Any:
    for v in values:
        dt = getattr(v, "_dtype", None)
        if dt is not None and dt.kind == "c":
            return v
        if isinstance(v, list | tuple):
            found = _complex_arg(v)
            if found is not None:
                return found
    return None


def real_only(name: str, exc: type[Exception], fn: Callable) -> Callable:
    """``fn`` raising ``exc`` when a tensor argument is complex."""
    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        bad = _complex_arg(args) if args else None
        if bad is None and kwargs:
            bad = _complex_arg(kwargs.values())
        if bad is not None:
            raise exc(f"{name}: not implemented for complex tensors (got {bad._dtype})")
        return fn(*args, **kwargs)

    op.__wrapped_real_only__ = fn  # type: ignore[attr-defined]
    return op
