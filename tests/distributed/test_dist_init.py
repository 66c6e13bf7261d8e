"""``init_process_group`` (env://, tcp://, file://, a store), the stores, and the errors,
checked against PyTorch's messages where they are the same."""

from __future__ import annotations

import os
import warnings
from datetime import timedelta

import pytest
from _dist_workers import free_port

import ember
import ember.distributed as dist

pytestmark = pytest.mark.timeout(30)


def test_before_init_matches_pytorch(torch):
    assert dist.is_available() and not dist.is_initialized()
    calls = [("get_rank", ()), ("get_world_size", ()), ("barrier", ()),
             ("all_reduce", "t"), ("broadcast", "t0")]
    for name, args in calls:
        mine = (ember.ones(2), 0)[:len(args)] if args else ()
        theirs = (torch.ones(2), 0)[:len(args)] if args else ()
        with pytest.raises(ValueError) as ours:
            getattr(dist, name)(*mine)
        with pytest.raises(ValueError) as ref:
            getattr(torch.distributed, name)(*theirs)
        assert str(ours.value) == str(ref.value)


@pytest.mark.parametrize("kind", ["env", "tcp", "store"])
def test_init_methods(kind, monkeypatch):
    port = free_port()
    kwargs: dict = {"world_size": 1, "rank": 0}
    if kind == "env":
        for key, value in (("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", str(port)),
                           ("WORLD_SIZE", "1"), ("RANK", "0")):
            monkeypatch.setenv(key, value)
        kwargs = {}
    elif kind == "tcp":
        kwargs["init_method"] = f"tcp://127.0.0.1:{port}"
    else:
        kwargs["store"] = dist.TCPStore("127.0.0.1", 0, is_master=True)
    dist.init_process_group("gloo", **kwargs)
    try:
        assert dist.is_initialized() and dist.get_backend() == "gloo"
        assert (dist.get_rank(), dist.get_world_size()) == (0, 1)
        assert dist.group.WORLD is not None
        t = ember.tensor([2.0, 3.0])
        dist.all_reduce(t, op=dist.ReduceOp.PRODUCT)
        assert t.tolist() == [2.0, 3.0]
    finally:
        dist.destroy_process_group()
    assert not dist.is_initialized() and dist.group.WORLD is None
    if kind == "store":  # a store the caller made stays open
        kwargs["store"].set("still", "open")
        kwargs["store"].close()


def test_errors_match_pytorch(tmp_path, torch):
    cases = [
        {"backend": "gloo", "init_method": "bogus://x", "world_size": 1, "rank": 0},
        {"backend": "gloo", "init_method": f"file://{tmp_path}/a"},
        {"backend": "gloo", "init_method": f"file://{tmp_path}/b", "rank": 0},
    ]
    if not ember.cuda.is_available():
        cases.append({"backend": "nccl", "init_method": f"file://{tmp_path}/d",
                      "world_size": 1, "rank": 0})
    for kwargs in cases:
        with pytest.raises((ValueError, RuntimeError)) as ours:
            dist.init_process_group(**kwargs)
        with pytest.raises((ValueError, RuntimeError)) as ref, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch warns about NCCL's default timeout
            torch.distributed.init_process_group(**kwargs)
        assert type(ours.value) is type(ref.value), kwargs
        assert str(ours.value) == str(ref.value), kwargs
        assert not dist.is_initialized()


def test_more_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    with pytest.raises(ValueError, match="environment variable MASTER_ADDR expected"):
        dist.init_process_group("gloo", world_size=1, rank=0)
    # PyTorch raises AssertionError for these two; Ember a ValueError with the same message.
    with pytest.raises(ValueError, match="Cannot specify both init_method and store."):
        dist.init_process_group("gloo", init_method=f"file://{tmp_path}/c", world_size=1,
                                rank=0, store=object())
    with pytest.raises(ValueError, match="Unknown backend type foo"):
        dist.init_process_group("foo", init_method=f"file://{tmp_path}/e", world_size=1, rank=0)
    with pytest.raises(RuntimeError, match="rank 3 is out of range for world_size 1"):
        dist.init_process_group("gloo", init_method=f"file://{tmp_path}/f", world_size=1,
                                rank=3)
    with pytest.raises(ValueError, match="has not been initialized"):
        dist.destroy_process_group()


def test_collective_argument_errors(tmp_path):
    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/pg", world_size=1, rank=0)
    try:
        with pytest.raises(ValueError, match="trying to initialize the default process group "
                           "twice!"):
            dist.init_process_group("gloo", init_method=f"file://{tmp_path}/g", world_size=1,
                                    rank=0)
        with pytest.raises(RuntimeError, match="ProcessGroupGloo::broadcast: invalid root "
                           "rank: 1"):
            dist.broadcast(ember.ones(2), src=1)
        with pytest.raises(RuntimeError, match=r"invalid output tensor list at index 0 "
                           r"\(expected length 1, got 2\)"):
            dist.all_gather([ember.zeros(2), ember.zeros(2)], ember.ones(2))
        with pytest.raises(RuntimeError, match="invalid tensor size"):
            dist.all_gather([ember.zeros(3)], ember.ones(2))
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the "
                           "desired output type Long"):
            dist.all_reduce(ember.tensor([1, 2]), op=dist.ReduceOp.AVG)
        with pytest.raises(TypeError, match="Expected parameter `tensor` of type"):
            dist.all_reduce([1, 2])
        with pytest.raises(ValueError, match="``gather_list`` must be specified"):
            dist.gather(ember.ones(2), None, dst=0)
        with pytest.raises(ValueError, match="``scatter_list`` must be specified"):
            dist.scatter(ember.ones(2), None, src=0)
        with pytest.raises(ValueError, match="unsupported ReduceOp"):
            dist.all_reduce(ember.ones(2), op=dist.ReduceOp.PREMUL_SUM)
    finally:
        dist.destroy_process_group()
    assert not os.path.exists(tmp_path / "pg")


@pytest.mark.parametrize("kind", ["tcp", "file"])
def test_stores(kind, tmp_path):
    if kind == "tcp":
        master = dist.TCPStore("127.0.0.1", 0, world_size=2, is_master=True)
        other = dist.TCPStore("127.0.0.1", master.port, world_size=2)
    else:
        master = other = dist.FileStore(str(tmp_path / "store"), 2)
        other = dist.FileStore(str(tmp_path / "store"), 2)
    master.set("k", "v")
    assert other.get("k") == b"v"
    assert master.add("n", 2) == 2 and other.add("n", 3) == 5
    assert other.check(["k", "n"]) and not other.check(["missing"])
    assert other.delete_key("k") and not master.check(["k"])
    with pytest.raises(RuntimeError, match="Wait timeout"):
        other.wait(["missing"], timedelta(seconds=0.05))
    other.set_timeout(timedelta(seconds=0.05))
    with pytest.raises(RuntimeError, match="Wait timeout"):
        other.get("missing")
    if kind == "tcp":
        other.close()
        master.close()
