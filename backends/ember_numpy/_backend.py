"""``NumpyBackend``: the array-API kernel base on NumPy, plus NumPy fast paths.

The class is assembled from mixins whose module names mirror the base's
(``ember.backend.array_api._elementwise`` -> ``ember_numpy._elementwise``, ...); each
override explains its divergence where it is written. Two NumPy facts apply everywhere:

* NumPy functions return NumPy scalars instead of 0-d arrays for 0-d results, and the
  array-api-compat wrappers pass them through. A scalar is immutable and has no storage,
  so every primitive inherited from the base is wrapped once, here, to return arrays
  (:func:`_arrays_out`); the fast paths use ``out=...`` or ``np.asarray`` themselves.
* NumPy warns on floating-point exceptions (``1 / 0``, ``log(-1)``); PyTorch does not.
  Warnings raised from Ember's kernel modules are ignored; user code keeps its own.
"""

from __future__ import annotations

import functools
import warnings

import array_api_compat.numpy as xp_numpy
import ml_dtypes
import numpy as np

from ember.backend import ALL_DTYPES, BINARY_OPS, COMPARISON_OPS, REDUCTION_OPS, UNARY_OPS
from ember.backend.array_api import ArrayAPIBackend

from ._creation import CreationMixin
from ._elementwise import ElementwiseMixin
from ._indexing import IndexingMixin
from ._linalg import LinalgMixin
from ._nn import NNMixin
from ._reduction import ReductionMixin
from ._shape import ShapeMixin

__all__ = ["NumpyBackend"]

_KERNEL_MODULES = r"(ember_numpy|ember\.backend\.array_api|array_api_compat)(\.|$)"


def silence_fp_warnings() -> None:
    """Ignore NumPy's floating-point RuntimeWarnings raised inside Ember's kernels (once;
    called again by each backend instance since ``warnings.catch_warnings`` may have
    dropped the filter)."""
    for action, _msg, category, module, _line in warnings.filters:
        if action == "ignore" and category is RuntimeWarning and module is not None \
                and module.pattern.startswith(_KERNEL_MODULES):
            return
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=_KERNEL_MODULES)


silence_fp_warnings()


class NumpyBackend(
    CreationMixin,
    ShapeMixin,
    ElementwiseMixin,
    ReductionMixin,
    LinalgMixin,
    IndexingMixin,
    NNMixin,
    ArrayAPIBackend,
):
    """NumPy on the CPU (device ``cpu``); every ember dtype, bfloat16 via ml_dtypes."""

    name = "numpy"
    device_type = "cpu"
    xp = xp_numpy
    dtypes = ALL_DTYPES
    capabilities = frozenset({"as_strided", "numpy", "dlpack", "einsum", "softmax",
                              "log_softmax", "logsumexp", "binary_into", "unary_into",
                              "view_as_real", "view_as_complex"})

    def __init__(self, device):
        super().__init__(device)
        silence_fp_warnings()

    @classmethod
    def _to_xp_dtype(cls, dt):
        if dt.name == "bfloat16":
            return np.dtype(ml_dtypes.bfloat16)
        return np.dtype(dt.name)


def _arrays_out(fn):
    @functools.wraps(fn)
    def method(self, *args):
        r = fn(self, *args)
        if type(r) is tuple:
            return tuple(v if type(v) is np.ndarray else np.asarray(v) for v in r)
        return r if type(r) is np.ndarray else np.asarray(r)
    return method


_ARRAY_RESULTS = (
    set(UNARY_OPS) | set(BINARY_OPS) | set(COMPARISON_OPS) | set(REDUCTION_OPS)
    | {"full", "arange", "from_list", "random_bits", "astype", "copy", "reshape", "permute",
       "expand", "getitem", "as_strided", "diagonal", "where", "clip", "argmax", "argmin",
       "cumsum", "cumprod", "sort", "matmul", "inv", "det", "solve", "svdvals", "svd", "cat",
       "flip", "pad", "index", "gather", "scatter", "nonzero", "unique", "softmax",
       "log_softmax", "logsumexp", "einsum", "view_as_real", "view_as_complex"}
)

for _name in sorted(_ARRAY_RESULTS):
    _owner = next(c for c in NumpyBackend.__mro__ if _name in c.__dict__)
    if _owner.__module__.startswith("ember.backend"):  # inherited from the base
        setattr(NumpyBackend, _name, _arrays_out(getattr(NumpyBackend, _name)))
