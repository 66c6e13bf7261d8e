"""DataLoader with worker processes: order, seeding, sharding, errors, and clean shutdown.

Everything a worker runs is defined at module level, so it pickles for the 'spawn' start
method too. The datasets are tiny: the cost is in starting processes (CI has 2 cores).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import signal
import time

import pytest

import ember
from ember.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info

pytestmark = pytest.mark.timeout(120)

WORKERS = 2


class WhoLoaded(Dataset):
    """Sample i: (i, worker id, worker seed, pid, Python random draw, ember draw, tag)."""

    def __init__(self, n=8):
        self.n = n
        self.tag = -1

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        info = get_worker_info()
        if info is None:
            return i, -1, -1, os.getpid(), 0.0, 0.0, self.tag
        return (i, info.id, info.seed, os.getpid(), random.random(), ember.rand(1).item(),
                self.tag)


def tag_worker(worker_id):
    get_worker_info().dataset.tag = 100 + worker_id


class Failing(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError(f"bad sample {i}")
        return i


class MissingKey(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return {"a": 1}["missing"]


class Slow(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        time.sleep(1.0 if i == 0 else 0.0)
        return i


class Suicidal(Dataset):
    """Sample 5 kills its worker with SIGKILL (or exits with status 3)."""

    def __init__(self, how="kill"):
        self.how = how

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5 and get_worker_info() is not None:
            if self.how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(3)
        return i


class ShardedRange(IterableDataset):
    """range(n), split between workers through get_worker_info()."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))


class UnshardedRange(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


def failing_init(worker_id):
    raise RuntimeError(f"init failed in {worker_id}")


def children():
    return {p.pid for p in multiprocessing.active_children()}


@pytest.fixture
def no_leftover_children():
    before = children()
    yield
    gc.collect()
    assert children() <= before, "DataLoader worker processes outlived their iterator"


@pytest.mark.usefixtures("no_leftover_children")
@pytest.mark.parametrize("context, device", [(None, "cpu"), ("spawn", "cpu"), (None, "ref")])
def test_same_batches_in_order_as_single_process(context, device):
    ds = TensorDataset(ember.arange(22.0, device=device).reshape(11, 2),
                       ember.arange(11, device=device))
    serial = [(x.tolist(), y.tolist()) for x, y in DataLoader(ds, batch_size=3)]
    loader = DataLoader(ds, batch_size=3, num_workers=WORKERS, multiprocessing_context=context)
    batches = list(loader)
    assert [(x.tolist(), y.tolist()) for x, y in batches] == serial
    assert {x.device.type for x, _ in batches} == {device}  # tensors pickle across processes
    assert len(loader) == 4


@pytest.mark.usefixtures("no_leftover_children")
def test_drop_last_len_and_no_batching():
    loader = DataLoader(list(range(7)), batch_size=3, drop_last=True, num_workers=WORKERS)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5]] and len(loader) == 2
    unbatched = DataLoader(list(range(4)), batch_size=None, num_workers=WORKERS)
    assert list(unbatched) == [0, 1, 2, 3]  # default_convert leaves ints alone


@pytest.mark.usefixtures("no_leftover_children")
def test_both_workers_load_and_shuffle_is_reproducible():
    def run(seed, workers):
        loader = DataLoader(WhoLoaded(12), batch_size=2, shuffle=True, num_workers=workers,
                            generator=ember.Generator().manual_seed(seed))
        return [batch for batch in loader]

    a, b = run(0, WORKERS), run(0, WORKERS)
    order = [i for batch in a for i in batch[0].tolist()]
    assert order == [i for batch in b for i in batch[0].tolist()]
    assert sorted(order) == list(range(12)) and order != list(range(12))
    serial = [i for batch in run(0, 0) for i in batch[0].tolist()]
    assert serial == order  # the same draws with and without workers
    assert {w for batch in a for w in batch[1].tolist()} == {0, 1}


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_init_fn_runs_in_each_worker():
    loader = DataLoader(WhoLoaded(6), batch_size=1, num_workers=WORKERS,
                        worker_init_fn=tag_worker)
    pairs = {(batch[1].item(), batch[6].item()) for batch in loader}
    assert pairs == {(0, 100), (1, 101)}


@pytest.mark.usefixtures("no_leftover_children")
def test_workers_are_seeded_per_worker_and_per_epoch():
    loader = DataLoader(WhoLoaded(4), batch_size=1, num_workers=WORKERS,
                        generator=ember.Generator().manual_seed(123))

    def epoch():
        first = {}
        for batch in loader:  # worker w loads samples w, w + 2: its first draw is sample w
            worker, seed = batch[1].item(), batch[2].item()
            first.setdefault(worker, (seed, batch[4].item(), batch[5].item()))
        return first

    one, two = epoch(), epoch()
    g = ember.Generator().manual_seed(123)
    base = int(ember.empty((), dtype=ember.int64).random_(generator=g).item())
    assert one[0][0] == base and one[1][0] == base + 1  # seed = base_seed + worker_id
    for seed, py_draw, ember_draw in one.values():
        assert py_draw == random.Random(seed).random()  # random.seed(seed) in the worker
        expected = ember.rand(1, generator=ember.Generator().manual_seed(seed)).item()
        assert ember_draw == pytest.approx(expected, abs=0)  # ember.manual_seed(seed)
    assert one[0][1] != one[1][1] and one[0][2] != one[1][2]
    assert {s for s, _, _ in one.values()}.isdisjoint({s for s, _, _ in two.values()})


