"""Collectives across 2 and 3 spawned processes (``file://`` and ``tcp://`` rendezvous)."""

from __future__ import annotations

import numpy as np
import pytest
from _dist_workers import collectives, launch, mismatched, silent_rank, values

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("world,init", [(2, "file"), (3, "tcp")])
def test_collectives(world, init, tmp_path):
    outs = values(launch(collectives, world, tmp_path, init=init))
    base = np.array([1.0, -2.0, 3.0])
    scaled = [base * (r + 1) for r in range(world)]
    xor = 0
    for r in range(world):
        xor ^= r + 1
    for rank, out in enumerate(outs):
        assert (out["rank"], out["world"]) == (rank, world)
        np.testing.assert_allclose(out["SUM"], sum(scaled), rtol=1e-6)
        np.testing.assert_allclose(out["AVG"], sum(scaled) / world, rtol=1e-6)
        np.testing.assert_allclose(out["PRODUCT"], np.prod(scaled, axis=0), rtol=1e-6)
        np.testing.assert_allclose(out["MIN"], np.min(scaled, axis=0))
        np.testing.assert_allclose(out["MAX"], np.max(scaled, axis=0))
        np.testing.assert_array_equal(out["BXOR"], [xor, 6 if world % 2 else 0])
        assert out["ref"][1] == "ref"
        np.testing.assert_allclose(out["ref"][0], [world * (world + 1) / 2])
        np.testing.assert_array_equal(out["broadcast"], [world - 1.0] * 2)
        for r, g in enumerate(out["all_gather"]):
            np.testing.assert_array_equal(g, [r * 10.0] * 2)
        expected_reduce = world * (world + 1) / 2 if rank == 1 else rank + 1.0
        np.testing.assert_array_equal(out["reduce"], [expected_reduce] * 2)
        if rank == 0:
            np.testing.assert_array_equal(np.concatenate(out["gather"]), np.arange(world))
        else:
            assert out["gather"] is None
        np.testing.assert_array_equal(out["scatter"], [rank * 100.0] * 2)
        assert out["work"] is True
        assert out["objects"] == [{"rank": r} for r in range(world)]
        assert out["object_list"] == [1, "x"]


def test_mismatched_collectives_raise_on_every_rank(tmp_path):
    outs = launch(mismatched, 2, tmp_path)
    for status, value in outs:
        assert status == "error" and value[0] == "RuntimeError"
        assert "every rank must call the same collectives" in value[1]


def test_a_rank_that_never_arrives_times_out(tmp_path):
    outs = launch(silent_rank, 2, tmp_path, init="tcp", timeout=2.0)
    status, value = outs[0]
    assert status == "error" and value[0] == "RuntimeError" and "timed out" in value[1]
    assert outs[1] == ("ok", None)
