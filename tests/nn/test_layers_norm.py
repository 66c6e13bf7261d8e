"""Normalization layers against PyTorch: BatchNorm (running statistics, momentum, eval mode,
affine and tracking options), InstanceNorm, LayerNorm, GroupNorm, RMSNorm,
LocalResponseNorm; repr, state_dict keys and loading old checkpoints."""

from __future__ import annotations

import numpy as np
import pytest
from _torch_oracle import compare, copy_state, randn

import ember
from ember import nn

BN_OPTIONS = [{}, {"momentum": None}, {"momentum": 0.3, "eps": 1e-3}, {"affine": False},
              {"track_running_stats": False}, {"bias": False}]


@pytest.mark.parametrize("kwargs", BN_OPTIONS, ids=[str(k) for k in BN_OPTIONS])
@pytest.mark.parametrize("dims,shape", [(1, (8, 3)), (1, (4, 3, 5)), (2, (4, 3, 5, 5)),
                                        (3, (2, 3, 2, 3, 3))])
def test_batchnorm_train_then_eval_matches_torch(torch, kwargs, dims, shape):
    em = getattr(nn, f"BatchNorm{dims}d")(3, **kwargs)
    tm = getattr(torch.nn, f"BatchNorm{dims}d")(3, **kwargs)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    for step in range(3):  # several training steps: the running statistics accumulate
        compare(torch, em, tm, randn(*shape, seed=step) * 2 + 1, atol=1e-4)
        t_buf = {k: v.numpy() for k, v in tm.state_dict().items()
                 if "running" in k or "num_batches" in k}
        e_buf = {k: v.numpy() for k, v in em.state_dict().items()
                 if "running" in k or "num_batches" in k}
        assert e_buf.keys() == t_buf.keys()
        for k in t_buf:
            np.testing.assert_allclose(e_buf[k], t_buf[k], rtol=1e-5, atol=1e-6, err_msg=k)
    em.eval()
    tm.eval()
    compare(torch, em, tm, randn(*shape, seed=9), atol=1e-4)


def test_batchnorm_buffers_and_checks():
    m = nn.BatchNorm2d(4)
    assert [n for n, _ in m.named_buffers()] == ["running_mean", "running_var",
                                                 "num_batches_tracked"]
    assert m.num_batches_tracked.dtype == ember.int64 and m.num_batches_tracked.dim() == 0
    m.double()
    assert m.running_mean.dtype == ember.float64 and m.num_batches_tracked.dtype == ember.int64
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        m(ember.zeros(2, 4, 3, dtype=ember.float64))
    m(ember.ones(2, 4, 3, 3, dtype=ember.float64))
    m.reset_running_stats()
    assert int(m.num_batches_tracked) == 0
    np.testing.assert_array_equal(m.running_var.numpy(), np.ones(4))


def test_batchnorm_loads_checkpoint_without_num_batches_tracked():
    m = nn.BatchNorm1d(2)
    sd = m.state_dict()
    del sd["num_batches_tracked"]
    sd._metadata[""] = {"version": 1}  # an old checkpoint
    assert repr(m.load_state_dict(sd)) == "<All keys matched successfully>"


@pytest.mark.parametrize("kwargs", [{}, {"affine": True}, {"track_running_stats": True}])
@pytest.mark.parametrize("dims,shape", [(1, (2, 3, 6)), (2, (2, 3, 4, 5)), (2, (3, 4, 5)),
                                        (3, (1, 3, 2, 3, 3))])
def test_instancenorm_matches_torch(torch, kwargs, dims, shape):
    em = getattr(nn, f"InstanceNorm{dims}d")(3, **kwargs)
    tm = getattr(torch.nn, f"InstanceNorm{dims}d")(3, **kwargs)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(*shape) * 3, atol=1e-4)
    if kwargs.get("track_running_stats"):
        em.eval()
        tm.eval()
        compare(torch, em, tm, randn(*shape, seed=2), atol=1e-4)


@pytest.mark.parametrize("args,kwargs", [((5,), {}), (([4, 5],), {"eps": 1e-3}),
                                         ((5,), {"elementwise_affine": False}),
                                         ((5,), {"bias": False})])
def test_layernorm_matches_torch(torch, args, kwargs):
    em, tm = nn.LayerNorm(*args, **kwargs), torch.nn.LayerNorm(*args, **kwargs)
    assert repr(em) == repr(tm)
    with torch.no_grad():
        for p in tm.parameters():
            p.normal_()
    compare(torch, em, tm, randn(3, 4, 5), atol=1e-4)


@pytest.mark.parametrize("kwargs", [{}, {"affine": False}, {"eps": 1e-2}])
def test_groupnorm_matches_torch(torch, kwargs):
    em, tm = nn.GroupNorm(2, 6, **kwargs), torch.nn.GroupNorm(2, 6, **kwargs)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(3, 6, 4, 4), atol=1e-4)
    with pytest.raises(ValueError, match=r"num_channels \(5\) must be divisible by num_groups"):
        nn.GroupNorm(2, 5)


@pytest.mark.parametrize("kwargs", [{}, {"eps": 1e-4}, {"elementwise_affine": False}])
def test_rmsnorm_matches_torch(torch, kwargs):
    em, tm = nn.RMSNorm([3, 4], **kwargs), torch.nn.RMSNorm([3, 4], **kwargs)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(2, 3, 4), atol=1e-5)


def test_local_response_norm_matches_torch(torch):
    em, tm = nn.LocalResponseNorm(3), torch.nn.LocalResponseNorm(3)
    assert repr(em) == repr(tm)
    compare(torch, em, tm, randn(2, 5, 3, 3), atol=1e-5)


def test_norm_layers_copy_state_round_trip(torch):
    tm = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2),
                             torch.nn.LayerNorm([2, 2]))
    em = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.LayerNorm([2, 2]))
    assert repr(em) == repr(tm)
    copy_state(em, tm)
    assert list(em.state_dict()) == list(tm.state_dict())