@pytest.mark.usefixtures("no_leftover_children")
def test_iterable_dataset_sharded_with_worker_info():
    loader = DataLoader(ShardedRange(11), batch_size=2, num_workers=WORKERS)
    seen = [v for batch in loader for v in batch.tolist()]
    assert sorted(seen) == list(range(11))  # every sample once
    # Without sharding every worker yields the whole stream (PyTorch's documented behaviour).
    dup = [b.item() for b in DataLoader(UnshardedRange(3), num_workers=WORKERS)]
    assert sorted(dup) == [0, 0, 1, 1, 2, 2]


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_exception_is_reraised_with_its_traceback():
    with pytest.raises(ValueError) as info:
        list(DataLoader(Failing(), batch_size=2, num_workers=WORKERS))
    msg = str(info.value)
    assert msg.startswith("Caught ValueError in DataLoader worker process 0.\n"
                          "Original Traceback (most recent call last):\n")
    assert "bad sample 5" in msg and "test_data_workers.py" in msg and "__getitem__" in msg


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_key_error_message_is_readable():
    with pytest.raises(KeyError) as info:
        next(iter(DataLoader(MissingKey(), num_workers=WORKERS)))
    assert "Caught KeyError in DataLoader worker process 0.\nOriginal Traceback" in str(info.value)


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_init_fn_exception_is_reraised():
    with pytest.raises(RuntimeError, match=r"Caught RuntimeError in DataLoader worker process "
                                           r"\d\.\nOriginal Traceback[\s\S]*init failed in"):
        list(DataLoader(list(range(4)), num_workers=WORKERS, worker_init_fn=failing_init))


@pytest.mark.usefixtures("no_leftover_children")
def test_timeout_raises():
    loader = DataLoader(Slow(), num_workers=1, timeout=0.3)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0\.3 seconds$"):
        list(loader)
    assert time.monotonic() - start < 15


@pytest.mark.usefixtures("no_leftover_children")
def test_early_break_leaves_no_worker_processes():
    loader = DataLoader(list(range(40)), batch_size=2, num_workers=WORKERS)
    it = iter(loader)
    next(it)
    pids = {p.pid for p in multiprocessing.active_children()}
    assert len(pids) >= WORKERS
    del it
    gc.collect()
    assert not pids & children()
    for _ in loader:
        break
    gc.collect()
    assert not pids & children()


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_exception_leaves_no_worker_processes():
    before = children()
    with pytest.raises(ValueError):
        for _ in DataLoader(Failing(), num_workers=WORKERS):
            pass
    gc.collect()
    assert children() <= before


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_killed_by_a_signal_is_reported():
    with pytest.raises(RuntimeError, match=r"^DataLoader worker \(pid \d+\) is killed by "
                                           r"signal: Killed\."):
        list(DataLoader(Suicidal("kill"), num_workers=WORKERS, timeout=30))


@pytest.mark.usefixtures("no_leftover_children")
def test_worker_exiting_with_an_error_status_is_reported():
    with pytest.raises(RuntimeError, match=r"^DataLoader worker \(pid \d+\) exited unexpectedly "
                                           r"with exit code 3\."):
        list(DataLoader(Suicidal("exit"), num_workers=WORKERS))


@pytest.mark.usefixtures("no_leftover_children")
def test_persistent_workers_are_reused_across_epochs():
    loader = DataLoader(WhoLoaded(6), batch_size=2, num_workers=WORKERS, persistent_workers=True)
    first = [batch for batch in loader]
    it = iter(loader)
    next(it)  # break off the second epoch early: its leftovers must not leak into the third
    third = [batch for batch in loader]
    pids = {p for batch in first for p in batch[3].tolist()}
    assert len(pids) == WORKERS
    assert {p for batch in third for p in batch[3].tolist()} == pids
    assert [b[0].tolist() for b in third] == [b[0].tolist() for b in first]
    del it, loader
    gc.collect()
    assert not pids & children()


@pytest.mark.usefixtures("no_leftover_children")
def test_non_persistent_workers_are_new_each_epoch():
    loader = DataLoader(WhoLoaded(4), batch_size=2, num_workers=WORKERS)
    one = {p for batch in loader for p in batch[3].tolist()}
    two = {p for batch in loader for p in batch[3].tolist()}
    assert one.isdisjoint(two)


@pytest.mark.usefixtures("no_leftover_children")
def test_persistent_workers_with_an_iterable_dataset():
    loader = DataLoader(ShardedRange(5), num_workers=WORKERS, persistent_workers=True)
    for _ in range(2):
        assert sorted(b.item() for b in loader) == [0, 1, 2, 3, 4]
    del loader


@pytest.mark.usefixtures("no_leftover_children")
def test_out_of_order_yields_every_batch():
    loader = DataLoader(list(range(10)), batch_size=2, num_workers=WORKERS, in_order=False)
    assert sorted(v for b in loader for v in b.tolist()) == list(range(10))


def test_get_worker_info_is_none_in_the_main_process():
    assert get_worker_info() is None
