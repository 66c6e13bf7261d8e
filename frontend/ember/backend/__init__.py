"""``ember.backend``: the backend protocol, dtypes, devices, plugin hooks and registry.

This package is the only part of Ember a backend plugin imports. It imports nothing else
from Ember (DESIGN.md section 2).
"""

from . import philox
from ._device import device
from ._dtypes import (
    ALL_DTYPES,
    bfloat16,
    bool_,
    by_name,
    complex64,
    complex128,
    dtype,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from ._protocol import (
    BINARY_OPS,
    COMPARISON_OPS,
    OPTIONAL_KERNELS,
    REDUCTION_OPS,
    UNARY_OPS,
    Backend,
    BackendUnavailable,
)
from ._registry import ENTRY_POINT_GROUP, BackendSpec, Registry, default_device_name, registry
from .hookspecs import hookimpl, hookspec

__all__ = [
    "ALL_DTYPES",
    "BINARY_OPS",
    "COMPARISON_OPS",
    "ENTRY_POINT_GROUP",
    "OPTIONAL_KERNELS",
    "REDUCTION_OPS",
    "UNARY_OPS",
    "Backend",
    "BackendSpec",
    "BackendUnavailable",
    "Registry",
    "bfloat16",
    "bool_",
    "by_name",
    "complex64",
    "complex128",
    "default_device_name",
    "device",
    "dtype",
    "float16",
    "float32",
    "float64",
    "hookimpl",
    "hookspec",
    "int8",
    "int16",
    "int32",
    "int64",
    "philox",
    "registry",
    "uint8",
]
