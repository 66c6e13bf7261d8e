"""The functions a checkpoint's pickle calls to rebuild tensors and Parameters.

PyTorch names them ``torch._utils._rebuild_tensor_v2`` and so on; the unpickler maps those
names here (see NOTE [ Weights-only unpickling ]). Each checks its arguments, since under
``weights_only=True`` they are called with whatever the file holds.
"""

from __future__ import annotations

import pickle
from typing import Any

import ember
from ember._tensor import Tensor
from ember.backend import _dtypes as D

from ._storage import Storage

__all__ = ["rebuild_tensor", "rebuild_tensor_v2", "rebuild_tensor_v3", "rebuild_parameter",
           "rebuild_parameter_with_state", "rebuild_from_type_v2", "ember_rebuild",
           "ember_rebuild_parameter",
           "unsupported", "check_state"]

_PROTECTED = frozenset(Tensor.__slots__) | {"data", "grad", "requires_grad", "grad_fn"}


def check_state(state: Any) -> dict[str, Any]:
    """A pickled object's attribute dict, refusing names that would reach Ember's internals
    (a tensor's slots, dunders)."""
    if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
        raise pickle.UnpicklingError(f"ember.load: bad object state {state!r}")
    for k in state:
        if k in _PROTECTED or k.startswith("__"):
            raise pickle.UnpicklingError(f"ember.load: the checkpoint sets the attribute {k!r}, "
                                         f"which is not allowed")
    return state


def _check_ints(name: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, tuple | list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise pickle.UnpicklingError(f"ember.load: tensor {name} must be a tuple of ints, got "
                                     f"{value!r}")
    return tuple(value)


def _rebuild_tensor(storage: Any, storage_offset: Any, size: Any, stride: Any,
                    dtype: D.dtype | None = None) -> Tensor:
    if not isinstance(storage, Storage):
        raise pickle.UnpicklingError(f"ember.load: expected a storage to rebuild a tensor from, "
                                     f"got {type(storage).__name__}")
    if not isinstance(storage_offset, int) or isinstance(storage_offset, bool):
        raise pickle.UnpicklingError(f"ember.load: bad storage offset {storage_offset!r}")
    return storage.make_tensor(storage_offset, _check_ints("size", size),
                               _check_ints("stride", stride), dtype)


def _finish(t: Tensor, requires_grad: Any, metadata: Any) -> Tensor:
    if not isinstance(requires_grad, bool):
        raise pickle.UnpicklingError(f"ember.load: requires_grad must be a bool, got "
                                     f"{requires_grad!r}")
    if metadata:
        if not isinstance(metadata, dict):
            raise pickle.UnpicklingError(f"ember.load: bad tensor metadata {metadata!r}")
        if metadata.get("conj"):  # PyTorch's lazily conjugated tensors
            t = ember.conj(t).clone()
        if metadata.get("neg"):
            t = (-t).clone()
    if requires_grad:
        t.requires_grad_(True)
    return t


def rebuild_tensor_v2(storage: Any, storage_offset: Any, size: Any, stride: Any,
                      requires_grad: Any, backward_hooks: Any, metadata: Any = None) -> Tensor:
    """``torch._utils._rebuild_tensor_v2``: a tensor viewing ``storage``."""
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    return _finish(t, requires_grad, metadata)


def rebuild_tensor_v3(storage: Any, storage_offset: Any, size: Any, stride: Any,
                      requires_grad: Any, backward_hooks: Any, dtype: Any,
                      metadata: Any = None) -> Tensor:
    """``torch._utils._rebuild_tensor_v3``: as v2, reading the storage as ``dtype``."""
    if not isinstance(dtype, D.dtype):
        raise pickle.UnpicklingError(f"ember.load: bad dtype {dtype!r}")
    t = _rebuild_tensor(storage, storage_offset, size, stride, dtype)
    return _finish(t, requires_grad, metadata)


def rebuild_tensor(storage: Any, storage_offset: Any, size: Any, stride: Any) -> Tensor:
    """``torch._utils._rebuild_tensor`` (the oldest form)."""
    return _rebuild_tensor(storage, storage_offset, size, stride)


def _set_state(obj: Any, state: Any) -> Any:
    if isinstance(state, tuple) and len(state) == 2:
        dict_state, slots_state = state
        state = {**(dict_state or {}), **(slots_state or {})}
    for k, v in check_state(state).items():
        setattr(obj, k, v)
    return obj


def rebuild_parameter(data: Any, requires_grad: Any, backward_hooks: Any = None) -> Any:
    """``torch._utils._rebuild_parameter``: an :class:`ember.nn.Parameter`."""
    if not isinstance(data, Tensor) or not isinstance(requires_grad, bool):
        raise pickle.UnpicklingError("ember.load: bad arguments to rebuild a Parameter")
    return ember.nn.Parameter(data, requires_grad)


def ember_rebuild_parameter(data: Any, requires_grad: Any, cls: Any = None) -> Any:
    """Ember's own ``Parameter.__reduce_ex__`` target, with ``cls`` checked."""
    if cls is not None and not (isinstance(cls, type) and issubclass(cls, ember.nn.Parameter)):
        raise pickle.UnpicklingError(f"ember.load: {cls!r} is not a Parameter class")
    p = rebuild_parameter(data, requires_grad)
    if cls is not None and cls is not type(p):
        p.__class__ = cls
    return p


def rebuild_parameter_with_state(data: Any, requires_grad: Any, backward_hooks: Any,
                                 state: Any) -> Any:
    """``torch._utils._rebuild_parameter_with_state``: a Parameter with Python attributes."""
    return _set_state(rebuild_parameter(data, requires_grad), state)


def rebuild_from_type_v2(func: Any, new_type: Any, args: Any, state: Any) -> Any:
    """``torch._tensor._rebuild_from_type_v2``: ``func(*args)`` made a ``new_type``."""
    if func not in _REBUILDERS or not isinstance(args, tuple):
        raise pickle.UnpicklingError(f"ember.load: cannot rebuild a tensor with {func!r}")
    ret = func(*args)
    if not (isinstance(new_type, type) and issubclass(new_type, Tensor)):
        raise pickle.UnpicklingError(f"ember.load: {new_type!r} is not a tensor type")
    if type(ret) is not new_type:
        if issubclass(new_type, ember.nn.Parameter):
            ret = new_type(ret, ret.requires_grad)
        else:
            ret.__class__ = new_type
    return _set_state(ret, state) if state else ret


def ember_rebuild(payload: Any, shape: Any, dtype_name: Any, device: Any, requires_grad: Any,
                   cls: Any = Tensor) -> Tensor:
    # Ember's own pickling of tensors (Tensor.__reduce_ex__), with its payload restricted to
    # Python scalars and lists (a NumPy payload would need NumPy globals, which are refused).
    from ember._ops._creation import _rebuild

    if cls not in (Tensor, ember.nn.Parameter) or not isinstance(dtype_name, str) or not \
            isinstance(device, str):
        raise pickle.UnpicklingError("ember.load: bad arguments to rebuild an Ember tensor")
    return _rebuild(payload, _check_ints("shape", shape), dtype_name, device,
                    bool(requires_grad), cls)


def unsupported(what: str):
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"ember.load: the checkpoint holds {what}, which Ember does not "
                           f"support")
    return fail


_REBUILDERS = (rebuild_tensor_v2, rebuild_tensor_v3, rebuild_tensor, rebuild_parameter,
               rebuild_parameter_with_state)
