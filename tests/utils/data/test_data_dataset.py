"""Datasets and random_split, against torch.utils.data where behaviour is deterministic."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember
from ember.utils.data import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * i

    def __len__(self):
        return self.n


class Count(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def test_base_classes_must_be_overridden():
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement"):
        Dataset()[0]


def test_add_makes_concat_and_chain_datasets():
    both = Squares(2) + Squares(3)
    assert isinstance(both, ConcatDataset)
    assert [both[i] for i in range(len(both))] == [0, 1, 0, 1, 4]
    chained = Count(2) + Count(2)
    assert isinstance(chained, ChainDataset)
    assert list(chained) == [0, 1, 0, 1] and len(chained) == 4


def test_tensor_dataset_indexes_every_tensor():
    x, y = ember.arange(6.0).reshape(3, 2), ember.tensor([7, 8, 9])
    ds = TensorDataset(x, y)
    assert len(ds) == 3
    a, b = ds[1]
    assert a.tolist() == [2.0, 3.0] and b.item() == 8
    assert [t.tolist() for t in ds[1:]] == [[[2.0, 3.0], [4.0, 5.0]], [8, 9]]


def test_tensor_dataset_on_the_reference_backend():
    ds = TensorDataset(ember.arange(4, device="ref"), ember.ones(4, 2, device="ref"))
    assert len(ds) == 4 and ds[3][0].item() == 3 and ds[3][1].device.type == "ref"


def test_tensor_dataset_size_mismatch_like_torch(torch):
    with pytest.raises(AssertionError) as theirs:
        torch.utils.data.TensorDataset(torch.zeros(3), torch.zeros(4))
    with pytest.raises(AssertionError) as ours:
        TensorDataset(ember.zeros(3), ember.zeros(4))
    assert str(ours.value) == str(theirs.value) == "Size mismatch between tensors"


@pytest.mark.parametrize("idx", [0, 2, 3, 5, 6, -1, -7, -3])
def test_concat_dataset_indexing_matches_torch(idx, torch):
    parts = [[0, 1, 2], [], [10, 11], [20, 21]]
    theirs = torch.utils.data.ConcatDataset(parts)
    ours = ConcatDataset(parts)
    assert ours.cumulative_sizes == theirs.cumulative_sizes
    assert len(ours) == len(theirs)
    assert ours[idx] == theirs[idx]


def test_concat_dataset_errors_match_torch(torch):
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.ConcatDataset([[1, 2]])[-3]
    with pytest.raises(ValueError) as ours:
        ConcatDataset([[1, 2]])[-3]
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])
    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        ConcatDataset([Count(2)])
    with pytest.raises(IndexError):
        ConcatDataset([[1, 2], [3]])[3]


def test_chain_dataset_refuses_map_style_datasets():
    with pytest.raises(AssertionError, match="ChainDataset only supports IterableDataset"):
        list(ChainDataset([Count(1), Squares(2)]))
    with pytest.raises(AssertionError, match="ChainDataset only supports IterableDataset"):
        len(ChainDataset([Squares(2)]))


def test_subset_maps_indices():
    sub = Subset(Squares(5), [4, 0, 2])
    assert len(sub) == 3 and sub[0] == 16 and sub.__getitems__([2, 1]) == [4, 0]


def test_subset_uses_the_datasets_getitems():
    class Batched(Squares):
        def __getitems__(self, indices):
            return [("batched", i) for i in indices]

    assert Subset(Batched(5), [3, 1]).__getitems__([0, 1]) == [("batched", 3), ("batched", 1)]


def test_subset_subclass_overriding_getitem_only_is_refused():
    class Shifted(Subset):
        def __getitem__(self, idx):
            return super().__getitem__(idx) + 1

    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Shifted(Squares(3), [0])


def test_stack_dataset_tuple_and_dict():
    t = StackDataset(Squares(3), [5, 6, 7])
    assert t[2] == (4, 7) and len(t) == 3
    assert t.__getitems__([0, 1]) == [(0, 5), (1, 6)]
    d = StackDataset(sq=Squares(2), s=["a", "b"])
    assert d[1] == {"sq": 1, "s": "b"}
    assert d.__getitems__([1, 0]) == [{"sq": 1, "s": "b"}, {"sq": 0, "s": "a"}]
    with pytest.raises(ValueError, match="Size mismatch between datasets"):
        StackDataset([1], [1, 2])
    with pytest.raises(ValueError, match="At least one dataset should be passed"):
        StackDataset()
    with pytest.raises(ValueError, match="but both types are given"):
        StackDataset([1], x=[1])


@pytest.mark.parametrize("n, fractions", [
    (10, [0.3, 0.7]),
    (10, [0.33, 0.33, 0.34]),
    (7, [0.5, 0.5]),
    (11, [0.1, 0.2, 0.3, 0.4]),
    (5, [0.25, 0.25, 0.25, 0.25]),
    (3, [0.2, 0.2, 0.2, 0.2, 0.2]),
    (100, [1.0]),
])
def test_random_split_fraction_lengths_match_torch(n, fractions, torch):
    with warnings.catch_warnings(record=True) as their_warnings:
        warnings.simplefilter("always")
        theirs = torch.utils.data.random_split(range(n), fractions)
    with warnings.catch_warnings(record=True) as our_warnings:
        warnings.simplefilter("always")
        ours = random_split(range(n), fractions, generator=ember.Generator().manual_seed(0))
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    assert [str(w.message) for w in our_warnings] == [str(w.message) for w in their_warnings]
    everything = [x for s in ours for x in (s[i] for i in range(len(s)))]
    assert sorted(everything) == list(range(n))  # a partition


def test_random_split_warns_about_empty_splits():
    with pytest.warns(UserWarning) as record:
        random_split(range(3), [0.2, 0.2, 0.2, 0.2, 0.2])
    assert [str(w.message) for w in record] == [
        f"Length of split at index {i} is 0. This might result in an empty dataset."
        for i in (3, 4)]


def test_random_split_with_lengths_is_a_seeded_permutation():
    a = random_split(range(10), [3, 7], generator=ember.Generator().manual_seed(42))
    b = random_split(range(10), [3, 7], generator=ember.Generator().manual_seed(42))
    assert [list(s.indices) for s in a] == [list(s.indices) for s in b]
    perm = ember.randperm(10, generator=ember.Generator().manual_seed(42)).tolist()
    assert list(a[0].indices) == perm[:3] and list(a[1].indices) == perm[3:]


def test_random_split_default_generator_follows_manual_seed():
    ember.manual_seed(3)
    a = [list(s.indices) for s in random_split(range(8), [4, 4])]
    ember.manual_seed(3)
    b = [list(s.indices) for s in random_split(range(8), [4, 4])]
    assert a == b


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [-0.5, 1.5]])
def test_random_split_errors_match_torch(lengths, torch):
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.random_split(range(10), lengths)
    with pytest.raises(ValueError) as ours:
        random_split(range(10), lengths)
    assert str(ours.value) == str(theirs.value)


def test_random_split_of_a_tensor_dataset():
    ds = TensorDataset(ember.arange(10))
    train, val = random_split(ds, [0.8, 0.2], generator=ember.Generator().manual_seed(1))
    got = sorted([int(train[i][0].item()) for i in range(8)] + [int(val[i][0].item())
                                                                 for i in range(2)])
    np.testing.assert_array_equal(got, np.arange(10))
