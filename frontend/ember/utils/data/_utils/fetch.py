"""Reading one (possibly batched) index from a dataset and collating it: the fetchers.

The same fetcher runs in the main process (``num_workers=0``) and in each worker process.

# NOTE [ Batched reads of a TensorDataset ]
``default_collate`` of the samples ``(t[i] for t in tensors)`` of a :class:`TensorDataset`
is the list ``[stack([t[i] for i in batch]) for t in tensors]``, which is exactly
``[t[index] for t in tensors]`` with ``index`` the batch as an int64 tensor: one indexing
per tensor instead of one per sample and tensor plus a stack (PyTorch indexes per sample in
C++; in Python that would cost most of an epoch). The fetcher takes that path only when
nothing can tell the difference: the collate function is ``default_collate`` itself, the
dataset's class reads samples with ``TensorDataset.__getitem__`` (a subclass that
overrides it, e.g. to apply a transform, goes the general way), and the batch is a list
of plain ints (anything else -- tensors, NumPy integers, bools -- goes the general way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ember

from ..dataset import TensorDataset
from .collate import default_collate

__all__ = ["DatasetKind", "create_fetcher"]


class DatasetKind:
    """The two kinds of dataset: map-style (indexed) and iterable (a stream)."""

    Map = 0
    Iterable = 1


class _BaseDatasetFetcher:
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, possibly_batched_index: Any) -> Any:
        raise NotImplementedError


class _IterableDatasetFetcher(_BaseDatasetFetcher):
    """Takes the next sample (or the next ``len(index)`` samples) of the dataset's stream.

    The index only says how many samples make a batch. Raises ``StopIteration`` once the
    stream is exhausted (or when the last batch is short and ``drop_last`` is set).
    """

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        super().__init__(dataset, auto_collation, collate_fn, drop_last)
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in possibly_batched_index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if not data or (self.drop_last and len(data) < len(possibly_batched_index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


class _MapDatasetFetcher(_BaseDatasetFetcher):
    """Reads ``dataset[i]`` for every ``i`` of a batch (through ``__getitems__`` if defined;
    a :class:`TensorDataset` batch in one indexing per tensor, NOTE at the top)."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        super().__init__(dataset, auto_collation, collate_fn, drop_last)
        kind = type(dataset)
        self.batched = (auto_collation and collate_fn is default_collate
                        and isinstance(dataset, TensorDataset)
                        and kind.__getitem__ is TensorDataset.__getitem__
                        and getattr(kind, "__getitems__", None) is None)

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.batched and type(possibly_batched_index) is list \
                and all(type(i) is int for i in possibly_batched_index):
            return _index_tensors(self.dataset.tensors, possibly_batched_index)
        if self.auto_collation:
            if getattr(self.dataset, "__getitems__", None):
                data = self.dataset.__getitems__(possibly_batched_index)
            else:
                data = [self.dataset[idx] for idx in possibly_batched_index]
        else:
            data = self.dataset[possibly_batched_index]
        return self.collate_fn(data)


def _index_tensors(tensors: tuple, indices: list[int]) -> list:
    """``[t[indices] for t in tensors]``, the index made once per device."""
    index: dict[Any, Any] = {}
    out = []
    for t in tensors:
        idx = index.get(t.device)
        if idx is None:
            idx = index[t.device] = ember.tensor(indices, dtype=ember.int64, device=t.device)
        out.append(t[idx])
    return out


def create_fetcher(kind: int, dataset: Any, auto_collation: bool, collate_fn: Callable,
                   drop_last: bool) -> _BaseDatasetFetcher:
    """The fetcher for a dataset of ``kind`` (:class:`DatasetKind`)."""
    cls = _MapDatasetFetcher if kind == DatasetKind.Map else _IterableDatasetFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)
