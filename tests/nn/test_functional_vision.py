"""``pad``, ``interpolate``, ``pixel_shuffle`` against PyTorch: every padding mode
(negative constant pads crop), nearest/nearest-exact/linear/bilinear/bicubic/trilinear/area
with sizes and scale factors, align_corners; errors with PyTorch's messages."""

from __future__ import annotations

import numpy as np
import pytest
from _functional_oracle import check, raises_like, randn

import ember
import ember.nn.functional as F


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pads", [(2, 1), (2, 1, 1, 3)])
def test_pad_modes_match_torch(torch, mode, pads):
    x = randn(2, 3, 5, 6) if len(pads) == 4 else randn(3, 5, 6)
    check(torch, lambda a: F.pad(a, pads, mode=mode),
          lambda a: torch.nn.functional.pad(a, pads, mode=mode), x)


def test_pad_constant_value_negative_and_3d(torch):
    check(torch, lambda a: F.pad(a, (-1, 2, 0, -2), value=3.0),
          lambda a: torch.nn.functional.pad(a, (-1, 2, 0, -2), value=3.0), randn(2, 5, 6))
    check(torch, lambda a: F.pad(a, (1, 1, 2, 0, 0, 1), mode="replicate"),
          lambda a: torch.nn.functional.pad(a, (1, 1, 2, 0, 0, 1), mode="replicate"),
          randn(1, 2, 3, 4, 5))
    check(torch, lambda a: F.pad(a, (1, 2, 3, 4, 5, 6)),
          lambda a: torch.nn.functional.pad(a, (1, 2, 3, 4, 5, 6)), randn(2, 3, 4))


@pytest.mark.parametrize("shape,pads,kwargs", [
    ((2, 3), (1,), {}),
    ((2, 3), (1, 1, 1, 1, 1, 1), {}),
    ((1, 2, 3), (3, 3), {"mode": "reflect"}),
    ((1, 2, 3), (4, 4), {"mode": "circular"}),
    ((1, 2, 3), (1, 1), {"mode": "reflect", "value": 1.0}),
    ((3,), (1, 1), {"mode": "reflect"}),
    ((1, 1, 2, 3), (1, 1), {"mode": "replicate"}),
    ((1, 2, 3), (1, 1), {"mode": "foo"}),
])
def test_pad_errors_match_torch(torch, shape, pads, kwargs):
    raises_like(torch, lambda a: F.pad(a, pads, **kwargs),
                lambda a: torch.nn.functional.pad(a, pads, **kwargs), randn(*shape))


INTERP = [
    {"size": (7, 4)}, {"scale_factor": 2}, {"scale_factor": (1.5, 0.7)},
    {"scale_factor": 1.5, "recompute_scale_factor": True},
    {"size": (7, 4), "mode": "nearest-exact"},
    {"size": (3, 11), "mode": "bilinear"},
    {"size": (3, 11), "mode": "bilinear", "align_corners": True},
    {"scale_factor": 1.7, "mode": "bilinear"},
    {"size": (8, 9), "mode": "bicubic"},
    {"size": (4, 4), "mode": "bicubic", "align_corners": True},
    {"size": (2, 4), "mode": "area"},
]


@pytest.mark.parametrize("kwargs", INTERP, ids=[str(k) for k in INTERP])
def test_interpolate_2d_matches_torch(torch, kwargs):
    check(torch, lambda a: F.interpolate(a, **kwargs),
          lambda a: torch.nn.functional.interpolate(a, **kwargs), randn(2, 3, 5, 6))


def test_interpolate_float32_and_1d_3d(torch):
    check(torch, lambda a: F.interpolate(a, size=(9, 4), mode="bilinear"),
          lambda a: torch.nn.functional.interpolate(a, size=(9, 4), mode="bilinear"),
          randn(2, 3, 5, 6, dtype=np.float32))
    check(torch, lambda a: F.interpolate(a, size=9, mode="linear"),
          lambda a: torch.nn.functional.interpolate(a, size=9, mode="linear"), randn(2, 3, 5))
    check(torch, lambda a: F.interpolate(a, scale_factor=2, mode="trilinear"),
          lambda a: torch.nn.functional.interpolate(a, scale_factor=2, mode="trilinear"),
          randn(1, 2, 3, 4, 2))
    check(torch, lambda a: F.interpolate(a, size=(4, 2, 5)),
          lambda a: torch.nn.functional.interpolate(a, size=(4, 2, 5)), randn(1, 2, 3, 4, 2))


@pytest.mark.parametrize("shape,kwargs", [
    ((1, 1, 4), {"size": 3, "mode": "bilinear"}),
    ((1, 1, 4), {}),
    ((1, 1, 4), {"size": 2, "scale_factor": 2.0}),
    ((1, 1, 4), {"size": 2, "align_corners": True}),
    ((1, 1, 4), {"size": 2, "mode": "foo"}),
])
def test_interpolate_errors_match_torch(torch, shape, kwargs):
    raises_like(torch, lambda a: F.interpolate(a, **kwargs),
                lambda a: torch.nn.functional.interpolate(a, **kwargs), randn(*shape))


def test_upsample_aliases_warn(torch):
    x = randn(1, 1, 2, 3)
    with pytest.warns(UserWarning, match="upsample"):
        e = F.upsample(ember.tensor(x), scale_factor=2)
    np.testing.assert_allclose(e.numpy(), torch.nn.functional.interpolate(
        torch.tensor(x), scale_factor=2).numpy())
    with pytest.warns(UserWarning, match="upsample_bilinear"):
        e = F.upsample_bilinear(ember.tensor(x), size=(3, 5))
    np.testing.assert_allclose(e.numpy(), torch.nn.functional.interpolate(
        torch.tensor(x), size=(3, 5), mode="bilinear", align_corners=True).numpy(), rtol=1e-12)


def test_pixel_shuffle_round_trip(torch):
    check(torch, lambda a: F.pixel_shuffle(a, 2),
          lambda a: torch.nn.functional.pixel_shuffle(a, 2), randn(2, 8, 3, 4))
    check(torch, lambda a: F.pixel_unshuffle(a, 2),
          lambda a: torch.nn.functional.pixel_unshuffle(a, 2), randn(2, 2, 4, 6))
    raises_like(torch, lambda a: F.pixel_shuffle(a, 2),
                lambda a: torch.nn.functional.pixel_shuffle(a, 2), randn(1, 6, 2, 2))


def test_vision_on_reference_backend(torch):
    check(torch, lambda a: F.pad(a, (1, 2), mode="reflect"),
          lambda a: torch.nn.functional.pad(a, (1, 2), mode="reflect"), randn(1, 2, 4),
          device="ref")
    check(torch, lambda a: F.interpolate(a, size=(3, 5), mode="bilinear"),
          lambda a: torch.nn.functional.interpolate(a, size=(3, 5), mode="bilinear"),
          randn(1, 1, 2, 3), device="ref")


def test_channel_shuffle_matches_torch(torch):
    check(torch, lambda a: F.channel_shuffle(a, 3),
          lambda a: torch.nn.functional.channel_shuffle(a, 3), randn(2, 6, 2, 3))
    raises_like(torch, lambda a: F.channel_shuffle(a, 4),
                lambda a: torch.nn.functional.channel_shuffle(a, 4), randn(2, 6, 3))
