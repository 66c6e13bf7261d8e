"""Collectives on the default group: ``all_reduce``, ``broadcast``, ``all_gather``, ``reduce``,
``gather``, ``scatter``, ``barrier`` and their object forms.

Tensors travel as the bytes of ``tensor.detach().cpu().numpy()``; rank 0 reduces them with
Ember's own ops and every result is written back in place with ``copy_``, so a tensor on any
device (``"cpu"``, ``"ref"``, ...) keeps its identity, dtype and device.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import ember

from ._init import _default_group

__all__ = ["ReduceOp", "Work", "all_gather", "all_gather_object", "all_reduce",
           "all_reduce_coalesced", "barrier", "broadcast", "broadcast_object_list", "gather",
           "reduce", "scatter"]


class ReduceOp:
    """How :func:`all_reduce` and :func:`reduce` combine the ranks' tensors: ``SUM``,
    ``AVG`` (floating point only), ``PRODUCT``, ``MIN``, ``MAX``, ``BAND``, ``BOR``, ``BXOR``.

    Examples:
        >>> ember.distributed.ReduceOp.SUM
        <RedOpType.SUM: 0>
    """

    class RedOpType(enum.Enum):
        SUM = 0
        AVG = 1
        PRODUCT = 2
        MIN = 3
        MAX = 4
        BAND = 5
        BOR = 6
        BXOR = 7
        PREMUL_SUM = 8

    SUM = RedOpType.SUM
    AVG = RedOpType.AVG
    PRODUCT = RedOpType.PRODUCT
    MIN = RedOpType.MIN
    MAX = RedOpType.MAX
    BAND = RedOpType.BAND
    BOR = RedOpType.BOR
    BXOR = RedOpType.BXOR
    PREMUL_SUM = RedOpType.PREMUL_SUM


_COMBINE: dict[Any, Callable[[Any, Any], Any]] = {
    ReduceOp.SUM: lambda a, b: a + b,
    ReduceOp.AVG: lambda a, b: a + b,
    ReduceOp.PRODUCT: lambda a, b: a * b,
    ReduceOp.MIN: lambda a, b: ember.minimum(a, b),
    ReduceOp.MAX: lambda a, b: ember.maximum(a, b),
    ReduceOp.BAND: lambda a, b: a & b,
    ReduceOp.BOR: lambda a, b: a | b,
    ReduceOp.BXOR: lambda a, b: a ^ b,
}


class Work:
    """The handle ``async_op=True`` returns. Ember's collectives finish before returning,
    so ``wait()`` returns ``True`` at once."""

    def __init__(self, result: list | None = None) -> None:
        self._result = result or []

    def wait(self, timeout: Any = None) -> bool:
        return True

    def is_completed(self) -> bool:
        return True

    def is_success(self) -> bool:
        return True

    def result(self) -> list:
        return self._result


def _check_tensor(value: Any, name: str = "tensor") -> None:
    if not isinstance(value, ember.Tensor):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type "
                        f"ember.Tensor\n             but got {type(value)} instead.")


def _check_list(value: Any, name: str) -> None:
    if not isinstance(value, list) or not all(isinstance(t, ember.Tensor) for t in value):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type "
                        f"List[ember.Tensor]\n             but got {type(value)} instead.")


def _check_root(root: int | None, size: int, op: str) -> int:
    root = 0 if root is None else root
    if not 0 <= root < size:
        raise RuntimeError(f"ProcessGroupGloo::{op}: invalid root rank: {root}")
    return root


def _bytes(t: Any) -> Any:
    return t.detach().cpu().numpy()


def _write(dst: Any, array: Any) -> None:
    with ember.no_grad():
        dst.copy_(ember.from_numpy(array))


def _done(async_op: bool, tensors: list) -> Work | None:
    return Work(tensors) if async_op else None


def _reduce_arrays(arrays: list, op: Any) -> Any:
    acc = ember.from_numpy(arrays[0]).clone()
    combine = _COMBINE[op]
    for a in arrays[1:]:
        acc = combine(acc, ember.from_numpy(a))
    if op is ReduceOp.AVG:
        acc = acc / len(arrays)
    return acc.numpy()


def _check_op(op: Any, tensors: list, world: int) -> None:
    if op not in _COMBINE:
        raise ValueError(f"all_reduce: unsupported ReduceOp {op!r} (Ember supports "
                         f"{', '.join(o.name for o in _COMBINE)})")
    for t in tensors:
        if op is ReduceOp.AVG and not (t.is_floating_point() or t.is_complex()):
            ember.empty(0, dtype=t.dtype).div_(world)  # raises PyTorch's cast error


def all_reduce_coalesced(tensors: list, op: Any = ReduceOp.SUM, group: Any = None,
                         async_op: bool = False) -> Work | None:
    """:func:`all_reduce` of several tensors in one exchange."""
    _check_list(tensors, "tensors")
    pg = _default_group(group)
    _check_op(op, tensors, pg.size())

    def combine(items: list) -> list:
        out = [_reduce_arrays([item[i] for item in items], op) for i in range(len(tensors))]
        return [out] * len(items)

    for t, array in zip(tensors, pg.exchange("all_reduce", [_bytes(t) for t in tensors],
                                             combine)):
        _write(t, array)
    return _done(async_op, tensors)


def all_reduce(tensor: Any, op: Any = ReduceOp.SUM, group: Any = None,
               async_op: bool = False) -> Work | None:
    """Reduce ``tensor`` across all ranks with ``op``, in place on every rank.

    Args:
        tensor (Tensor): the input and output (same shape and dtype on every rank).
        op (ReduceOp): ``SUM`` (default), ``AVG``, ``PRODUCT``, ``MIN``, ``MAX`` or a
            bitwise op.
        group: the default group (``None``).
        async_op (bool): return a :class:`Work` handle.

    Examples:
        >>> import os, tempfile
        >>> import ember.distributed as dist
        >>> path = os.path.join(tempfile.mkdtemp(), "pg")
        >>> dist.init_process_group("gloo", init_method=f"file://{path}", world_size=1, rank=0)
        >>> t = ember.tensor([1.0, 2.0])
        >>> dist.all_reduce(t, op=dist.ReduceOp.MAX); t
        tensor([1., 2.])
        >>> dist.destroy_process_group()
    """
    _check_tensor(tensor)
    return all_reduce_coalesced([tensor], op, group, async_op)


def reduce(tensor: Any, dst: int | None = None, op: Any = ReduceOp.SUM, group: Any = None,
           async_op: bool = False) -> Work | None:
    """Reduce ``tensor`` across all ranks into rank ``dst``'s ``tensor`` (others unchanged)."""
    _check_tensor(tensor)
    pg = _default_group(group)
    dst = _check_root(dst, pg.size(), "reduce")
    _check_op(op, [tensor], pg.size())

    def combine(items: list) -> list:
        return [_reduce_arrays(items, op) if r == dst else None for r in range(len(items))]

    result = pg.exchange("reduce", _bytes(tensor), combine)
    if result is not None:
        _write(tensor, result)
    return _done(async_op, [tensor])


