"""Functional interface (``ember.nn.functional``, usually imported as ``F``).

Every function follows ``torch.nn.functional``: the same names, signatures, defaults and
errors. They are written on Ember's public tensor API, so they run on every backend.
"""

from __future__ import annotations

from . import (
    _activation,
    _activation_smooth,
    _attention,
    _conv,
    _ctc,
    _distance,
    _dropout,
    _linear,
    _loss,
    _loss_class,
    _normalization,
    _pooling,
    _pooling_avg,
    _pooling_unpool,
    _softmax,
    _sparse,
    _vision,
)
from ._activation import *  # noqa: F403
from ._activation_smooth import *  # noqa: F403
from ._attention import *  # noqa: F403
from ._conv import *  # noqa: F403
from ._ctc import *  # noqa: F403
from ._distance import *  # noqa: F403
from ._dropout import *  # noqa: F403
from ._linear import *  # noqa: F403
from ._loss import *  # noqa: F403
from ._loss_class import *  # noqa: F403
from ._normalization import *  # noqa: F403
from ._pooling import *  # noqa: F403
from ._pooling_avg import *  # noqa: F403
from ._pooling_unpool import *  # noqa: F403
from ._softmax import *  # noqa: F403
from ._sparse import *  # noqa: F403
from ._vision import *  # noqa: F403

__all__ = [name for mod in (_activation, _activation_smooth, _attention, _conv, _ctc, _distance,
                            _dropout, _linear, _loss, _loss_class, _normalization, _pooling,
                            _pooling_avg, _pooling_unpool, _softmax, _sparse, _vision)
           for name in mod.__all__]



def _refuse_complex() -> None:
    from ..._ops._real_only import NN_REAL_ONLY, real_only

    for fname, exc in NN_REAL_ONLY.items():  # as PyTorch's, these refuse complex input
        globals()[fname] = real_only(fname, exc, globals()[fname])


_refuse_complex()


def __getattr__(name: str) -> object:
    # PyTorch's F.multi_head_attention_forward lives with the MultiheadAttention module
    # (ember.nn.modules._mha), which itself imports this package: resolve it lazily.
    if name == "multi_head_attention_forward":
        from ..modules._mha import multi_head_attention_forward

        return multi_head_attention_forward
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
