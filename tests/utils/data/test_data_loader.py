"""DataLoader in the calling process (num_workers=0): batching, options and errors vs torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember
from ember.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    SequentialSampler,
    TensorDataset,
)


class Records(Dataset):
    """Dict samples of a float, an int, a string and a small array."""

    def __init__(self, n=7):
        self.n = n

    def __getitem__(self, i):
        return {"x": float(i) / 2, "y": i, "name": f"s{i}", "v": np.full(2, i, np.float32)}

    def __len__(self):
        return self.n


def stream_class(base):
    """A counting stream on ``base`` (ember's or torch's IterableDataset)."""

    class Stream(base):
        def __init__(self, n=7, reported=None):
            self.n = n
            self.reported = n if reported is None else reported

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.reported

        def __repr__(self):
            return f"Stream({self.n})"

    return Stream


Stream = stream_class(IterableDataset)


class Batched(Dataset):
    """Has __getitems__: the DataLoader must fetch a whole batch through it."""

    def __getitem__(self, i):
        raise AssertionError("__getitem__ should not be called")

    def __getitems__(self, indices):
        return [10 * i for i in indices]

    def __len__(self):
        return 5


def flatten(batch):
    """A batch as plain Python values, for comparing ember and torch loaders."""
    if hasattr(batch, "tolist"):
        return ("tensor", str(batch.dtype).split(".")[-1], batch.tolist())
    if isinstance(batch, dict):
        return {k: flatten(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(flatten(v) for v in batch)
    return batch


def tensor_pair(lib):
    return (lib.arange(14.0).reshape(7, 2), lib.arange(7))


CONFIGS = {
    "defaults": {},
    "batch_3": {"batch_size": 3},
    "drop_last": {"batch_size": 3, "drop_last": True},
    "no_batching": {"batch_size": None},
    "batch_bigger_than_data": {"batch_size": 10},
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_tensor_dataset_batches_match_torch(name, torch):
    kwargs = CONFIGS[name]
    ours = DataLoader(TensorDataset(*tensor_pair(ember)), **kwargs)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*tensor_pair(torch)),
                                         **kwargs)
    assert [flatten(b) for b in ours] == [flatten(b) for b in theirs]
    assert len(ours) == len(theirs)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_dict_samples_match_torch(name, torch):
    kwargs = CONFIGS[name]
    ours = [flatten(b) for b in DataLoader(Records(), **kwargs)]
    theirs = [flatten(b) for b in torch.utils.data.DataLoader(Records(), **kwargs)]
    assert ours == theirs


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_iterable_dataset_batches_and_len_match_torch(name, torch):
    kwargs = CONFIGS[name]
    TorchStream = stream_class(torch.utils.data.IterableDataset)
    ours, theirs = DataLoader(Stream(), **kwargs), torch.utils.data.DataLoader(TorchStream(),
                                                                               **kwargs)
    assert [flatten(b) for b in ours] == [flatten(b) for b in theirs]
    assert len(ours) == len(theirs)


def test_batch_sampler_and_sampler_options_match_torch(torch):
    ds = list(range(10))
    batches = [[3, 1], [0], [9, 8, 7]]
    assert [b.tolist() for b in DataLoader(ds, batch_sampler=batches)] == [
        b.tolist() for b in torch.utils.data.DataLoader(ds, batch_sampler=batches)]
    order = [4, 2, 0]
    assert [b.tolist() for b in DataLoader(ds, sampler=order, batch_size=2)] == [[4, 2], [0]]
    loader = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 4, True))
    assert len(loader) == 2 and loader.batch_size is None and loader.drop_last is False


def test_getitems_fetches_a_whole_batch():
    assert [b.tolist() for b in DataLoader(Batched(), batch_size=2)] == [[0, 10], [20, 30], [40]]


def test_shuffle_is_a_permutation_reproducible_with_a_generator():
    ds = list(range(20))
    a = [b.tolist() for b in DataLoader(ds, batch_size=5, shuffle=True,
                                        generator=ember.Generator().manual_seed(0))]
    b = [b.tolist() for b in DataLoader(ds, batch_size=5, shuffle=True,
                                        generator=ember.Generator().manual_seed(0))]
    assert a == b
    assert sorted(sum(a, [])) == ds and sum(a, []) != ds


def test_shuffle_draws_the_base_seed_then_the_permutation():
    """PyTorch's order of draws from the loader's generator: the workers' base seed, then
    the sampler's permutation."""
    loader = DataLoader(list(range(12)), batch_size=12, shuffle=True,
                        generator=ember.Generator().manual_seed(7))
    got = next(iter(loader)).tolist()
    g = ember.Generator().manual_seed(7)
    ember.empty((), dtype=ember.int64).random_(generator=g)
    assert got == ember.randperm(12, generator=g).tolist()


