"""Reading one (possibly batched) index from a dataset and collating it: the fetchers.

The same fetcher runs in the main process (``num_workers=0``) and in each worker process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    """Reads ``dataset[i]`` for every ``i`` of a batch (through ``__getitems__`` if defined)."""

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.auto_collation:
            if getattr(self.dataset, "__getitems__", None):
                data = self.dataset.__getitems__(possibly_batched_index)
            else:
                data = [self.dataset[idx] for idx in possibly_batched_index]
        else:
            data = self.dataset[possibly_batched_index]
        return self.collate_fn(data)


def create_fetcher(kind: int, dataset: Any, auto_collation: bool, collate_fn: Callable,
                   drop_last: bool) -> _BaseDatasetFetcher:
    """The fetcher for a dataset of ``kind`` (:class:`DatasetKind`)."""
    cls = _MapDatasetFetcher if kind == DatasetKind.Map else _IterableDatasetFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)
