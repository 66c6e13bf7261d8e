"""Datasets: the map-style :class:`Dataset`, :class:`IterableDataset`, and their combinators.

A map-style dataset answers ``dataset[i]`` (and usually ``len(dataset)``); an iterable
dataset yields samples from ``iter(dataset)``. The combinators (:class:`TensorDataset`,
:class:`StackDataset`, :class:`ConcatDataset`, :class:`ChainDataset`, :class:`Subset`,
:func:`random_split`) have PyTorch's semantics, error types and messages.
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import ember

__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "StackDataset",
    "ConcatDataset",
    "ChainDataset",
    "Subset",
    "random_split",
]

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class Dataset(Generic[_T_co]):
    """An abstract map-style dataset: a map from keys (usually ``int``) to samples.

    Subclasses override :meth:`__getitem__` and usually ``__len__`` (which samplers and
    :class:`~ember.utils.data.DataLoader` use). They may also define ``__getitems__(indices)``
    returning a list of samples, which the DataLoader prefers for whole batches.
    ``a + b`` is :class:`ConcatDataset` ``([a, b])``.

    Example:
        >>> from ember.utils.data import Dataset
        >>> class Squares(Dataset):
        ...     def __getitem__(self, i):
        ...         return i * i
        ...     def __len__(self):
        ...         return 4
        >>> ds = Squares() + Squares()
        >>> len(ds), ds[5]
        (8, 1)
    """

    def __getitem__(self, index: Any) -> _T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset[_T_co]) -> ConcatDataset[_T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], Iterable[_T_co]):
    """An abstract dataset that is a stream of samples: subclasses override :meth:`__iter__`.

    With ``num_workers > 0`` every worker process holds its own copy of the dataset, so a
    stream must be split between workers (or each sample comes once per worker): use
    :func:`~ember.utils.data.get_worker_info` in ``__iter__`` or in ``worker_init_fn``.
    ``a + b`` is :class:`ChainDataset` ``([a, b])``.

    Example:
        >>> from ember.utils.data import IterableDataset, get_worker_info
        >>> class Range(IterableDataset):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         info = get_worker_info()
        ...         if info is None:            # loading in the main process
        ...             return iter(range(self.n))
        ...         return iter(range(info.id, self.n, info.num_workers))
        >>> list(Range(3) + Range(2))
        [0, 1, 2, 0, 1]
    """

    def __iter__(self) -> Iterator[_T_co]:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset[_T_co]) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class TensorDataset(Dataset[tuple]):
    """A dataset of tensors that share their first dimension; sample ``i`` is
    ``tuple(t[i] for t in tensors)``.

    Args:
        *tensors (Tensor): tensors with the same size of dimension 0.

    Example:
        >>> import ember
        >>> from ember.utils.data import TensorDataset
        >>> ds = TensorDataset(ember.arange(3), ember.zeros(3, 2))
        >>> len(ds), ds[1][0]
        (3, tensor(1))
    """

    tensors: tuple

    def __init__(self, *tensors: ember.Tensor) -> None:
        if any(tensors[0].size(0) != tensor.size(0) for tensor in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple:
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class StackDataset(Dataset):
    """Datasets of equal length stacked side by side: sample ``i`` is a tuple
    (positional datasets) or a dict (keyword datasets) of their samples ``i``.

    Args:
        *args (Dataset): datasets whose samples form a tuple.
        **kwargs (Dataset): datasets whose samples form a dict.

    Example:
        >>> from ember.utils.data import StackDataset
        >>> StackDataset([1, 2], ["a", "b"])[1]
        (2, 'b')
        >>> StackDataset(x=[1, 2], y=["a", "b"])[0]
        {'x': 1, 'y': 'a'}
    """

    datasets: tuple | dict

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError("Supported either ``tuple``- (via ``args``) or"
                             "``dict``- (via ``kwargs``) like input/output, but both types "
                             "are given.")
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        parts = list(args) if args else list(kwargs.values())
        self._length = len(parts[0])  # type: ignore[arg-type]
        if any(self._length != len(d) for d in parts):  # type: ignore[arg-type]
            raise ValueError("Size mismatch between datasets")
        self.datasets = args if args else kwargs

    def __getitem__(self, index: Any) -> tuple | dict:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices: list) -> list:
        named = isinstance(self.datasets, dict)
        pairs = self.datasets.items() if named else enumerate(self.datasets)  # type: ignore[union-attr]
        columns = {key: _fetch_many(d, indices) for key, d in pairs}
        if named:
            return [{k: col[j] for k, col in columns.items()} for j in range(len(indices))]
        return [tuple(col[j] for col in columns.values()) for j in range(len(indices))]

    def __len__(self) -> int:
        return self._length


def _fetch_many(dataset: Any, indices: list) -> list:
    """``dataset.__getitems__(indices)`` when it exists (checking its length), else one by one."""
    if callable(getattr(dataset, "__getitems__", None)):
        items = dataset.__getitems__(indices)
        if len(items) != len(indices):
            raise ValueError("Nested dataset's output size mismatch."
                             f" Expected {len(indices)}, got {len(items)}")
        return items
    return [dataset[i] for i in indices]


class ConcatDataset(Dataset[_T_co]):
    """The concatenation of map-style datasets: index ``i`` runs through the first
    dataset, then the second, ...; negative indices count from the end.

    Args:
        datasets (iterable): the datasets to concatenate (not :class:`IterableDataset`).

    Attributes:
        cumulative_sizes (list of int): the running total of the datasets' lengths.

    Example:
        >>> from ember.utils.data import ConcatDataset
        >>> ds = ConcatDataset([[0, 1, 2], [10, 11]])
        >>> ds.cumulative_sizes, ds[3], ds[-1]
        ([3, 5], 10, 11)
    """

    datasets: list
    cumulative_sizes: list[int]

    @staticmethod
    def cumsum(sequence: Iterable) -> list[int]:
        """The running total of the lengths of ``sequence``'s elements."""
        return list(itertools.accumulate(len(e) for e in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        super().__init__()
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> _T_co:
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        sample_idx = idx if dataset_idx == 0 else idx - self.cumulative_sizes[dataset_idx - 1]
        return self.datasets[dataset_idx][sample_idx]


class ChainDataset(IterableDataset):
    """Iterable datasets chained one after the other, lazily.

    Args:
        datasets (iterable of IterableDataset): the streams to chain.

    Example:
        >>> from ember.utils.data import ChainDataset, IterableDataset
        >>> class Count(IterableDataset):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n))
        >>> list(ChainDataset([Count(2), Count(3)]))
        [0, 1, 0, 1, 2]
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        super().__init__()
        self.datasets = datasets

    def __iter__(self) -> Iterator:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(d)  # type: ignore[arg-type]
        return total


class Subset(Dataset[_T_co]):
    """The samples of ``dataset`` at ``indices``: ``Subset(ds, idx)[i]`` is ``ds[idx[i]]``.

    A subclass that overrides ``__getitem__`` must override ``__getitems__`` too (the
    DataLoader fetches whole batches through it).

    Args:
        dataset (Dataset): the whole dataset.
        indices (sequence): the indices in ``dataset`` that make up the subset.

    Example:
        >>> from ember.utils.data import Subset
        >>> sub = Subset([10, 11, 12, 13], [3, 0])
        >>> len(sub), sub[0], sub.__getitems__([0, 1])
        (2, 13, [13, 10])
    """

    dataset: Dataset
    indices: Sequence[int]

    def __init__(self, dataset: Dataset[_T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        cls = type(self)
        if cls.__getitem__ is not Subset.__getitem__ and cls.__getitems__ is Subset.__getitems__:
            raise NotImplementedError(
                f"{cls.__name__} overrides __getitem__ but not __getitems__. When subclassing "
                "Subset and overriding __getitem__, you must also override __getitems__ to "
                "ensure DataLoader works correctly with your custom logic. A simple "
                "implementation:\n\ndef __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]")

    def __getitem__(self, idx: Any) -> _T_co:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list[_T_co]:
        picked = [self.indices[i] for i in indices]
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__(picked)  # type: ignore[attr-defined]
        return [self.dataset[i] for i in picked]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Dataset[_T], lengths: Sequence[int | float],
                 generator: ember.Generator | None = ember.default_generator) -> list[Subset[_T]]:
    """Split ``dataset`` at random into non-overlapping :class:`Subset` s of given lengths.

    ``lengths`` holds either the sizes (summing to ``len(dataset)``) or fractions summing
    to 1; fractions become ``floor(frac * len(dataset))`` and the remaining items go one
    each to the splits in turn (round-robin). A split of length 0 gives a warning.

    Args:
        dataset (Dataset): the dataset to split.
        lengths (sequence): the lengths or fractions of the splits.
        generator (Generator): the generator of the permutation (default: the global one).

    Example:
        >>> import ember
        >>> from ember.utils.data import random_split
        >>> parts = random_split(range(10), [0.3, 0.7], generator=ember.Generator().manual_seed(0))
        >>> [len(p) for p in parts]
        [3, 7]
    """
    n = len(dataset)  # type: ignore[arg-type]
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        sizes: list[int] = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            sizes.append(math.floor(n * frac))
        for i in range(n - sum(sizes)):  # round-robin the remainder
            sizes[i % len(sizes)] += 1
        lengths = sizes
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(f"Length of split at index {i} is 0. "
                              f"This might result in an empty dataset.", stacklevel=2)
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = ember.randperm(sum(lengths), generator=generator).tolist()  # type: ignore[arg-type]
    return [Subset(dataset, indices[end - length:end])  # type: ignore[index]
            for end, length in zip(itertools.accumulate(lengths), lengths)]  # type: ignore[arg-type]
