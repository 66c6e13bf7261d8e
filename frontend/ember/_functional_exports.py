"""The ``torch.*`` functions and ``Tensor`` methods PyTorch exposes from its functional API
(``torch.relu``, ``torch.conv2d``, ``Tensor.softmax``, ...): bound here to
``ember.nn.functional`` wherever the signatures agree, so there is one implementation."""

from __future__ import annotations

from typing import Any

__all__ = ["install"]

#: Functions whose ``torch.<name>`` signature matches ``torch.nn.functional.<name>``.
_SAME_SIGNATURE = (
    "relu", "relu_", "selu", "selu_", "celu", "celu_", "rrelu", "rrelu_", "prelu",
    "hardshrink", "threshold", "threshold_", "pixel_shuffle", "pixel_unshuffle",
    "channel_shuffle", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "cosine_similarity", "pairwise_distance", "pdist", "bilinear",
    "layer_norm", "group_norm", "dropout", "alpha_dropout", "feature_alpha_dropout",
    "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "adaptive_avg_pool1d",
)


def install(namespace: dict, tensor_cls: type) -> None:
    """Add the functional ops to ``ember``'s namespace and their methods to ``Tensor``."""
    from .nn import functional as F

    for name in _SAME_SIGNATURE:
        fn = getattr(F, name, None)
        if fn is not None:
            namespace.setdefault(name, fn)

    def softmax(input: Any, dim: int, dtype: Any = None) -> Any:
        """``torch.softmax(input, dim, dtype=None)``: :func:`ember.nn.functional.softmax`."""
        return F.softmax(input, dim, dtype=dtype)

    def log_softmax(input: Any, dim: int, dtype: Any = None) -> Any:
        """``torch.log_softmax(input, dim, dtype=None)``."""
        return F.log_softmax(input, dim, dtype=dtype)

    namespace.setdefault("softmax", softmax)
    namespace.setdefault("log_softmax", log_softmax)
    for name, fn in (("relu", F.relu), ("relu_", F.relu_), ("softmax", softmax),
                     ("log_softmax", log_softmax), ("hardshrink", F.hardshrink)):
        if not hasattr(tensor_cls, name):
            setattr(tensor_cls, name, fn)
