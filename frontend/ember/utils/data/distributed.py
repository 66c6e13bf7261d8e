"""``DistributedSampler``: each process of a distributed job reads its own share of a dataset."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

import ember

from .sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler[int]):
    """The indices of the dataset that rank ``rank`` of ``num_replicas`` processes reads.

    The (optionally shuffled) indices are padded by repeating the first ones until their
    count divides evenly (or, with ``drop_last``, trimmed), then rank ``r`` takes every
    ``num_replicas``-th index starting at ``r``. Every rank therefore yields the same number
    of indices, and together they cover the dataset. Call :meth:`set_epoch` at the start of
    each epoch so that the shuffle differs between epochs (it is the same on every rank).

    Without shuffling the indices are exactly PyTorch's. With ``shuffle=True`` the
    permutation is ``ember.randperm(len(dataset), generator=g)`` with ``g`` seeded
    ``seed + epoch``, PyTorch's recipe; Ember's generator is Philox, not PyTorch's
    mt19937, so the shuffled order differs from PyTorch's (the padding and the split are
    the same).

    Args:
        dataset (Dataset): a dataset with ``__len__``.
        num_replicas (int, optional): the number of processes (default: the world size of
            the default process group).
        rank (int, optional): this process's rank (default: its rank in the default group).
        shuffle (bool): shuffle the indices. Default: ``True``.
        seed (int): the shuffling seed, the same on every rank. Default: 0.
        drop_last (bool): drop the tail instead of padding, so no index is repeated.
            Default: ``False``.

    Examples:
        >>> from ember.utils.data.distributed import DistributedSampler
        >>> [list(DistributedSampler(range(10), num_replicas=4, rank=r, shuffle=False))
        ...  for r in range(4)]
        [[0, 4, 8], [1, 5, 9], [2, 6, 0], [3, 7, 1]]
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None:
            num_replicas = ember.distributed.get_world_size()
        if rank is None:
            rank = ember.distributed.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            g = ember.Generator().manual_seed(self.seed + self.epoch)
            indices = ember.randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[:self.total_size]
        assert len(indices) == self.total_size
        indices = indices[self.rank:self.total_size:self.num_replicas]
        assert len(indices) == self.num_samples
        return iter(indices)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which seeds this epoch's shuffle (``seed + epoch``).

        Args:
            epoch (int): the epoch number.
        """
        self.epoch = epoch