def broadcast(tensor: Any, src: int | None = None, group: Any = None,
              async_op: bool = False) -> Work | None:
    """Copy rank ``src``'s ``tensor`` into ``tensor`` on every rank."""
    _check_tensor(tensor)
    pg = _default_group(group)
    src = _check_root(src, pg.size(), "broadcast")
    result = pg.exchange("broadcast", _bytes(tensor) if pg.rank() == src else None,
                         lambda items: [items[src]] * len(items))
    if pg.rank() != src:
        _write(tensor, result)
    return _done(async_op, [tensor])


def _check_outputs(tensor_list: list, tensor: Any, size: int, op: str) -> None:
    if len(tensor_list) != size:
        raise RuntimeError(f"ProcessGroupGloo::{op}: invalid output tensor list at index 0 "
                           f"(expected length {size}, got {len(tensor_list)})")
    for t in tensor_list:
        if tuple(t.shape) != tuple(tensor.shape):
            raise RuntimeError(f"ProcessGroupGloo::{op}: invalid tensor size at index 0 "
                               f"(expected {tuple(tensor.shape)}, got {tuple(t.shape)})")


def all_gather(tensor_list: list, tensor: Any, group: Any = None,
               async_op: bool = False) -> Work | None:
    """Fill ``tensor_list[r]`` with rank ``r``'s ``tensor``, on every rank."""
    _check_list(tensor_list, "tensor_list")
    _check_tensor(tensor)
    pg = _default_group(group)
    _check_outputs(tensor_list, tensor, pg.size(), "allgather")
    arrays = pg.exchange("all_gather", _bytes(tensor), lambda items: [items] * len(items))
    for out, array in zip(tensor_list, arrays):
        _write(out, array)
    return _done(async_op, tensor_list)