def test_each_epoch_reshuffles():
    loader = DataLoader(list(range(30)), batch_size=30, shuffle=True,
                        generator=ember.Generator().manual_seed(1))
    first, second = (next(iter(loader)).tolist() for _ in range(2))
    assert first != second and sorted(first) == sorted(second)


def test_tensors_on_the_reference_backend():
    ds = TensorDataset(ember.arange(6.0, device="ref").reshape(3, 2), ember.arange(3))
    batches = list(DataLoader(ds, batch_size=2))
    assert batches[0][0].device.type == "ref"
    assert [x.tolist() for x, _ in batches] == [[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0]]]


BAD_ARGS = {
    "negative_workers": ({}, {"num_workers": -1}),
    "negative_timeout": ({}, {"timeout": -1}),
    "prefetch_without_workers": ({}, {"prefetch_factor": 2}),
    "negative_prefetch": ({}, {"num_workers": 1, "prefetch_factor": -1}),
    "persistent_without_workers": ({}, {"persistent_workers": True}),
    "sampler_and_shuffle": ({}, {"sampler": [0, 1], "shuffle": True}),
    "batch_sampler_and_batch_size": ({}, {"batch_sampler": [[0]], "batch_size": 2}),
    "batch_sampler_and_shuffle": ({}, {"batch_sampler": [[0]], "shuffle": True}),
    "batch_sampler_and_drop_last": ({}, {"batch_sampler": [[0]], "drop_last": True}),
    "no_batching_and_drop_last": ({}, {"batch_size": None, "drop_last": True}),
    "iterable_and_shuffle": ({"iterable": True}, {"shuffle": True}),
    "iterable_and_batch_sampler": ({"iterable": True}, {"batch_sampler": [[0]]}),
    "context_without_workers": ({}, {"multiprocessing_context": "spawn"}),
    "unknown_start_method": ({}, {"num_workers": 1, "multiprocessing_context": "teleport"}),
}


@pytest.mark.parametrize("name", sorted(BAD_ARGS))
def test_argument_errors_match_torch(name, torch):
    how, kwargs = BAD_ARGS[name]
    TorchStream = stream_class(torch.utils.data.IterableDataset)
    ours_ds, theirs_ds = (Stream(), TorchStream()) if how else (list(range(4)), list(range(4)))
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.DataLoader(theirs_ds, **kwargs)
    with pytest.raises(ValueError) as ours:
        DataLoader(ours_ds, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_iterable_dataset_with_a_sampler_is_refused():
    with pytest.raises(ValueError, match="DataLoader with IterableDataset: expected unspecified "
                                         "sampler option, but got sampler="):
        DataLoader(Stream(), sampler=[0, 1])


def test_context_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="multiprocessing_context option should be a valid "
                                        "context object"):
        DataLoader([1], num_workers=1, multiprocessing_context=42)


def test_attributes_are_frozen_after_init(torch):
    for attr in ("batch_size", "sampler", "drop_last", "dataset"):
        with pytest.raises(ValueError) as theirs:
            setattr(torch.utils.data.DataLoader([1]), attr, None)
        with pytest.raises(ValueError) as ours:
            setattr(DataLoader([1]), attr, None)
        assert str(ours.value) == str(theirs.value)
    loader = DataLoader([1])
    loader.num_workers = 0  # other attributes stay writable
    assert loader.num_workers == 0


def test_timeout_without_workers_is_refused_like_torch(torch):
    with pytest.raises(AssertionError) as theirs:
        iter(torch.utils.data.DataLoader([1], timeout=1))
    with pytest.raises(AssertionError) as ours:
        iter(DataLoader([1], timeout=1))
    assert str(ours.value) == str(theirs.value)


def test_iterable_longer_than_its_len_warns_like_torch(torch):
    TorchStream = stream_class(torch.utils.data.IterableDataset)

    def warnings_of(loader):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            len(loader)
            list(loader)
        return [str(w.message) for w in record]

    theirs = warnings_of(torch.utils.data.DataLoader(TorchStream(5, reported=3)))
    ours = warnings_of(DataLoader(Stream(5, reported=3)))
    assert len(ours) == 2 and ours == theirs  # at the 4th and the 5th sample


def test_pin_memory_without_accelerator_warns_like_torch_and_changes_nothing(torch):
    with pytest.warns(UserWarning) as theirs:
        list(torch.utils.data.DataLoader([1, 2], pin_memory=True))
    with pytest.warns(UserWarning) as ours:
        batches = list(DataLoader([1, 2], pin_memory=True))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert [b.tolist() for b in batches] == [[1], [2]]


def test_too_many_workers_warns():
    with pytest.warns(UserWarning, match="This DataLoader will create 100000 worker processes "
                                         "in total"):
        DataLoader([1], num_workers=100000)


def test_collate_fn_and_iterator_len():
    loader = DataLoader(list(range(5)), batch_size=2, collate_fn=lambda b: sum(b))
    it = iter(loader)
    assert len(it) == 3 and iter(it) is it
    assert list(it) == [1, 5, 4]
