"""``DistributedSampler``: PyTorch's indices without shuffling; with shuffling the same
partition arithmetic over Ember's permutation."""

from __future__ import annotations

import pytest

import ember.distributed as dist
from ember.utils.data.distributed import DistributedSampler


@pytest.mark.parametrize("n", [0, 1, 3, 10, 11, 12])
@pytest.mark.parametrize("replicas", [1, 4, 5])
@pytest.mark.parametrize("drop_last", [False, True])
def test_unshuffled_matches_pytorch(n, replicas, drop_last, torch):
    from torch.utils.data.distributed import DistributedSampler as TorchSampler

    for rank in range(replicas):
        ours = DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = TorchSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert (ours.num_samples, ours.total_size) == (theirs.num_samples, theirs.total_size)
        assert _outcome(ours) == _outcome(theirs) and len(ours) == len(theirs)


def _outcome(sampler):
    try:
        return list(sampler)
    except ZeroDivisionError:  # PyTorch's, on an empty dataset with padding to do
        return "ZeroDivisionError"


@pytest.mark.parametrize("drop_last", [False, True])
def test_shuffled_partition(drop_last):
    n, replicas = 23, 4
    parts = [list(DistributedSampler(range(n), replicas, r, seed=5, drop_last=drop_last))
             for r in range(replicas)]
    flat = sorted(i for p in parts for i in p)
    assert len({len(p) for p in parts}) == 1
    if drop_last:
        assert len(flat) == len(set(flat)) == 20
    else:
        assert set(flat) == set(range(n)) and len(flat) == 24
    again = [list(DistributedSampler(range(n), replicas, r, seed=5, drop_last=drop_last))
             for r in range(replicas)]
    assert again == parts  # the same permutation on every rank and every run
    sampler = DistributedSampler(range(n), replicas, 0, seed=5, drop_last=drop_last)
    sampler.set_epoch(1)
    assert sampler.epoch == 1 and list(sampler) != parts[0]
    assert sorted(list(sampler)) != parts[0]


def test_defaults_and_errors(tmp_path, torch):
    from torch.utils.data.distributed import DistributedSampler as TorchSampler

    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedSampler(range(4))
    for cls in (DistributedSampler, TorchSampler):
        with pytest.raises(ValueError, match=r"Invalid rank 2, rank should be in the interval "
                           r"\[0, 1\]"):
            cls(range(4), num_replicas=2, rank=2)
    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/pg", world_size=1, rank=0)
    try:
        s = DistributedSampler(range(4), shuffle=False)
        assert (s.num_replicas, s.rank, s.epoch, s.seed) == (1, 0, 0, 0)
        assert list(s) == [0, 1, 2, 3]
    finally:
        dist.destroy_process_group()
