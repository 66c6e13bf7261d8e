"""Ember's array-API kernel base: every backend primitive for any array-API namespace.

``ember_numpy`` and ``ember_cupy`` subclass :class:`ArrayAPIBackend` and add their own
fast paths; running it on ``array_api_strict`` proves it needs nothing outside the
standard. See NOTE [ Array-API kernel base ] in ``_base.py``.
"""

from __future__ import annotations

from ._base import ArrayAPICore
from ._creation import CreationMixin
from ._elementwise import ElementwiseMixin
from ._indexing import IndexingMixin
from ._linalg import LinalgMixin
from ._nn import NN_CAPABILITIES, NNMixin
from ._random import RandomMixin
from ._reduction import ReductionMixin
from ._shape import ShapeMixin

__all__ = ["ArrayAPIBackend"]


class ArrayAPIBackend(
    CreationMixin,
    ShapeMixin,
    ElementwiseMixin,
    ReductionMixin,
    LinalgMixin,
    IndexingMixin,
    RandomMixin,
    NNMixin,
    ArrayAPICore,
):
    """Implements :class:`ember.backend.Backend` on the array-API namespace ``xp``.

    A subclass sets ``name``, ``device_type`` and ``xp`` (and may override
    ``_to_xp_dtype``/``_from_xp_dtype`` for dtypes the namespace names differently);
    ``dtypes`` defaults to the ember dtypes the namespace has. The base declares the
    fused kernels it implements with standard functions; it has no ``"as_strided"``.

    Example:
        >>> import array_api_strict
        >>> from ember.backend import device
        >>> class Strict(ArrayAPIBackend):
        ...     name, device_type, xp = "strict", "strict", array_api_strict
        >>> be = Strict(device("strict"))
        >>> be.to_list(be.add(be.arange(0, 1, 3, be.dtypes[5]), 1))
        [1, 2, 3]
    """

    name = "array_api"
    capabilities = NN_CAPABILITIES