def gather(tensor: Any, gather_list: list | None = None, dst: int | None = None,
           group: Any = None, async_op: bool = False) -> Work | None:
    """Fill rank ``dst``'s ``gather_list[r]`` with rank ``r``'s ``tensor``."""
    _check_tensor(tensor)
    pg = _default_group(group)
    dst = _check_root(dst, pg.size(), "gather")
    if pg.rank() == dst:
        if not gather_list:
            raise ValueError("Argument ``gather_list`` must be specified on destination rank.")
        _check_list(gather_list, "gather_list")
        _check_outputs(gather_list, tensor, pg.size(), "gather")
    elif gather_list:
        raise ValueError("Argument ``gather_list`` must NOT be specified on non-destination "
                         "ranks.")
    arrays = pg.exchange("gather", _bytes(tensor),
                         lambda items: [items if r == dst else None for r in range(len(items))])
    if arrays is not None:
        for out, array in zip(gather_list or [], arrays):
            _write(out, array)
    return _done(async_op, [tensor])


def scatter(tensor: Any, scatter_list: list | None = None, src: int | None = None,
            group: Any = None, async_op: bool = False) -> Work | None:
    """Copy rank ``src``'s ``scatter_list[r]`` into rank ``r``'s ``tensor``."""
    _check_tensor(tensor)
    pg = _default_group(group)
    src = _check_root(src, pg.size(), "scatter")
    payload = None
    if pg.rank() == src:
        if not scatter_list:
            raise ValueError("Argument ``scatter_list`` must be specified on source rank.")
        _check_list(scatter_list, "scatter_list")
        _check_outputs(scatter_list, tensor, pg.size(), "scatter")
        payload = [_bytes(t) for t in scatter_list]
    elif scatter_list:
        raise ValueError("Argument ``scatter_list`` must NOT be specified on non-source ranks.")
    _write(tensor, pg.exchange("scatter", payload, lambda items: list(items[src])))
    return _done(async_op, [tensor])


def barrier(group: Any = None, async_op: bool = False, device_ids: Any = None,
            timeout: Any = None) -> Work | None:
    """Wait until every rank has called ``barrier``."""
    _default_group(group).exchange("barrier", None, lambda items: [None] * len(items))
    return _done(async_op, [])


def all_gather_object(object_list: list, obj: Any, group: Any = None) -> None:
    """Fill ``object_list[r]`` with rank ``r``'s picklable ``obj``, on every rank."""
    pg = _default_group(group)
    if len(object_list) != pg.size():
        raise ValueError(f"all_gather_object: object_list has length {len(object_list)}, "
                         f"expected the world size {pg.size()}")
    object_list[:] = pg.exchange("all_gather_object", obj, lambda items: [items] * len(items))


def broadcast_object_list(object_list: list, src: int | None = None, group: Any = None,
                          device: Any = None) -> None:
    """Replace ``object_list``'s items on every rank with rank ``src``'s (picklable) ones."""
    pg = _default_group(group)
    src = _check_root(src, pg.size(), "broadcast")
    mine = list(object_list) if pg.rank() == src else None
    object_list[:] = pg.exchange("broadcast_object_list", mine,
                                 lambda items: [items[src]] * len(items))
