"""Batching samples: :func:`default_collate` and :func:`default_convert`, with PyTorch's rules.

``collate(batch, collate_fn_map=...)`` dispatches on the type of the batch's first element:
an exact match in ``collate_fn_map`` first, then the first ``isinstance`` match in the map's
order, then the container rules (mappings per key, namedtuples per field, sequences
transposed). :data:`default_collate_fn_map` stacks tensors, turns NumPy arrays and scalars,
floats and ints into tensors, and keeps strings as a list. A custom collate function can
extend a copy of that map, as in PyTorch.

NumPy is never imported here: a NumPy value can only reach a batch once the user imported
NumPy, and it is recognised by its type's module (see :class:`_NumpyType`).
"""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

import ember

__all__ = ["collate", "default_collate", "default_collate_fn_map", "default_convert"]

# dtype.str of NumPy arrays that cannot become tensors: bytes, str and object arrays.
np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}")

CollateFnMap = dict[type | tuple[type, ...], Callable]
Batch = Sequence[Any]


class _NumpyTypeMeta(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        kind = type(obj)
        return kind.__module__ == "numpy" and cls._matches(obj)  # type: ignore[attr-defined]


class _NumpyType(metaclass=_NumpyTypeMeta):
    """A stand-in for NumPy types as keys of a collate map (matched through ``isinstance``)."""

    @staticmethod
    def _matches(obj: Any) -> bool:
        raise NotImplementedError


class _NumpyArray(_NumpyType):
    """``isinstance(x, _NumpyArray)`` is ``isinstance(x, numpy.ndarray)``."""

    @staticmethod
    def _matches(obj: Any) -> bool:
        return type(obj).__name__ == "ndarray"


class _NumpyScalar(_NumpyType):
    """``isinstance(x, _NumpyScalar)`` is ``isinstance(x, (np.bool_, np.number, np.object_))``."""

    @staticmethod
    def _matches(obj: Any) -> bool:
        dtype = getattr(obj, "dtype", None)
        return (type(obj).__name__ != "ndarray" and dtype is not None
                and dtype.kind in "biufcO")


def _is_numpy_value(data: Any) -> bool:
    """A NumPy array or scalar other than a NumPy string (what :func:`default_convert` converts)."""
    kind = type(data)
    return kind.__module__ == "numpy" and kind.__name__ not in ("str_", "string_", "bytes_")


def default_convert(data: Any) -> Any:
    """Convert NumPy arrays and scalars in ``data`` to tensors, keeping the structure.

    The collate function of a :class:`~ember.utils.data.DataLoader` with ``batch_size=None``
    (no automatic batching). Mappings, namedtuples and sequences are converted element by
    element (a tuple becomes a list, as in PyTorch); everything else is returned as is.

    Args:
        data: a sample.

    Example:
        >>> import numpy as np
        >>> from ember.utils.data import default_convert
        >>> default_convert({"x": np.arange(2), "tag": "a"})
        {'x': tensor([0, 1]), 'tag': 'a'}
    """
    data_type = type(data)
    if isinstance(data, ember.Tensor):
        return data
    if _is_numpy_value(data):
        if (data_type.__name__ == "ndarray"
                and np_str_obj_array_pattern.search(data.dtype.str) is not None):
            return data
        return ember.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return data_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data


def _rebuild_mapping(template: Any, values: dict) -> Any:
    """A mapping of ``template``'s type holding ``values`` (a plain dict if that fails)."""
    try:
        if isinstance(template, collections.abc.MutableMapping):
            clone = copy.copy(template)
            clone.update(values)
            return clone
        return type(template)(values)
    except TypeError:
        return values


def _rebuild_sequence(template: Any, values: list) -> Any:
    """A sequence of ``template``'s type holding ``values`` (a list if that fails)."""
    try:
        if isinstance(template, collections.abc.MutableSequence):
            clone = copy.copy(template)
            for i, value in enumerate(values):
                clone[i] = value
            return clone
        return type(template)(values)
    except TypeError:
        return values


def _collate_key(batch: Batch, key: Any, collate_fn_map: CollateFnMap | None) -> Any:
    """Collate ``[d[key] for d in batch]``; a stacking error names the key path."""
    try:
        return collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
    except RuntimeError as e:
        if type(e) is not RuntimeError:
            raise
        base, path = getattr(e, "_collate_key_path", (str(e), ()))
        path = (key, *path)
        where = "".join(f"[{k!r}]" for k in path)
        error = RuntimeError(f"{base} (when collating the samples' key {where})")
        error._collate_key_path = (base, path)  # type: ignore[attr-defined]
        raise error from None


def collate(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """Collate a list of samples into a batch, dispatching through ``collate_fn_map``.

    Each function of ``collate_fn_map`` is called as ``fn(batch, collate_fn_map=...)`` for
    a batch whose first element's type is its key (exactly, else by ``isinstance`` in the
    map's order); containers are collated element-wise with the same map.

    Args:
        batch (sequence): the samples.
        collate_fn_map (dict, optional): element type -> collate function.

    Example:
        >>> from ember.utils.data._utils.collate import collate, default_collate_fn_map
        >>> fns = {**default_collate_fn_map, str: lambda b, *, collate_fn_map: "".join(b)}
        >>> collate([("a", 1), ("b", 2)], collate_fn_map=fns)
        ['ab', tensor([1, 2])]
    """
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        return _rebuild_mapping(elem, {key: _collate_key(batch, key, collate_fn_map)
                                       for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(samples, collate_fn_map=collate_fn_map)
                   for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns  # a tuple sample collates to a list, as in PyTorch
        return _rebuild_sequence(elem, columns)
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """Stack tensors along a new dimension 0."""
    return ember.stack(batch, 0)


def collate_numpy_array_fn(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """NumPy arrays become tensors, then are collated as tensors (string arrays are refused)."""
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([ember.as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """NumPy scalars become a 1-d tensor of their dtype."""
    return ember.as_tensor(batch)


def collate_float_fn(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """Python floats become a ``float64`` tensor."""
    return ember.tensor(batch, dtype=ember.float64)


def collate_int_fn(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """Python ints (and bools) become an ``int64`` (``bool``) tensor."""
    return ember.tensor(batch)


def collate_str_fn(batch: Batch, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """Strings and bytes stay a list."""
    return batch


default_collate_fn_map: CollateFnMap = {
    ember.Tensor: collate_tensor_fn,
    _NumpyArray: collate_numpy_array_fn,
    _NumpyScalar: collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch: Batch) -> Any:
    """Collate a list of samples into a batch with PyTorch's rules.

    The collate function of a :class:`~ember.utils.data.DataLoader` with automatic batching.
    By the type of the samples:

    * Tensor -> stacked along a new dimension 0 (shapes must agree)
    * NumPy array -> tensor, then stacked; NumPy scalar -> 1-d tensor of its dtype
    * float -> ``float64`` tensor; int -> ``int64`` tensor; bool -> ``bool`` tensor
    * str, bytes -> left as they are (the list of samples; inside a transposed sequence,
      the tuple of that position's values, as in PyTorch)
    * Mapping -> the same mapping type, each key collated
    * namedtuple -> the same namedtuple, each field collated
    * other sequence -> a list (or the same sequence type) of the collated positions;
      every sample must have the same length

    Args:
        batch (sequence): the samples.

    Example:
        >>> import ember
        >>> from ember.utils.data import default_collate
        >>> default_collate([0, 1, 2])
        tensor([0, 1, 2])
        >>> default_collate([{"x": ember.zeros(2), "y": 1.5}, {"x": ember.ones(2), "y": 2.0}])
        {'x': tensor([[0., 0.],
                [1., 1.]]), 'y': tensor([1.5000, 2.0000], dtype=ember.float64)}
        >>> default_collate([("a", 1), ("b", 2)])
        [('a', 'b'), tensor([1, 2])]
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)
