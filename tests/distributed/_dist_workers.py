"""Launching several ranks for the distributed tests, and the functions the ranks run.

``launch(fn, world_size)`` starts ``world_size`` processes with the 'spawn' context; each
initialises the default group (``file://`` or ``tcp://127.0.0.1:<free port>``), runs
``fn(rank, world_size, **kwargs)`` and sends back its result (or the exception's type and
message). The parent waits with a deadline and kills any process still alive, so a broken
test fails instead of hanging, and checks that none is left over.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import socket
import traceback
from datetime import timedelta
from typing import Any

import numpy as np


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entry(fn: Any, rank: int, world: int, init_method: str, timeout: float, kwargs: dict,
           results: Any) -> None:
    import ember.distributed as dist

    try:
        dist.init_process_group("gloo", init_method=init_method, world_size=world, rank=rank,
                                timeout=timedelta(seconds=timeout))
        try:
            out = fn(rank, world, **kwargs)
        finally:
            dist.destroy_process_group()
        results.put((rank, "ok", out))
    except BaseException as err:  # noqa: BLE001 - reported to the parent
        results.put((rank, "error", (type(err).__name__, str(err), traceback.format_exc())))


def launch(fn: Any, world: int, tmp_path: Any, init: str = "file", timeout: float = 10.0,
           deadline: float = 25.0, **kwargs: Any) -> list:
    """Run ``fn`` on ``world`` ranks; a list of ``("ok", result)`` or ``("error", (type,
    message, traceback))`` in rank order."""
    init_method = (f"file://{tmp_path}/pg" if init == "file"
                   else f"tcp://127.0.0.1:{free_port()}")
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_entry, args=(fn, r, world, init_method, timeout, kwargs,
                                              results), daemon=True) for r in range(world)]
    for p in procs:
        p.start()
    out: dict[int, tuple] = {}
    try:
        for _ in range(world):
            rank, status, value = results.get(timeout=deadline)
            out[rank] = (status, value)
    except queue.Empty:
        raise AssertionError(f"ranks {sorted(set(range(world)) - set(out))} gave no result "
                             f"within {deadline}s") from None
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join()
        results.close()
        results.join_thread()
    assert not any(p.is_alive() for p in procs), "a rank process is left over"
    if init == "file" and all(status == "ok" for status, _ in out.values()):
        assert not os.path.exists(f"{tmp_path}/pg"), "the FileStore's file was not removed"
    return [out[r] for r in range(world)]


def values(outcomes: list) -> list:
    """The results of a launch where every rank must succeed."""
    for rank, (status, value) in enumerate(outcomes):
        assert status == "ok", f"rank {rank} raised {value[0]}: {value[1]}\n{value[2]}"
    return [value for _, value in outcomes]


# --- the functions the ranks run -----------------------------------------------------------

def collectives(rank: int, world: int) -> dict:
    import ember
    import ember.distributed as dist

    out: dict[str, Any] = {}
    base = ember.tensor([1.0, -2.0, 3.0]) * (rank + 1)
    for name in ("SUM", "AVG", "PRODUCT", "MIN", "MAX"):
        t = base.clone()
        assert dist.all_reduce(t, op=getattr(dist.ReduceOp, name)) is None
        out[name] = t.numpy()
    t = ember.tensor([rank + 1, 6], dtype=ember.int64)
    dist.all_reduce(t, op=dist.ReduceOp.BXOR)
    out["BXOR"] = t.numpy()
    on_ref = ember.tensor([float(rank + 1)], device="ref")
    dist.all_reduce(on_ref)
    out["ref"] = (on_ref.cpu().numpy(), str(on_ref.device))
    t = ember.full((2,), float(rank))
    dist.broadcast(t, src=world - 1)
    out["broadcast"] = t.numpy()
    gathered = [ember.zeros(2) for _ in range(world)]
    dist.all_gather(gathered, ember.full((2,), float(rank * 10)))
    out["all_gather"] = [g.numpy() for g in gathered]
    t = ember.full((2,), float(rank + 1))
    dist.reduce(t, dst=1, op=dist.ReduceOp.SUM)
    out["reduce"] = t.numpy()
    bucket = [ember.zeros(1) for _ in range(world)] if rank == 0 else None
    dist.gather(ember.tensor([float(rank)]), bucket, dst=0)
    out["gather"] = None if bucket is None else [b.numpy() for b in bucket]
    t = ember.zeros(2)
    pieces = [ember.full((2,), float(r * 100)) for r in range(world)] if rank == 1 else None
    dist.scatter(t, pieces, src=1)
    out["scatter"] = t.numpy()
    work = dist.all_reduce(ember.ones(1), async_op=True)
    out["work"] = work.wait() and work.is_completed()
    dist.barrier()
    objs: list = [None] * world
    dist.all_gather_object(objs, {"rank": rank})
    out["objects"] = objs
    lst = [rank, "x"]
    dist.broadcast_object_list(lst, src=1)
    out["object_list"] = lst
    out["rank"], out["world"] = dist.get_rank(), dist.get_world_size()
    return out


def mismatched(rank: int, world: int) -> None:
    import ember
    import ember.distributed as dist

    if rank == 0:
        dist.all_reduce(ember.ones(2))
    else:
        dist.barrier()


def silent_rank(rank: int, world: int) -> None:
    import time

    import ember
    import ember.distributed as dist

    if rank == 0:
        dist.all_reduce(ember.ones(2))
    else:
        time.sleep(3.5)  # silent, but alive, past rank 0's timeout


def make_data(world: int, per_rank: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((world * per_rank, 5)).astype(np.float32)
    y = rng.standard_normal((world * per_rank, 2)).astype(np.float32)
    return x, y


def make_model(seed: int) -> Any:
    import ember

    ember.manual_seed(seed)
    return ember.nn.Sequential(ember.nn.Linear(5, 8), ember.nn.Tanh(), ember.nn.Linear(8, 2))


def train(model: Any, x: np.ndarray, y: np.ndarray, steps: int) -> None:
    import ember

    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(steps):
        opt.zero_grad()
        loss = ember.nn.functional.mse_loss(model(ember.from_numpy(x)), ember.from_numpy(y))
        loss.backward()
        opt.step()


def ddp_training(rank: int, world: int, steps: int = 3) -> dict:
    import ember
    from ember.nn.parallel.distributed import DistributedDataParallel

    x, y = make_data(world)
    model = make_model(seed=rank)  # different on every rank: DDP must broadcast rank 0's
    ddp = DistributedDataParallel(model)
    shard = slice(rank * 4, (rank + 1) * 4)
    train(ddp, x[shard], y[shard], steps)
    ddp.zero_grad()
    with ddp.no_sync():  # local accumulation, then one averaged step over both
        ember.nn.functional.mse_loss(ddp(ember.from_numpy(x[shard])),
                                     ember.from_numpy(y[shard])).backward()
    local = [p.grad.numpy().copy() for p in ddp.parameters()]
    ember.nn.functional.mse_loss(ddp(ember.from_numpy(x[shard])),
                                 ember.from_numpy(y[shard])).backward()
    return {"params": [p.detach().numpy() for p in ddp.parameters()],
            "local_grads": local, "grads": [p.grad.numpy() for p in ddp.parameters()],
            "keys": list(ddp.state_dict())}


def ddp_unused(rank: int, world: int) -> dict:
    import ember
    from ember.nn.parallel.distributed import DistributedDataParallel

    class Branchy(ember.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = ember.nn.Linear(2, 1)
            self.b = ember.nn.Linear(2, 1)
            self.never = ember.nn.Linear(2, 1)
            self.register_buffer("count", ember.tensor([float(rank + 7)]))

        def forward(self, x: Any) -> Any:
            out = self.a(x)
            return out + self.b(x) if rank == 0 else out

    ember.manual_seed(0)
    ddp = DistributedDataParallel(Branchy(), find_unused_parameters=True)
    ddp(ember.ones(1, 2) * (rank + 1)).sum().backward()
    return {name: (None if p.grad is None else p.grad.numpy())
            for name, p in ddp.module.named_parameters()} | {"count": ddp.module.count.numpy()}
