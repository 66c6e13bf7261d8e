"""Ember: a PyTorch-style deep-learning framework on pluggable backends.

``import ember as torch`` runs PyTorch code: the same Tensor, autograd, nn, optim and data
APIs. Kernels come from backends (NumPy on the CPU, CuPy on CUDA, a pure-Python reference,
or any plugin); see ``ember.backends``.

Example:
    >>> import ember
    >>> x = ember.tensor([[1., 2.], [3., 4.]])
    >>> (x @ x.T).sum()
    tensor(52.)
"""

from __future__ import annotations

import builtins as _builtins

# The order matters: op modules register themselves, then Tensor gets its methods.
from . import _tensor_methods
from ._ops import _creation, _elementwise, _inplace, _load_families

_load_families()

from . import autograd, backends, cuda, linalg, random, return_types, version
from ._defaults import get_default_device, get_default_dtype, set_default_device, set_default_dtype
from ._dtype_info import finfo, iinfo
from ._layout import layout, strided
from ._ops._common import broadcast_shapes
from ._ops._registry import OPS, attach_methods
from ._printing import get_printoptions, printoptions, set_printoptions
from ._promotion import can_cast, promote_types
from ._random import *  # noqa: F403
from ._size import Size
from ._tensor import Tensor
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .backend import device, dtype
from .backend._dtypes import (
    bfloat16,
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from .backend._dtypes import bool_ as bool  # noqa: A001

__version__ = version.__version__

half = float16
float = float32  # noqa: A001
double = float64
short = int16
int = int32  # noqa: A001
long = int64
cfloat = complex64
cdouble = complex128

for _key, _info in OPS.items():
    if _info.module == "ember" and _info.function:
        globals()[_info.name] = _info.fn
        for _alias in _info.extra_methods:
            globals().setdefault(_alias, _info.fn)
attach_methods(Tensor)
_tensor_methods._attach_iops()


def is_tensor(obj: object) -> _builtins.bool:
    """True when ``obj`` is an Ember tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> _builtins.int:
    """The number of elements of ``input``."""
    return input.numel()


def is_floating_point(input: Tensor) -> _builtins.bool:
    """True for floating-point tensors."""
    return input.is_floating_point()


def is_complex(input: Tensor) -> _builtins.bool:
    """True for complex tensors."""
    return input.is_complex()


def result_type(tensor1, tensor2) -> dtype:
    """The dtype an arithmetic op on ``tensor1`` and ``tensor2`` produces."""
    from ._ops._common import promote, scalar_to_tensor

    if not isinstance(tensor1, Tensor):
        tensor1, tensor2 = tensor2, tensor1
    if not isinstance(tensor1, Tensor):
        tensor1 = scalar_to_tensor(tensor1)
    return promote(tensor1, tensor2)


def _legacy_class(name: str, dt: dtype) -> type:
    from ._ops._creation import _LEGACY_TYPES

    _LEGACY_TYPES[name] = dt
    return type(name, (Tensor,), {"__slots__": (), "__module__": "ember"})


FloatTensor = _legacy_class("FloatTensor", float32)
DoubleTensor = _legacy_class("DoubleTensor", float64)
HalfTensor = _legacy_class("HalfTensor", float16)
BFloat16Tensor = _legacy_class("BFloat16Tensor", bfloat16)
LongTensor = _legacy_class("LongTensor", int64)
IntTensor = _legacy_class("IntTensor", int32)
ShortTensor = _legacy_class("ShortTensor", int16)
CharTensor = _legacy_class("CharTensor", int8)
ByteTensor = _legacy_class("ByteTensor", uint8)
BoolTensor = _legacy_class("BoolTensor", bool)

# The libraries written on the public tensor API (DESIGN §2) come last: they use it all.
from . import nn, optim, utils  # noqa: E402
from . import amp  # noqa: E402
from .amp import (  # noqa: E402
    autocast,
    autocast_decrement_nesting,
    autocast_increment_nesting,
    clear_autocast_cache,
    get_autocast_dtype,
    is_autocast_cache_enabled,
    is_autocast_enabled,
    set_autocast_cache_enabled,
    set_autocast_dtype,
    set_autocast_enabled,
)

from . import _functional_exports  # noqa: E402

_functional_exports.install(globals(), Tensor)
from .serialization import load, save  # noqa: E402
from . import distributed  # noqa: E402


def __getattr__(name: str) -> object:
    # ember.jit and ember.onnx are imported on first use (nothing in them runs per op).
    if name in ("jit", "onnx"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
