"""The fetchers: a TensorDataset batch read in one indexing per tensor (NOTE [ Batched reads
of a TensorDataset ] in ``_utils/fetch.py``) gives exactly what per-sample reads and
``default_collate`` give, and is taken only where nothing can tell the difference."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.utils.data import BatchSampler, DataLoader, TensorDataset, default_collate
from ember.utils.data._utils.fetch import DatasetKind, create_fetcher

X = np.random.default_rng(0).standard_normal((23, 3, 2)).astype(np.float32)
Y = np.arange(23, dtype=np.int64) % 5


def dataset(device: str = "cpu") -> TensorDataset:
    return TensorDataset(ember.tensor(X, device=device), ember.tensor(Y, device=device))


def per_sample(batch):  # default_collate, but not the function itself: the general path
    return default_collate(batch)


def assert_same_batches(a, b):
    assert len(a) == len(b)
    for got, want in zip(a, b):
        assert type(got) is type(want) is list and len(got) == len(want)
        for g, w in zip(got, want):
            assert g.dtype == w.dtype and g.shape == w.shape and g.device == w.device
            np.testing.assert_array_equal(g.cpu().numpy(), w.cpu().numpy())


@pytest.mark.parametrize("shuffle,drop_last", [(False, False), (True, False), (True, True)])
def test_batched_path_equals_per_sample_collation(shuffle, drop_last):
    def batches(collate_fn):
        g = ember.Generator().manual_seed(4)
        return list(DataLoader(dataset(), batch_size=5, shuffle=shuffle, drop_last=drop_last,
                               generator=g, collate_fn=collate_fn))

    fast = batches(None)
    assert_same_batches(fast, batches(per_sample))
    assert len(fast) == (4 if drop_last else 5)


def test_matches_pytorch_dataloader(torch):
    ours = list(DataLoader(dataset(), batch_size=4))
    theirs = list(torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y)), batch_size=4))
    assert len(ours) == len(theirs)
    for (xb, yb), (txb, tyb) in zip(ours, theirs):
        np.testing.assert_array_equal(xb.numpy(), txb.numpy())
        np.testing.assert_array_equal(yb.numpy(), tyb.numpy())
        assert str(yb.dtype).split(".")[-1] == str(tyb.dtype).split(".")[-1]


def test_when_the_batched_path_is_taken():
    def fetcher(ds, collate_fn=default_collate, auto=True):
        return create_fetcher(DatasetKind.Map, ds, auto, collate_fn, False)

    assert fetcher(dataset()).batched
    assert not fetcher(dataset(), collate_fn=per_sample).batched
    assert not fetcher(dataset(), auto=False).batched

    class Scaled(TensorDataset):  # a transform in __getitem__: per sample
        def __getitem__(self, i):
            x, y = super().__getitem__(i)
            return x * 2, y

    class Items(TensorDataset):
        def __getitems__(self, indices):
            return [self[i] for i in indices]

    assert not fetcher(Scaled(ember.tensor(X), ember.tensor(Y))).batched
    assert not fetcher(Items(ember.tensor(X), ember.tensor(Y))).batched
    xb, _ = next(iter(DataLoader(Scaled(ember.tensor(X), ember.tensor(Y)), batch_size=3)))
    np.testing.assert_array_equal(xb.numpy(), X[:3] * 2)


def test_other_index_types_take_the_general_path():
    # a batch sampler of tensors, NumPy integers or a tuple: read sample by sample
    for batches in ([[ember.tensor(1), ember.tensor(4)]], [[np.int64(1), np.int64(4)]],
                    [(1, 4)]):
        (xb, yb), = DataLoader(dataset(), batch_sampler=batches)
        np.testing.assert_array_equal(xb.numpy(), X[[1, 4]])
        np.testing.assert_array_equal(yb.numpy(), Y[[1, 4]])


def test_tensors_on_two_devices_and_requiring_grad():
    x = ember.tensor(X, requires_grad=True)
    ds = TensorDataset(x, ember.tensor(Y, device="ref"))
    xb, yb = next(iter(DataLoader(ds, batch_size=6, sampler=[5, 0, 22, 1, 1, 3])))
    assert xb.requires_grad and yb.device.type == "ref"
    np.testing.assert_array_equal(xb.detach().numpy(), X[[5, 0, 22, 1, 1, 3]])
    np.testing.assert_array_equal(yb.cpu().numpy(), Y[[5, 0, 22, 1, 1, 3]])
    xb.sum().backward()
    want = np.zeros_like(X)
    np.add.at(want, [5, 0, 22, 1, 1, 3], 1.0)
    np.testing.assert_array_equal(x.grad.numpy(), want)


def test_out_of_range_index_raises_index_error():
    with pytest.raises(IndexError):
        next(iter(DataLoader(dataset(), batch_sampler=[[0, 23]])))


def test_workers_use_the_batched_path_too():
    sampler = BatchSampler(range(23), batch_size=8, drop_last=False)
    batches = list(DataLoader(dataset(), batch_sampler=sampler, num_workers=2))
    assert_same_batches(batches, list(DataLoader(dataset(), batch_sampler=sampler,
                                                 collate_fn=per_sample)))
