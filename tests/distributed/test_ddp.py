"""``DistributedDataParallel``: across spawned ranks it trains like one process on the full
batch; in one process it runs PyTorch's single-rank example; its errors are PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
from _dist_workers import ddp_training, ddp_unused, launch, make_data, make_model, train, values

import ember
import ember.distributed as dist
from ember.nn.parallel.distributed import DistributedDataParallel

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("world,init", [(2, "tcp"), (3, "file")])
def test_ddp_equals_single_process_training(world, init, tmp_path):
    steps = 3
    outs = values(launch(ddp_training, world, tmp_path, init=init, steps=steps))
    x, y = make_data(world)
    single = make_model(seed=0)  # rank 0's initialisation, which DDP broadcast
    train(single, x, y, steps)
    for out in outs:
        assert out["keys"] == ["module.0.weight", "module.0.bias", "module.2.weight",
                               "module.2.bias"]
        for p, q in zip(out["params"], single.parameters()):
            np.testing.assert_allclose(p, q.detach().numpy(), rtol=1e-5, atol=1e-6)
        for p, q in zip(out["params"], outs[0]["params"]):
            np.testing.assert_array_equal(p, q)  # bitwise the same on every rank
        # no_sync accumulated locally; the next backward averaged the accumulated sums
        for i, g in enumerate(out["grads"]):
            expected = sum(2 * o["local_grads"][i] for o in outs) / world
            np.testing.assert_allclose(g, expected, rtol=1e-5, atol=1e-7)
    assert not np.allclose(outs[0]["local_grads"][0], outs[1]["local_grads"][0])


def test_ddp_find_unused_parameters(tmp_path):
    outs = values(launch(ddp_unused, 2, tmp_path))
    for out in outs:
        # a: used on both ranks (inputs 1 and 2): mean of 1 and 2
        np.testing.assert_allclose(out["a.weight"], [[1.5, 1.5]])
        np.testing.assert_allclose(out["a.bias"], [1.0])
        # b: used on rank 0 only, which contributes its gradient, rank 1 zeros
        np.testing.assert_allclose(out["b.weight"], [[0.5, 0.5]])
        np.testing.assert_allclose(out["b.bias"], [0.5])
        assert out["never.weight"] is None and out["never.bias"] is None
        np.testing.assert_array_equal(out["count"], [7.0])  # rank 0's buffer


@pytest.fixture
def single_rank(tmp_path):
    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/pg", world_size=1, rank=0)
    yield
    dist.destroy_process_group()


def test_ddp_single_rank_matches_pytorch(single_rank, torch, tmp_path):
    tdist = torch.distributed
    tdist.init_process_group("gloo", init_method=f"file://{tmp_path}/tpg", world_size=1, rank=0)
    try:
        ember.manual_seed(0)
        ours = DistributedDataParallel(ember.nn.Sequential(ember.nn.Linear(3, 2),
                                                           ember.nn.BatchNorm1d(2)))
        theirs = torch.nn.parallel.DistributedDataParallel(
            torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2)))
        theirs.load_state_dict({k: torch.from_numpy(v.numpy().copy())
                                for k, v in ours.state_dict().items()})
        assert list(ours.state_dict()) == list(theirs.state_dict())
        rng = np.random.default_rng(1)
        x = rng.standard_normal((4, 3)).astype(np.float32)
        w = rng.standard_normal((4, 2)).astype(np.float32)
        for model, lib in ((ours, ember), (theirs, torch)):
            with model.no_sync():
                (model(lib.from_numpy(x)) * lib.from_numpy(w)).sum().backward()
            (model(lib.from_numpy(x)) * lib.from_numpy(w)).sum().backward()
        for p, q in zip(ours.parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6)
    finally:
        tdist.destroy_process_group()


def test_ddp_on_the_reference_backend(single_rank):
    ddp = DistributedDataParallel(ember.nn.Linear(2, 1).to("ref"))
    ddp(ember.ones(3, 2, device="ref")).sum().backward()
    np.testing.assert_allclose(ddp.module.weight.grad.cpu().numpy(), [[3.0, 3.0]])


def test_ddp_unused_parameter_error_is_pytorchs(single_rank):
    class Half(ember.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a, self.b = ember.nn.Linear(2, 2), ember.nn.Linear(2, 2)

        def forward(self, x):
            return self.a(x)

    ddp = DistributedDataParallel(Half())
    ddp(ember.ones(1, 2))  # a forward without backward is fine (as in PyTorch)
    ddp(ember.ones(1, 2)).sum().backward()
    with pytest.raises(RuntimeError, match="Expected to have finished reduction in the prior "
                       "iteration") as info:
        ddp(ember.ones(1, 2))
    assert "did not receive grad for rank 0: 2 3" in str(info.value)


def test_ddp_errors(single_rank):
    with pytest.raises(RuntimeError, match="doesn't have any parameter that requires a grad"):
        DistributedDataParallel(ember.nn.Linear(2, 2).requires_grad_(False))
    with pytest.raises(ValueError, match="device_ids and output_device arguments only work"):
        DistributedDataParallel(ember.nn.Linear(2, 2), device_ids=[0])


def test_ddp_needs_a_process_group():
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedDataParallel(ember.nn.Linear(2, 2))
