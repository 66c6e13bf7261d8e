"""Samplers: the same index semantics as torch (the random streams are Ember's own)."""

from __future__ import annotations

import collections

import pytest

import ember
from ember.utils.data import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def gen(seed=0):
    return ember.Generator().manual_seed(seed)


def test_sampler_base_is_abstract():
    with pytest.raises(NotImplementedError):
        iter(Sampler())


def test_sequential_sampler_matches_torch(torch):
    assert list(SequentialSampler(range(5))) == list(torch.utils.data.SequentialSampler(range(5)))
    assert len(SequentialSampler(range(5))) == 5


def test_random_sampler_is_a_permutation_each_pass():
    sampler = RandomSampler(range(20), generator=gen())
    first, second = list(sampler), list(sampler)
    assert sorted(first) == sorted(second) == list(range(20))
    assert first != second  # a fresh permutation per epoch
    assert len(sampler) == 20


def test_random_sampler_is_reproducible_with_a_seeded_generator():
    assert list(RandomSampler(range(10), generator=gen(5))) == list(
        RandomSampler(range(10), generator=gen(5)))


def test_random_sampler_without_generator_follows_manual_seed():
    ember.manual_seed(11)
    a = list(RandomSampler(range(10)))
    ember.manual_seed(11)
    assert list(RandomSampler(range(10))) == a


def test_random_sampler_num_samples_without_replacement_chains_permutations():
    out = list(RandomSampler(range(4), num_samples=10, generator=gen()))
    assert len(out) == 10
    assert sorted(out[:4]) == sorted(out[4:8]) == [0, 1, 2, 3]
    assert len(set(out[8:])) == 2


def test_random_sampler_with_replacement():
    out = list(RandomSampler(range(5), replacement=True, num_samples=100, generator=gen()))
    assert len(out) == 100 and set(out) <= set(range(5))
    assert len(set(out)) == 5  # 100 draws over 5 values: all appear (p of failure ~1e-9)
    assert len(RandomSampler(range(5), replacement=True, num_samples=70)) == 70


@pytest.mark.parametrize("kwargs", [{"replacement": 1}, {"num_samples": 0},
                                    {"num_samples": 2.5}])
def test_random_sampler_errors_match_torch(kwargs, torch):
    with pytest.raises((TypeError, ValueError)) as theirs:
        torch.utils.data.RandomSampler(range(3), **kwargs)
    with pytest.raises((TypeError, ValueError)) as ours:
        RandomSampler(range(3), **kwargs)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_subset_random_sampler_permutes_the_given_indices():
    sampler = SubsetRandomSampler([3, 9, 4, 12], generator=gen())
    out = list(sampler)
    assert sorted(out) == [3, 4, 9, 12] and len(sampler) == 4


def test_weighted_random_sampler_follows_the_weights():
    weights = [0.1, 0.0, 0.6, 0.3]
    out = list(WeightedRandomSampler(weights, 4000, generator=gen()))
    counts = collections.Counter(out)
    assert counts[1] == 0
    for i, w in enumerate(weights):
        assert abs(counts[i] / 4000 - w) < 0.04, (i, counts)


def test_weighted_random_sampler_without_replacement_draws_each_once():
    out = list(WeightedRandomSampler([1.0, 2.0, 3.0, 4.0], 4, replacement=False,
                                     generator=gen()))
    assert sorted(out) == [0, 1, 2, 3]
    assert len(WeightedRandomSampler([1.0, 2.0], 7)) == 7


@pytest.mark.parametrize("args", [([1.0, 2.0], 0), ([1.0, 2.0], True), ([1.0, 2.0], 2, 1),
                                  ([[1.0], [2.0]], 2)])
def test_weighted_random_sampler_errors_match_torch(args, torch):
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.WeightedRandomSampler(*args)
    with pytest.raises(ValueError) as ours:
        WeightedRandomSampler(*args)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("n, batch_size, drop_last", [(10, 3, False), (10, 3, True),
                                                      (9, 3, True), (2, 5, False),
                                                      (2, 5, True), (0, 2, False)])
def test_batch_sampler_matches_torch(n, batch_size, drop_last, torch):
    theirs = torch.utils.data.BatchSampler(range(n), batch_size, drop_last)
    ours = BatchSampler(range(n), batch_size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)


@pytest.mark.parametrize("batch_size, drop_last", [(0, False), (True, False), (2.0, False),
                                                   (2, 1)])
def test_batch_sampler_errors_match_torch(batch_size, drop_last, torch):
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.BatchSampler(range(4), batch_size, drop_last)
    with pytest.raises(ValueError) as ours:
        BatchSampler(range(4), batch_size, drop_last)
    assert str(ours.value) == str(theirs.value)
